"""The development server's request lines (`make dev`) drop the query string, as gunicorn's
access log does: an ID number typed into a GET search is never written."""

import logging

from django.core.servers.basehttp import WSGIRequestHandler
from django.test import RequestFactory

ID_NUMBER = "110101199003077777"


class _Handler(WSGIRequestHandler):
    def __init__(self, requestline: str) -> None:  # no socket: only what log_message reads
        self.requestline = requestline
        self.request = RequestFactory().get("/")
        self.client_address = ("127.0.0.1", 0)


def test_runserver_request_lines_are_logged_without_the_query_string(caplog):
    handler = _Handler(f"GET /registry/household/?_search={ID_NUMBER} HTTP/1.1")
    with caplog.at_level(logging.INFO, logger="django.server"):
        handler.log_request(200, 1234)
    assert caplog.messages == ['"GET /registry/household/ HTTP/1.1" 200 1234']
