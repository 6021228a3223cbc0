"""One tier in a process of its own: its own throwaway database (a test database named after
the tier and the parent's process), built once, then measured on request.

The parent writes one JSON command per line on the worker's stdin; the worker answers one JSON
line on its stdout (Django's own output goes to stderr). Commands: ``build``, ``targets``,
``time`` (one page for one user), ``stock``, ``complete``, ``import``, ``verify``, ``quit``.

With ``SCALE_KEPT=keep`` the database is named after the tier alone and left in place when the
worker ends; with ``SCALE_KEPT=reuse`` that database is measured again without building.
"""

import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any


def heartbeat(tier: str, what: str) -> Callable[[], None]:
    """Print that ``what`` is still running every 20 s until the returned function is called."""
    stop = threading.Event()
    began = time.perf_counter()

    def beat() -> None:
        while not stop.wait(20):
            print(f"[{tier}] still {what} ({time.perf_counter() - began:.0f} s)",
                  file=sys.stderr, flush=True)  # fmt: skip

    threading.Thread(target=beat, daemon=True).start()
    return stop.set


def _copy_of(template: str, name: str) -> str:
    """A new database ``name`` copied from the migrated ``template`` (the other tier's, fresh):
    one migration run instead of two. Returns the settings' previous name."""
    import shutil

    from django.conf import settings
    from django.db import connection

    old = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        shutil.copyfile(template, name)
    else:
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = name
    return old


def main(tier: str, households: int, counties: int, parent: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    reply = sys.stdout
    sys.stdout = sys.stderr
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    from casework.common.startup import heap_freeze

    from . import measure
    from . import tier as tiers
    from .structure import structure_load

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    database = settings.DATABASES["default"]
    kept = os.environ.get("SCALE_KEPT")  # "keep": build and leave it; "reuse": measure it again
    name = f"test_scale_{tier}_{'kept' if kept else parent}"
    if connection.vendor == "sqlite":
        folder = os.environ.get("SCALE_TMP", tempfile.gettempdir())
        name = os.path.join(tempfile.gettempdir() if kept else folder, f"{name}.sqlite3")
    database["TEST"] = {**database.get("TEST", {}), "NAME": name}
    template = os.environ.get("SCALE_TEMPLATE")
    old = database["NAME"]
    if kept == "reuse":
        settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = name
    elif template:
        _copy_of(template, name)
    else:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    connection.close()  # a template is copied only while nobody is connected to it
    bench: Any = None
    try:
        for line in sys.stdin:
            command = json.loads(line)
            kind = command.pop("cmd")
            if kind == "quit":
                break
            if kind == "ready":
                reply.write(json.dumps(connection.settings_dict["NAME"]) + "\n")
                reply.flush()
                continue
            if kind == "build":
                began = time.perf_counter()
                if kept == "reuse":
                    built = structure_load(tier)
                    tiers.tier_settle()  # what earlier runs left, cleared as autovacuum would
                else:
                    built = tiers.tier_build(tier, households, counties)
                bench = measure.Bench(tier, built)
                # As the server's process does once loaded (casework/wsgi.py): what is loaded
                # now, pypinyin's dictionary and the tier's own structure, is left out of the
                # collections the measured requests set off.
                heap_freeze()
                answer: Any = {
                    "seconds": time.perf_counter() - began,
                    "counts": tiers.tier_counts(),
                    "vendor": connection.vendor,
                }
            else:
                done = heartbeat(tier, kind)
                try:
                    answer = getattr(bench, kind)(**command)
                finally:
                    done()
            reply.write(json.dumps(answer) + "\n")
            reply.flush()
    finally:
        if kept:
            connection.close()
        else:
            connection.creation.destroy_test_db(old, verbosity=0)
