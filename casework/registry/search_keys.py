"""The member table's search-key columns and the one index each column the household search
matches is given (``models.Member``; the keys' values are ``search.member_search_keys_set``'s)."""

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def search_key(verbose_name: "StrOrPromise", max_length: int) -> models.CharField:
    """A key the list's search compares by prefix or equality (indexed by ``prefix_index``);
    never edited by hand. Empty by default in the database too, so that a row written outside
    the services (a script, another tool) is still accepted; the consistency check is what finds
    such rows."""
    return models.CharField(
        verbose_name,
        max_length=max_length,
        blank=True,
        default="",
        db_default="",
        editable=False,
    )


def prefix_index(field: str, name: str) -> models.Index:
    """The one index a column searched by prefix or equality needs. On PostgreSQL its operator
    class compares byte by byte, which ``LIKE 'prefix%'`` needs in any collation and which
    serves ``=`` too; ``db_index=True`` would add a second index in the collation's order, that
    no query here reads but every insert writes and every plan weighs. SQLite has no operator
    classes: there it is a plain index, which the search's range serves
    (``selectors._starts_with``)."""
    return models.Index(fields=[field], name=name, opclasses=["varchar_pattern_ops"])


# Member columns the household search matches, and the name of each one's prefix index.
MEMBER_PREFIX_INDEXES = {
    "name": "member_name_prefix",
    "name_pinyin": "member_pinyin_prefix",
    "name_pinyin_alt": "member_pinyin_alt_prefix",
    "name_initials": "member_initials_prefix",
    "name_initials_alt": "member_initials_alt_prefix",
    "document_tail": "member_doc_tail_prefix",
}
