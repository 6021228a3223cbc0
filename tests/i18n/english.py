"""The English checker shared by the Chinese-interface tests: the text a person sees on a page
(element text and labelling attributes, minus scripts, styles and icon ligatures) and the English
words in it outside a short allow-list."""

import re
from html.parser import HTMLParser

# Words that may legitimately appear (compared in lower case): user names, shown where a user has
# no full name, and the "English" language switch, written in its own language by convention.
ALLOWED = {
    "english",
    "admin",
    "manager",
    "caseworker1",
    "caseworker2",
    "helper",
    "unpaired_helper",
    "trainer",
    "county",
    # The demo sites' codes (LX-CG-01, LX-SQ-01) on the administration pages: data the county
    # typed.
    "lx",
    "cg",
    "sq",
    # File formats named on buttons (导出 PDF, 下载完整名单（Excel）).
    "pdf",
    "excel",
    "zip",
}
# A word starting with two letters; a token that starts with a digit is a code (a credit code
# such as 91621226MA71XQ0X1G, an identifier), not English.
ENGLISH_WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z]{2,}[A-Za-z0-9_]*")
# A SHA-256 digest (the audit chain's hashes, printed for comparison with the anchor file) is a
# fingerprint, not a word, whether its first hex digit happens to be a letter or a number.
DIGEST = re.compile(r"[0-9a-f]{64}")


def _words(text: str) -> list[str]:
    return [word for word in ENGLISH_WORD.findall(text) if not DIGEST.fullmatch(word)]


class VisibleText(HTMLParser):
    """Text a person sees or hears: element text and labelling attributes, minus scripts, styles,
    Material icon ligatures (``<i class="material-icons">menu</i>``) and identifiers the page
    marks as not to be translated (``translate="no"``, e.g. a code list's codes)."""

    SKIP_TAGS = {"script", "style"}
    LABEL_ATTRS = {"title", "aria-label", "placeholder", "alt", "label"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        icon = (
            "material-icons" in (attrs.get("class") or "")
            or tag in self.SKIP_TAGS
            or attrs.get("translate") == "no"
        )
        if tag not in {"input", "meta", "link", "br", "img", "hr"}:
            self.stack.append((tag, icon))
        self.texts += [v for k, v in attrs.items() if k in self.LABEL_ATTRS and v]
        if tag == "input" and attrs.get("type") in {"submit", "button"}:
            self.texts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not any(hidden for _tag, hidden in self.stack) and data.strip():
            self.texts.append(data.strip())


def english_in(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return [
        text for text in parser.texts if any(word.lower() not in ALLOWED for word in _words(text))
    ]


def english_words(text: str) -> list[str]:
    """The English words of a plain text (a PDF's, a widget's) outside the allow-list."""
    return [word for word in _words(text) if word.lower() not in ALLOWED]
