"""A crawler for the every-page English check: from the workbench, follow every same-origin link
a persona sees (GET only), a couple of samples per URL pattern, and collect each page's English."""

from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

from tests.i18n.english import english_in

# Never followed: leaving (logout), switching the language, scripts and files, and downloads
# (a download is not a page, and making one is recorded).
SKIPPED = ("/accounts/logout/", "/i18n/", "/jsi18n/", "/static/", "/media/")
SKIPPED_WORDS = ("export", "download", "ledger/register", "ledger/template", ".xlsx", ".pdf")
SAMPLES_PER_PATTERN = 2
PAGE_LIMIT = 600


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


@dataclass
class Crawl:
    pages: int = 0
    statuses: Counter = field(default_factory=Counter)
    english: dict[str, list[str]] = field(default_factory=dict)


def _pattern(path: str, query: str) -> tuple | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return (match.route, match.url_name, bool(query))


def _followed(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return False
    if not parts.path.startswith("/") or parts.path.startswith(SKIPPED):
        return False
    return not any(word in url for word in SKIPPED_WORDS)


def crawl(client: Client, starts: list[str]) -> Crawl:
    """Every page reachable from ``starts`` by links, each URL pattern (route, with or without
    a query) sampled at most ``SAMPLES_PER_PATTERN`` times; the English found, by URL."""
    result = Crawl()
    seen_urls: set[str] = set()
    samples: Counter = Counter()
    queue = deque(starts)
    while queue and result.pages < PAGE_LIMIT:
        url = queue.popleft()
        parts = urlsplit(url)
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        if local in seen_urls:
            continue
        seen_urls.add(local)
        pattern = _pattern(parts.path, parts.query)
        if pattern is None or samples[pattern] >= SAMPLES_PER_PATTERN:
            continue
        samples[pattern] += 1
        response = client.get(local)
        result.pages += 1
        result.statuses[response.status_code] += 1
        if response.status_code in (301, 302):
            queue.append(urljoin(local, response["Location"]))
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        found = english_in(html)
        if found:
            result.english[local] = found
        links = Links()
        links.feed(html)
        for href in links.hrefs:
            absolute = urljoin(local, href.split("#")[0])
            if absolute and _followed(absolute):
                queue.append(absolute)
    return result
