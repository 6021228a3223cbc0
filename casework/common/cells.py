"""A list's cell marked for the phone layout (casework.css: each row a card, the cells of a row
stacked, each with its label shown on a phone only); empty cells carry no label."""

from typing import Any

from django.utils.html import format_html


def list_cell(kind: str, content: Any, label: Any = None, *, family: str = "wf") -> str:
    """``content`` in a ``wf-cell`` span with the modifier class ``{family}-cell--{kind}``."""
    if label is None or content in ("", None):
        return format_html(
            '<span class="wf-cell {}-cell--{}">{}</span>', family, kind, content or ""
        )
    return format_html(
        '<span class="wf-cell {}-cell--{}"><span class="wf-cell__label">{}</span>{}</span>',
        family,
        kind,
        label,
        content,
    )
