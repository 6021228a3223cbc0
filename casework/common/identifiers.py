"""ID numbers and mobile phone numbers in text that may be logged or kept: query strings and
log lines. They never go into URLs (DESIGN.md: personal data); ``holds_identifier`` finds them
however they are written (percent-encoded, full-width, with spaces or hyphens) and ``redact``
blanks them in a log line."""

import logging
import re
import unicodedata
from urllib.parse import unquote_plus

# An 18-character resident ID (17 digits and a digit or X), a 15-digit first-generation one, or
# an 11-digit mainland mobile number (after +86 or 0086 too: the "+" is gone once decoded), not
# part of a longer run of digits.
_IDENTIFIER = re.compile(
    r"(?<![0-9])(?:[0-9]{17}[0-9X]|[0-9]{15}|(?:00)?(?:86)?1[3-9][0-9]{9})(?![0-9])", re.I
)
_SEPARATORS = re.compile(r"[\s\-]+")
_QUERY = re.compile(r"\?[^\s\"']*")
REDACTED = "[redacted]"


def _folded(text: str) -> str:
    decoded = unquote_plus(unquote_plus(text))  # twice: a value encoded twice still counts
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", decoded))


def holds_identifier(text: str) -> bool:
    """Whether ``text`` (a query string, a log line) holds an ID or mobile phone number."""
    return bool(text) and _IDENTIFIER.search(_folded(text)) is not None


def redact(text: str) -> str:
    """``text`` with any query string that holds an identifier, and any identifier written
    plainly, replaced by ``[redacted]``."""
    if not holds_identifier(text):
        return text
    text = _QUERY.sub(lambda m: "?" + REDACTED if holds_identifier(m.group()) else m.group(), text)
    return _IDENTIFIER.sub(REDACTED, text)


class RedactIdentifiersFilter(logging.Filter):
    """A logging filter that blanks ID and phone numbers in a record's message (Django's
    development server logs each request line, query string included) and in the traceback
    printed with it (a database error's detail may quote a document number)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            # The formatter prints exc_text as it is once set; it formats exc_info only if not.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
