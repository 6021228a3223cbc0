"""A paginator that counts exactly only up to a bound: past it the list says "more than 10,000"
instead of counting every row of a city's register on each page; and a list paged from an index
of its keys (``KeyedRows``), which reads only the rows of the page shown."""

from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

COUNT_BOUND = 10_000


def count_up_to(rows: QuerySet, limit: int) -> int:
    """How many rows there are, counting no further than ``limit``: keys only and unordered, so
    no annotation is computed (``SELECT COUNT(*) FROM (SELECT pk … LIMIT limit)``)."""
    return rows.order_by().values("pk")[:limit].count()


class BoundedPaginator(Paginator):
    """Counts at most ``bound + 1`` rows (``SELECT COUNT(*) FROM (SELECT … LIMIT bound + 1)``,
    the ordering and annotations dropped). Up to ``bound`` it is Django's paginator; past it
    ``more_than`` is the bound and each page reads one row more than it shows, to know whether
    another page follows."""

    bound = COUNT_BOUND

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *args: Any,
        counted: QuerySet | None = None,
        **kwargs: Any,
    ) -> None:
        """``counted``, when given, is counted in place of ``object_list``: the same rows read
        from a narrower index (the caller answers for their being the same)."""
        super().__init__(object_list, per_page, *args, **kwargs)
        self.counted = counted

    @cached_property
    def count(self) -> int:
        return self._count_bounded()

    def _count_bounded(self) -> int:
        rows = self.object_list if self.counted is None else self.counted
        if isinstance(rows, QuerySet):
            return count_up_to(rows, self.bound + 1)
        return min(len(rows), self.bound + 1)

    @property
    def more_than(self) -> int | None:
        """The bound when there are more rows than it, else ``None`` (the count is exact)."""
        return self.bound if self.count > self.bound else None

    @property
    def more_than_display(self) -> str:
        return f"{self.bound:,}"

    def validate_number(self, number: Any) -> int:
        if self.more_than is None:
            return super().validate_number(number)
        try:
            return max(1, int(number))
        except (TypeError, ValueError):
            return 1

    def page(self, number: Any) -> Page:
        if self.more_than is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        return OpenEndedPage(
            rows[: self.per_page], number, self, has_more=len(rows) > self.per_page
        )


class FewFirstPaginator(BoundedPaginator):
    """For a search: the matches' keys are read once, in the list's order and no more than the
    count's bound + 1 of them (ten thousand keys are 80 kB). That one read is the count and
    the paging, and a page loads its rows by key from ``rows`` (the list without the search:
    whatever it shows of each row); the match (a name looked up among a city's members) is
    evaluated once instead of once to count and again for the page. Past the bound the list
    says "more than", as ``BoundedPaginator`` does, and pages past the keys read are its own.

    A county user's search for a surname (刘: 3,768 of their 27,000 households) thus costs one
    evaluation, 60 ms at a city's size: with the keys read only up to 500 it was evaluated
    three times (180 ms), once for the keys, again to count, again for the page."""

    def __init__(self, object_list: Any, per_page: int, *args: Any, rows: QuerySet, **kwargs: Any):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.rows = rows

    @cached_property
    def _keys(self) -> list[Any] | None:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return None
        return list(rows.values_list("pk", flat=True)[: self.bound + 1])

    @cached_property
    def count(self) -> int:
        if self._keys is not None:
            return len(self._keys)
        return self._count_bounded()

    def page(self, number: Any) -> Page:
        keys = self._keys
        if keys is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self.more_than is not None and bottom + self.per_page >= len(keys):
            return super().page(number)  # past the keys read: counted no further, paged by offset
        shown = keys[bottom : bottom + self.per_page]
        loaded = {row.pk: row for row in self.rows.filter(pk__in=shown)} if shown else {}
        rows = [loaded[key] for key in shown if key in loaded]
        if self.more_than is None:
            return Page(rows, number, self)
        return OpenEndedPage(rows, number, self, has_more=True)


class OpenEndedPage(Page):
    """A page of a list counted only up to its bound: whether a next page exists is read from
    the extra row, not from a total."""

    def __init__(self, object_list: Any, number: int, paginator: Paginator, *, has_more: bool):
        super().__init__(object_list, number, paginator)
        self.has_more = has_more

    def has_next(self) -> bool:
        return self.has_more

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


BADGE_BOUND = 99


class BadgeCount:
    """A menu badge's count: exact up to ``bound``, past it "99+" (the badge of a county's queue
    would otherwise count tens of thousands of rows on every page). The menu template prints
    ``.count``, as it does for viewflow's querysets."""

    def __init__(self, rows: QuerySet, bound: int = BADGE_BOUND) -> None:
        self.rows, self.bound = rows, bound

    @cached_property
    def count(self) -> str:
        counted = count_up_to(self.rows, self.bound + 1)
        return f"{self.bound}+" if counted > self.bound else str(counted)


class KeyedRows:
    """A list paged in two steps, for Django's paginator: the keys of a page are read (and the
    whole list counted) from an index of keys alone, then the rows of that page's keys only.

    ``keys`` is a flat ``values_list`` of primary keys in the list's order; ``rows`` the
    objects with whatever the list shows of them (annotations, related rows), filtered here by
    a page's keys. A sort or count over a wide jurisdiction then reads index entries, not the
    row of every object in it."""

    def __init__(self, keys: QuerySet, rows: QuerySet) -> None:
        self.keys, self.rows, self.model = keys, rows, rows.model

    def count(self) -> int:
        return self.keys.order_by().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Any]:
        if not isinstance(index, slice):
            raise TypeError("KeyedRows is read a page (a slice) at a time")
        keys = list(self.keys[index])
        loaded = {row.pk: row for row in self.rows.filter(pk__in=keys)} if keys else {}
        return [loaded[key] for key in keys if key in loaded]
