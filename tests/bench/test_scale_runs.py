"""``bench/scale.py`` runs end to end at a tiny size on the database backend of the suite
(SQLite, or PostgreSQL when DATABASE_URL is set) and prints every row of its tables, so that it
cannot rot between the runs at the city tier."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.scale.names import PAGES, USERS

ROOT = Path(__file__).resolve().parents[2]
NUMBER = r"[\d,.]+"

pytestmark = pytest.mark.bulk


def test_the_scale_bench_prints_every_row_of_its_tables():
    result = subprocess.run(
        [sys.executable, "bench/scale.py", "--scale", "0.002", "--county-households", "300",
         "--repeat", "1", "--warmup", "0", "--completions", "2", "--import-households", "20"],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    out = result.stdout
    assert result.returncode == 0, result.stderr[-3000:]
    for tier in ("county", "city"):
        assert re.search(rf"^{tier} built in \d+ s on \w+: households [\d,]+", out, re.M)
    for page in PAGES:
        for user in USERS:
            row = rf"^{page} · {user}\s+{NUMBER} / {NUMBER}\s+{NUMBER} / {NUMBER}\s+{NUMBER}"
            if page == "dashboard" and user == "caseworker":
                row = rf"^{page} · {user}\s+— \(not this user"
            assert re.search(row, out, re.M), f"no row for {page} · {user}"
    for tier in ("county", "city"):
        for user in USERS:
            for page in ("queue", "inbox"):
                assert re.search(
                    rf"^{tier} {page} · {user}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}", out, re.M
                )
                whole = rf"^{tier} {page} · {user}\s+{NUMBER} / {NUMBER}\s+{NUMBER} / {NUMBER}"
                assert re.search(whole, out, re.M), f"no whole-page row for {tier} {page} {user}"
        completions = (  # service (per s), bare (per s), ratio, HTTP (per s), ratio
            rf"^{tier}\s+{NUMBER} \(\s*{NUMBER}\)\s+{NUMBER} \(\s*{NUMBER}\)\s+{NUMBER}"
            rf"\s+{NUMBER} \(\s*{NUMBER}\)\s+{NUMBER}\s+rows per completion"
        )
        assert re.search(completions, out, re.M), f"no completion row for {tier}"
        assert re.search(
            rf"^{tier}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}\s+\([\d,]+ members\)", out, re.M
        )
        vendor = re.search(rf"^{tier} built in \d+ s on (\w+)", out, re.M)
        together = (  # two caseworkers at once: done, seconds, per s, median ms
            rf"^{tier}\s+4\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}$"
            if vendor and vendor.group(1) == "postgresql"
            else rf"^{tier}\s+— \(PostgreSQL only"
        )
        assert re.search(together, out, re.M), f"no row of completions together for {tier}"
        verified = re.search(rf"^{tier}\s+([\d,]+)\s+{NUMBER}\s+{NUMBER}$", out, re.M)
        assert verified and "CHAIN BROKEN" not in out
