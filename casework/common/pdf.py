"""Rendering print HTML to PDF with WeasyPrint, using only the font the project ships.

The fetcher serves the shipped font file and nothing else (no network, no other local file),
and a missing font stops the rendering rather than falling back to whatever the machine has.
"""

import threading
from pathlib import Path

from django.template.loader import render_to_string

FONT_FILE = Path(__file__).resolve().parent / "fonts" / "NotoSansSC-casework.otf"
FONT_FAMILY = "Casework Sans SC"

_lock = threading.Lock()  # WeasyPrint's font configuration is not shared safely between threads


def font_url() -> str:
    return FONT_FILE.as_uri()


def _fetcher():
    from weasyprint.urls import URLFetcher

    class ShippedFontOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url != font_url():
                raise ValueError(f"Only the shipped font may be loaded, not {url}")
            return super().fetch(url, headers)

    return ShippedFontOnly(fail_on_errors=True)


def render_html(template: str, context: dict) -> str:
    """The print HTML of ``template``, with the shipped font's URL and family name."""
    return render_to_string(
        template, {**context, "font_url": font_url(), "font_family": FONT_FAMILY}
    )


def render_pdf(template: str, context: dict) -> bytes:
    """Render ``template`` with ``context`` and return the PDF bytes."""
    return html_to_pdf(render_html(template, context))


def html_to_pdf(html: str) -> bytes:
    """The PDF of print HTML made by ``render_html``."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    with _lock:
        return HTML(string=html, url_fetcher=_fetcher()).write_pdf(font_config=FontConfiguration())
