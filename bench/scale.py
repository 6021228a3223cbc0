"""Every page at the county and the city tier (issue 19): median and p95 for a caseworker
(one 450-household grid), a manager (one 600-household site) and a county user.

    .venv/bin/python bench/scale.py [--scale 1.0] [--repeat 20]
    scripts/with-postgres .venv/bin/python bench/scale.py --scale 0.1
    .venv/bin/python bench/scale.py --keep ...; then, after a change: bench/scale.py --reuse

Two tiers, each in a process and a throwaway database of its own (a test database on the
server of DATABASE_URL, or an SQLite file): the county (礼县, 1,470 households) and the city
(安康, 268,600 households × ``--scale``; at 1.0 about 945,000 people, 825,000 processes, 4.1
million tasks and 8 million audit events). Both are built through the project's bulk paths —
the ledger import's bulk registration and flow start — and carried further along the flows
by direct writes of the same row shapes (``bench/scale/``). Then, county and city measured
alternately so that machine noise hits both: every page through ``django.test.Client``,
viewflow's stock queue and inbox beside ours, placement completions through the service
against a bare transaction (and, on PostgreSQL, by two caseworkers at once), a ledger import
against a bare read and insert, and ``audit_verify``'s events per second. Prints the ratios
the issue names.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scale.names import PAGES, USERS, summary  # noqa: E402

CITY_HOUSEHOLDS = 268_600
COUNTY_HOUSEHOLDS = 1_470
TIERS = ("county", "city")
# Caseworkers completing steps at the same time: one per core of the 2-core machine.
TOGETHER = 2


class Tier:
    """A worker process holding one tier (``bench/scale/worker.py``)."""

    def __init__(
        self, name: str, households: int, counties: int, tmp: str, template: str = "",
        kept: str = "",
    ) -> None:  # fmt: skip
        self.name = name
        command = [sys.executable, __file__, "--worker", name, "--households", str(households),
                   "--counties", str(counties), "--parent", str(os.getpid())]  # fmt: skip
        env = {**os.environ, "SCALE_TMP": tmp, "AUDIT_ANCHOR_PATH": f"{tmp}/{name}-anchor.log",
               "SCALE_TEMPLATE": template, "SCALE_KEPT": kept}  # fmt: skip
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env
        )

    def ask(self, cmd: str, **fields):
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps({"cmd": cmd, **fields}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the {self.name} tier stopped (exit {self.process.wait()})")
        return json.loads(line)

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.ask("quit")
            except (SystemExit, BrokenPipeError):
                pass
            self.process.wait(timeout=300)


def ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def pages_table(tiers: dict[str, Tier], repeat: int, warmup: int) -> None:
    samples: dict[tuple[str, str, str], list[float]] = {}
    status: dict[tuple[str, str, str], set[int]] = {}
    for round_ in range(1 - warmup, repeat + 1):  # round 0 warms up and is not counted
        began = time.perf_counter()
        for page in PAGES:
            for user in USERS:
                order = TIERS if (round_ + PAGES.index(page)) % 2 == 0 else TIERS[::-1]
                for tier in order:
                    got = tiers[tier].ask("time", page=page, user=user)
                    if got["status"] not in (0, 200) and round_ == 1 - warmup:
                        print(f"  {tier} {page} · {user}: HTTP {got['status']} {got['to'] or ''}",
                              file=sys.stderr)  # fmt: skip
                    if got["ms"] is None or round_ == 0:
                        continue
                    samples.setdefault((page, user, tier), []).append(got["ms"])
                    status.setdefault((page, user, tier), set()).add(got["status"])
        print(f"  round {round_}/{repeat} in {time.perf_counter() - began:.0f} s",
              file=sys.stderr, flush=True)  # fmt: skip
    print("\npage (ms)                   county median / p95   city median / p95   "
          "p95 city ÷ county")  # fmt: skip
    for page in PAGES:
        for user in USERS:
            county = samples.get((page, user, "county"))
            city = samples.get((page, user, "city"))
            label = f"{page} · {user}"
            if not county or not city:
                print(f"{label:<28}{'— (not this user’s page)':>22}")
                continue
            (cm, cp), (tm, tp) = summary(county), summary(city)
            codes = status[(page, user, "county")] | status[(page, user, "city")]
            note = "" if codes <= {200} else f"  HTTP {sorted(codes)}"
            print(f"{label:<28}{ms(cm):>10} / {ms(cp):<10}{ms(tm):>9} / {ms(tp):<10}"
                  f"{tp / cp:>10.2f}{note}")  # fmt: skip


def stock_table(tiers: dict[str, Tier], repeat: int) -> None:
    print("\nlist query, first page of 25 (ms)   stock median   ours median   stock ÷ ours   rows")
    pages: dict[tuple[str, str, str], tuple[list[float], list[float]]] = {}
    for tier in TIERS:
        for user in USERS:
            got = tiers[tier].ask("stock", user=user, repeat=repeat)
            for page in ("queue", "inbox"):
                stock, ours = summary(got[f"{page} stock"])[0], summary(got[f"{page} ours"])[0]
                rows = f"{got[f'{page} stock rows'][0]} / {got[f'{page} ours rows'][0]}"
                print(f"{tier} {page} · {user:<20}{ms(stock):>12}{ms(ours):>14}"
                      f"{stock / max(ours, 0.001):>15.2f}   {rows}")  # fmt: skip
                pages[(tier, page, user)] = (got[f"{page} stock page"], got[f"{page} ours page"])
    print("\nwhole page, rendered (ms)            stock median / p95   ours median / p95   "
          "stock ÷ ours (median)")  # fmt: skip
    for (tier, page, user), (stock_ms, ours_ms) in pages.items():
        (sm, sp), (om, op) = summary(stock_ms), summary(ours_ms)
        print(f"{tier} {page} · {user:<20}{ms(sm):>10} / {ms(sp):<8}{ms(om):>9} / {ms(op):<8}"
              f"{sm / max(om, 0.001):>10.2f}")  # fmt: skip


def work_table(tiers: dict[str, Tier], completions: int, import_households: int) -> None:
    print(
        "\ncompletions (placement step)     service ms (per s)   bare ms (per s)   service ÷ bare"
        "   HTTP ms (per s)   HTTP ÷ bare"
    )
    for tier in TIERS:
        got = tiers[tier].ask("complete", count=completions)
        if not got["service"]:
            print(f"{tier:<33}— (no open placement step in the caseworker's grid)")
            continue
        service, bare = summary(got["service"])[0], summary(got["bare"])[0]
        http = summary(got["http"])[0]
        rows = ", ".join(f"{k} {v:.1f}" for k, v in got["rows"].items())
        speeds = f"{service:>7.1f} ({1000 / service:>5.1f}){bare:>11.1f} ({1000 / bare:>5.1f})"
        print(f"{tier:<33}{speeds}{service / bare:>12.2f}"
              f"{http:>13.1f} ({1000 / http:>5.1f}){http / bare:>12.2f}"
              f"   rows per completion: {rows}")  # fmt: skip
    label = f"completions, {TOGETHER} at once (service)"
    print(f"\n{label:<33}{'done':>6}{'seconds':>10}{'per s':>8}{'median ms':>12}")
    for tier in TIERS:
        got = tiers[tier].ask("complete_together", workers=TOGETHER, count=completions)
        if got["seconds"] is None:
            print(f"{tier:<33}— (PostgreSQL only: SQLite lets one writer in at a time)")
            continue
        print(f"{tier:<33}{got['done']:>6}{got['seconds']:>10.2f}"
              f"{got['done'] / got['seconds']:>8.1f}{got['median']:>12.1f}")  # fmt: skip
    print(
        f"\nimport of {import_households:,} households        service s   bare s   service ÷ bare"
    )
    for tier in TIERS:
        got = tiers[tier].ask("import_ledger", households=import_households)
        print(f"{tier:<33}{got['service']:>9.1f}{got['bare']:>9.1f}"
              f"{got['service'] / got['bare']:>12.2f}   ({got['members']:,} members)")  # fmt: skip
    print("\naudit_verify (whole chain)       events      seconds   events per s")
    for tier in TIERS:
        got = tiers[tier].ask("verify")
        state = "" if got["ok"] else "  CHAIN BROKEN"
        print(f"{tier:<33}{got['events']:>9,}{got['seconds']:>10.1f}"
              f"{got['events'] / max(got['seconds'], 1e-6):>14,.0f}{state}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="the city's size (1.0: 安康)")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page and user")
    parser.add_argument(
        "--warmup",
        type=int,
        choices=(0, 1),
        default=1,
        help="a first round of requests not counted (default 1)",
    )
    parser.add_argument("--county-households", type=int, default=COUNTY_HOUSEHOLDS)
    parser.add_argument("--completions", type=int, default=20)
    parser.add_argument("--import-households", type=int, default=10_000)
    parser.add_argument(
        "--parts",
        type=lambda value: set(value.split(",")),
        default={"pages", "stock", "work"},
        help="which tables to print: pages,stock,work (default all)",
    )
    kept = parser.add_mutually_exclusive_group()
    kept.add_argument("--keep", action="store_const", const="keep", dest="kept", default="",
                      help="leave both tiers' databases in place when done")  # fmt: skip
    kept.add_argument("--reuse", action="store_const", const="reuse", dest="kept",
                      help="measure the tiers a --keep run left, without building")  # fmt: skip
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--households", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--counties", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--parent", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        from scale import worker

        worker.main(args.worker, args.households, args.counties, args.parent)
        return 0
    city = max(1, round(CITY_HOUSEHOLDS * args.scale))
    tmp = tempfile.mkdtemp(prefix="bench-scale-")
    tiers = {"county": Tier("county", args.county_households, 1, tmp, kept=args.kept)}
    try:
        # The city's database is a copy of the county's freshly migrated one.
        template = tiers["county"].ask("ready")
        tiers["city"] = Tier("city", city, 10, tmp, template=template, kept=args.kept)
        tiers["city"].ask("ready")
        print(f"county {args.county_households:,} households, city {city:,} households "
              f"(scale {args.scale}), {args.repeat} requests per page and user")  # fmt: skip
        for name in TIERS:
            got = tiers[name].ask("build")
            counts = ", ".join(f"{k} {v:,}" for k, v in got["counts"].items())
            how = (
                "kept from a --keep run"
                if args.kept == "reuse"
                else f"built in {got['seconds']:.0f} s"
            )
            print(f"{name} {how} on {got['vendor']}: {counts}", flush=True)
        if "pages" in args.parts:
            pages_table(tiers, args.repeat, args.warmup)
        if "stock" in args.parts:
            stock_table(tiers, args.repeat)
        if "work" in args.parts:
            work_table(tiers, args.completions, args.import_households)
    finally:
        for tier in tiers.values():
            tier.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
