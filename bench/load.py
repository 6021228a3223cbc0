"""Caseworker pages under load while a 10,000-household ledger import writes (issue 16, item 6).

    .venv/bin/python bench/load.py [--users 8] [--seconds 60] [--households 10000] [--workers 3]
    scripts/with-postgres .venv/bin/python bench/load.py

Serves the product as in production — gunicorn, DEBUG off — on a free loopback port, against a
throwaway database (an SQLite file in a temp folder, or a database of its own on the server of
DATABASE_URL, dropped afterwards) holding the demo data. Each virtual user (the demo caseworkers
and the manager, in turn) logs in once, then walks the household list, a household page, the
inbox, the queue and the workbench, and every fifth round marks its notifications read and
(the manager) shows a household's full personal data (writes; the second is an audit event).
A few seconds in, ``manage.py import_ledger`` imports a generated 10,000-household ledger in a
subprocess; the load runs ``--seconds`` and at least until the import has finished.

The client is a small threaded one on the standard library's ``http.client`` (one kept-alive
connection and cookie jar per user): nothing to install, real threads that block as a browser
does, and every status counted as it came. Prints, per page, the count, p50, p95 and max (ms)
and the count of each status class, for the whole run and for the import's write phase; the
import's phases; exits 1 on any 5xx or failed request (a busy page, 503, counts as a 5xx).
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PASSWORD = "demo-pass-2026"  # noqa: S105 - the demo data's password
USERS = ["caseworker1", "caseworker2", "manager"]
PAGES = [
    "login", "households", "household", "inbox", "queue", "workbench", "notifications read",
    "personal data shown",
]  # fmt: skip
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Sample:
    page: str
    began: float
    ended: float
    status: int  # 0: the request failed (connection reset, timeout)


@dataclass
class Client:
    """One virtual user: a kept-alive connection and its cookies."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: dict[str, str] | None = None):
        headers = {"Host": "127.0.0.1", "Accept-Language": "zh-CN"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # gunicorn closes an idle kept-alive connection: reconnect once.
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", text


class Recorder:
    def __init__(self) -> None:
        self.samples: list[Sample] = []
        self.lock = threading.Lock()

    def timed(self, page: str, call):
        began = time.perf_counter()
        try:
            status, location, text = call()
        except (OSError, http.client.HTTPException):
            status, location, text = 0, "", ""
        with self.lock:
            self.samples.append(Sample(page, began, time.perf_counter(), status))
        return status, location, text


def virtual_user(port: int, username: str, household: int, stop: threading.Event, rec: Recorder):
    client = Client(port)
    _, _, form = rec.timed("login", lambda: client.request("GET", "/accounts/login/"))
    token = CSRF.search(form)
    fields = {"username": username, "password": PASSWORD}
    fields["csrfmiddlewaretoken"] = token.group(1) if token else ""
    status, location, _ = rec.timed(
        "login", lambda: client.request("POST", "/accounts/login/", fields)
    )
    if status != 302 or "/accounts/login" in location:
        print(f"  {username}: login failed ({status})", file=sys.stderr)
        return
    walk = [
        ("households", "/registry/household/"),
        ("household", f"/registry/household/{household}/"),
        ("inbox", "/workflow/inbox/"),
        ("queue", "/workflow/queue/"),
        ("workbench", "/home/"),
    ]
    rounds = 0
    while not stop.is_set():
        for page, path in walk:
            rec.timed(page, lambda path=path: client.request("GET", path))
        rounds += 1
        if rounds % 5 == 0:
            data = {"csrfmiddlewaretoken": client.cookies.get("csrftoken", "")}
            rec.timed(
                "notifications read",
                lambda data=data: client.request("POST", "/workflow/notifications/read/", data),
            )
            if username != "manager":  # the right to see full personal data is the manager's
                continue
            # An audited write: full personal data shown on the household page (recorded).
            reveal = {**data, "reveal": "1"}
            rec.timed(
                "personal data shown",
                lambda reveal=reveal: client.request("POST", walk[1][1], reveal),
            )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1]


def table(title: str, samples: list[Sample]) -> None:
    print(f"\n{title}")
    print(f"{'page':<20}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
          f"{'2xx':>7}{'3xx':>6}{'4xx':>6}{'5xx':>6}{'fail':>6}")  # fmt: skip
    for page in PAGES:
        mine = [s for s in samples if s.page == page]
        if not mine:
            continue
        ms = [(s.ended - s.began) * 1000 for s in mine]
        classes = [sum(1 for s in mine if s.status // 100 == c) for c in (2, 3, 4, 5, 0)]
        counts = "".join(f"{n:>{w}}" for n, w in zip(classes, (7, 6, 6, 6, 6), strict=True))
        print(f"{page:<20}{len(mine):>7}{percentile(ms, 0.5):>9.0f}{percentile(ms, 0.95):>9.0f}"
              f"{max(ms):>9.0f}{counts}")  # fmt: skip


def prepare(tmp: Path, households: int) -> tuple[dict[str, str], Path, dict[str, int], str]:
    """The database, the demo data, the import's site and ledger; the environment of the server
    and the import, each user's first household, and the PostgreSQL database to drop."""
    import import_ledger  # sets SQLITE_PATH and EXPORT_ROOT to a folder of its own

    shutil.rmtree(import_ledger.TMP, ignore_errors=True)
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="casework.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        EXPORT_ROOT=str(tmp / "exports"),
        STATIC_ROOT=str(tmp / "static"),
        LOG_LEVEL="ERROR",
        # The demo's manager logs in with the published password and no TOTP code, as in
        # `make run`; the bench measures the pages, not the code step.
        TWO_FACTOR_REQUIRED="false",
    )
    pg_name = ""
    if os.environ.get("DATABASE_URL"):
        import psycopg

        url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
        pg_name = f"bench_load_{os.getpid()}"
        with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as pg:
            pg.execute(f'CREATE DATABASE "{pg_name}"')
        env["DATABASE_URL"] = url._replace(path=f"/{pg_name}").geturl()
    else:
        env["SQLITE_PATH"] = str(tmp / "load.sqlite3")
    os.environ.update(env)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], check=True, cwd=ROOT, env=env)
    subprocess.run(
        [*manage, "collectstatic", "--noinput", "-v", "0"], check=True, cwd=ROOT, env=env
    )
    subprocess.run([*manage, "seed_demo"], check=True, cwd=ROOT, env=env, capture_output=True)

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connections

    from casework.permissions.households import households_visible_to
    from casework.registry import services

    site = services.site_create(actor=None, code="S", name="安置点S")
    for g in range(1, 9):
        services.grid_create(actor=None, site=site, code=f"G{g}", name=f"网格{g}")
    first = {
        name: households_visible_to(User.objects.get(username=name)).order_by("pk")[0].pk
        for name in USERS
    }
    if pg_name:
        # Statistics for the planner, as a database in service has them: on tables just filled
        # the task queue's query plan takes 30 s until autovacuum analyses them.
        with connections["default"].cursor() as cursor:
            cursor.execute("ANALYZE")
    connections.close_all()
    ledger = tmp / "ledger.xlsx"
    import_ledger.generate(ledger, households)
    return env, ledger, first, pg_name


