"""Cursor pages: stable under inserts, cheap at any depth (no OFFSET over the city's rows)."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    ordering = "pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
