"""Logging filters: keep personal data that a URL may carry out of the logs."""

import logging
import re

_QUERY = re.compile(r"\?[^\s\"]*")


class DropQueryString(logging.Filter):
    """Drops the query string from the request line of the development server's log
    (``django.server``: ``"GET /households/?_search=… HTTP/1.1" 200 …``), as the production
    server's access log does, so that an ID number typed into a GET search is never written."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            record.args = (_QUERY.sub("", record.args[0], count=1), *record.args[1:])
        return True