def drop_postgres(pg_name: str) -> None:
    import psycopg

    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


class Import:
    """``manage.py import_ledger`` in a subprocess, with the time each phase began."""

    def __init__(self, env: dict[str, str], ledger: Path) -> None:
        self.phases: dict[str, float] = {}
        self.ended = 0.0
        self.began = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "import_ledger", str(ledger)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.out = ""

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            # "读取 …", "检查 …", "写入 …": the first line of each phase marks its start.
            word = line.split(" ", 1)[0].strip()
            self.phases.setdefault(word, time.perf_counter())
        self.out = self.process.stdout.read() if self.process.stdout else ""
        self.process.wait()
        self.ended = time.perf_counter()

    @property
    def done(self) -> bool:
        return self.ended > 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=8, help="virtual users (default 8)")
    parser.add_argument("--seconds", type=int, default=60, help="least load time (default 60)")
    parser.add_argument("--households", type=int, default=10_000, help="households to import")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--delay", type=float, default=5, help="seconds before the import")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    pg_name = ""
    server = None
    try:
        t = time.perf_counter()
        env, ledger, first, pg_name = prepare(tmp, args.households)
        database = "postgresql" if pg_name else "sqlite"
        print(f"database: {database}; demo data and a {args.households}-household ledger "
              f"ready in {time.perf_counter() - t:.0f} s")  # fmt: skip
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "casework.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.workers), "--timeout", "60", "--error-logfile",
             str(tmp / "gunicorn.log")],
            cwd=ROOT, env=env,
        )  # fmt: skip
        wait_until_up(port)
        return run_load(args, env, ledger, first, port)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        if pg_name:
            drop_postgres(pg_name)
        shutil.rmtree(tmp, ignore_errors=True)


def wait_until_up(port: int) -> None:
    for _ in range(150):
        try:
            status, _, _ = Client(port).request("GET", "/accounts/login/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 30 s")


def run_load(args, env, ledger: Path, first: dict[str, int], port: int) -> int:
    rec = Recorder()
    stop = threading.Event()
    users = [USERS[i % len(USERS)] for i in range(args.users)]
    threads = [
        threading.Thread(target=virtual_user, args=(port, name, first[name], stop, rec))
        for name in users
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(args.delay)
    job = Import(env, ledger)
    while time.perf_counter() - began < args.seconds or not job.done:
        time.sleep(0.5)
        if time.perf_counter() - began > args.seconds + 900:
            print("the import did not finish within 15 minutes of the load", file=sys.stderr)
            break
    stop.set()
    for thread in threads:
        thread.join(timeout=180)
    elapsed = time.perf_counter() - began
    print(f"\n{args.users} users, {len(rec.samples)} requests in {elapsed:.0f} s "
          f"({len(rec.samples) / elapsed:.1f}/s), gunicorn {args.workers} workers")  # fmt: skip
    marks = sorted(job.phases.items(), key=lambda item: item[1])
    ends = [mark for _, mark in marks[1:]] + [job.ended]
    for (name, mark), end in zip(marks, ends, strict=True):
        print(f"import phase {name:<8} {end - mark:6.1f} s")
    print(f"import: exit {job.process.returncode}, {job.ended - job.began:.1f} s in all; "
          f"{job.out.strip().splitlines()[-1] if job.out.strip() else ''}")  # fmt: skip
    table("whole run", rec.samples)
    if marks:
        write_began = marks[-1][1]
        during = [s for s in rec.samples if s.ended > write_began and s.began < job.ended]
        table(f"during the import's last phase ({marks[-1][0]}, the write)", during)
    print("\nslowest requests (seconds after the import began; its phases began at "
          + ", ".join(f"{name} {mark - job.began:.0f}" for name, mark in marks) + "):")  # fmt: skip
    for s in sorted(rec.samples, key=lambda s: s.began - s.ended)[:5]:
        print(f"  {s.page:<20} {s.status} {s.ended - s.began:6.1f} s at {s.began - job.began:6.1f}")
    bad = sum(1 for s in rec.samples if s.status >= 500 or s.status == 0)
    if job.process.returncode != 0:
        print("\nFAILED: the import did not succeed")
        return 1
    print(f"\n{'FAILED' if bad else 'OK'}: {bad} requests with a 5xx or no answer")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
