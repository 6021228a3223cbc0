"""The server's process freezes what the product loads, so full collections skip it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run in a process of its own: the test session has long since loaded (and collected) all this.
PROBE = """
import gc
import casework.wsgi
import pypinyin.phrases_dict as phrases
reading = next(iter(phrases.phrases_dict.values()))
in_collections = any(o is reading for o in gc.get_objects())
print(gc.is_tracked(reading), in_collections, gc.get_freeze_count())
"""


def test_the_wsgi_application_leaves_pypinyin_and_the_views_out_of_every_collection():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True,
    ).stdout.split()  # fmt: skip
    tracked, in_collections, frozen = out[0] == "True", out[1] == "True", int(out[2])
    # A reading is a list the collector tracks; loaded by the URLconf's views, it is frozen.
    assert tracked
    assert not in_collections
    assert frozen > 150_000
