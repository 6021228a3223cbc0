"""The product served as in production (issue 16, acceptance 1 and the access log of 5): gunicorn
with deploy/gunicorn.conf.py, DEBUG off, the static files of a real `collectstatic` into the
hashed, compressed storage, on a free loopback port and a throwaway SQLite database."""

import gzip
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
ID_NUMBER = "110101199003077777"
PASSWORD = "production-test-pass-2026"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    """The environment of `make run`: the real settings, DEBUG off, no TLS, a secret and an
    audit key of its own; nothing inherited from the test settings, the browser tests (which
    allow the ORM in async code) or an operator's shell."""
    drop = {"DEBUG", "HTTPS", "DATABASE_URL", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"}
    drop.add("DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("HSTS")}
    env.update(
        DJANGO_SETTINGS_MODULE="casework.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        SQLITE_PATH=str(tmp / "db.sqlite3"),
        STATIC_ROOT=str(tmp / "static"),
        EXPORT_ROOT=str(tmp / "exports"),
        PROXY_SSL_HEADER="",
        AUDIT_HMAC_KEY="",
        AUDIT_HMAC_KEY_FILE=str(tmp / "audit_hmac_key"),
        AUDIT_ANCHOR_PATH=str(tmp / "audit-anchor.log"),
    )
    env.update(extra)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(process: subprocess.Popen) -> str:
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    return output


def _wait_until_serving(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn stopped: {log.read_text()}")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (loopback)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer within 60 s: {log.read_text()}")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    env = _env(tmp)
    _finish(_manage("audit_key", env=env))  # as `make run` does, before anything is audited
    # The database and the static files are built side by side.
    migrate = _manage("db_migrate", "--noinput", env=env)
    collect = _manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    _finish(migrate)
    _finish(collect)
    user = _manage(
        "createsuperuser",
        "--noinput",
        "--username",
        "operator",
        "--email",
        "operator@example.org",
        env={**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
    )
    _finish(user)

    port = _free_port()
    access_log, error_log = tmp / "access.log", tmp / "error.log"
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env={
            **env,
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "2",
            "ACCESS_LOG": str(access_log),
            "ERROR_LOG": str(error_log),
        },
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_serving(f"{base}/accounts/login/", server, error_log)
        yield SimpleNamespace(base=base, access_log=access_log, static_root=tmp / "static")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class Assets(HTMLParser):
    """The /static/ URLs a page loads: style sheets, scripts, images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.csrf_token = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        url = {"link": attrs.get("href"), "script": attrs.get("src"), "img": attrs.get("src")}.get(
            tag
        )
        if url and url.startswith("/static/"):
            self.urls.append(url)
        if tag == "input" and attrs.get("name") == "csrfmiddlewaretoken":
            self.csrf_token = attrs.get("value") or ""


def _get(url: str, headers: dict[str, str] | None = None, opener=None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback)
    try:
        return (opener or urllib.request.build_opener()).open(request, timeout=10)
    except urllib.error.HTTPError as error:
        return error


def _parse(html: str) -> Assets:
    parser = Assets()
    parser.feed(html)
    return parser


def test_every_static_asset_of_the_login_page_loads(served):
    page = _get(f"{served.base}/accounts/login/")
    assert page.status == 200
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    urls = _parse(page.read().decode()).urls
    assert len(urls) >= 5, urls

    for url in urls:
        response = _get(served.base + url)
        assert response.status == 200, url
        # Hashed names (cached for ever), so that a new release is never mixed with an old file.
        assert re.search(r"\.[0-9a-f]{12}\.", url), url
        assert "max-age=315360000" in response.headers["Cache-Control"], url


def test_style_sheets_and_scripts_are_served_compressed(served):
    urls = _parse(_get(f"{served.base}/accounts/login/").read().decode()).urls
    text_assets = [url for url in urls if url.endswith((".css", ".js"))]
    assert text_assets
    for url in text_assets:
        response = _get(served.base + url, {"Accept-Encoding": "gzip"})
        assert response.status == 200
        assert response.headers["Content-Encoding"] == "gzip", url
        assert gzip.decompress(response.read()), url


def test_a_missing_page_is_the_chinese_404(served):
    for url in ("/no-such-page/", "/static/no-such-file.css"):
        response = _get(served.base + url)
        assert response.status == 404, url
        html = response.read().decode()
        assert "页面不存在" in html and "返回工作台" in html, url
        assert "Page not found" not in html and "URLconf" not in html, url


def test_an_id_number_in_a_get_search_never_reaches_the_access_log(served):
    # Signed in through the login form over plain http, as with `make run`: the cookies are not
    # marked secure unless HTTPS=true.
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    login_url = f"{served.base}/accounts/login/"
    token = _parse(_get(login_url, opener=opener).read().decode()).csrf_token
    form = urllib.parse.urlencode(
        {"username": "operator", "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    post = urllib.request.Request(login_url, data=form, headers={"Referer": login_url})  # noqa: S310
    signed_in = opener.open(post, timeout=10)
    assert "/accounts/login/" not in signed_in.url

    for path in ("/households/", "/registry/household/"):
        _get(f"{served.base}{path}?_search={ID_NUMBER}", opener=opener)
    # gunicorn writes each line as its request ends; give the last one a moment.
    deadline = time.monotonic() + 5
    while "/registry/household/ " not in served.access_log.read_text():
        assert time.monotonic() < deadline, served.access_log.read_text()
        time.sleep(0.1)
    log = served.access_log.read_text()
    assert "GET /registry/household/ HTTP/1.1" in log
    assert ID_NUMBER not in log
    assert "_search" not in log


def test_check_deploy_with_the_production_environment_prints_no_warning(tmp_path):
    env = _env(
        tmp_path,
        HTTPS="true",
        PROXY_SSL_HEADER="X-Forwarded-Proto",
        ALLOWED_HOSTS="casework.example.org",
        CSRF_TRUSTED_ORIGINS="https://casework.example.org",
    )
    output = _finish(_manage("check", "--deploy", "--fail-level", "WARNING", env=env))
    assert "System check identified no issues" in output
    assert "WARNINGS" not in output
