"""Real worker processes for the tests: `manage.py db_worker` and `rq worker` on the test
database (a file the subprocess opens), files on disk shared through the private storage, and
a throwaway Redis server."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def worker_env(files: Path, **extra: str) -> dict[str, str]:
    """The environment of a worker on this test's database and files."""
    env = dict(os.environ)
    if connection.vendor == "postgresql":
        # The test database, not the one DATABASE_URL names (pytest-django prefixes "test_").
        url = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        SQLITE_PATH=str(connection.settings_dict["NAME"]),
        CASEWORK_TEST_FILE_STORAGE="1",
        EXPORT_ROOT=str(files),
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("ab")
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=handle, stderr=handle
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(predicate, timeout: float, what: str, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis server of its own (installed with apt when missing), stopped at the end."""
    if shutil.which("redis-server") is None:
        subprocess.run([str(ROOT / "scripts" / "apt-install"), "redis-server"], check=True)
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip

    def answers() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as probe:
                probe.sendall(b"PING\r\n")
                return probe.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    wait_for(answers, 20, "redis-server")
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(10)
