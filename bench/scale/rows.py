"""Direct row writes for the bulk of the tiers, in the project's own row shapes.

Rows are tuples with their ids allocated here (``Ids``); PostgreSQL takes them by COPY, SQLite
by ``executemany``. The sequences are set past the written ids afterwards (``sequences_reset``),
so the project's own bulk paths, which let the database number their rows, can run in between.
Audit events are appended to the real hash chain (``Chain``), so ``audit_verify`` passes.
"""

import datetime
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

from casework.audit.chain import KEYED, canonical_content, event_hash
from casework.audit.models import AuditEvent
from casework.audit.selectors import chain_head, household_seqs_last

# Up to this many rows per COPY or executemany: memory stays flat at the city tier.
CHUNK = 20_000


class Ids:
    """The next free id of each table (nothing else writes while a tier is built)."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def take(self, model: type[models.Model], count: int) -> range:
        table = model._meta.db_table
        if table not in self.next:
            top = model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0
            self.next[table] = top + 1
        first = self.next[table]
        self.next[table] = first + count
        return range(first, first + count)

    def forget(self) -> None:
        """After the project's own writes: read the tops again."""
        self.next.clear()


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def write(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert ``rows`` (tuples in the order of ``columns``, column names; JSON as text) into
    ``model``'s table; returns the number written."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    postgresql = connection.vendor == "postgresql"
    written = 0
    batch: list[tuple] = []

    def flush() -> None:
        nonlocal written
        if not batch:
            return
        with connection.cursor() as cursor:
            if postgresql:
                raw = cursor.cursor  # psycopg's own cursor, for COPY
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - model names
                    [tuple(_sqlite_value(v) for v in row) for row in batch],
                )
        written += len(batch)
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            flush()
    flush()
    return written


def put(model: type[models.Model], objs: list[Any], ids: Ids) -> list[Any]:
    """``bulk_create`` without the ORM's per-row cost: each object gets the next id and its
    fields go through ``get_db_prep_save`` as Django would send them (set auto_now_add fields
    yourself). Returns ``objs``, with their ids."""
    if not objs:
        return objs
    real = connections[DEFAULT_DB_ALIAS]
    fields = list(model._meta.concrete_fields)
    for obj, pk in zip(objs, ids.take(model, len(objs)), strict=True):
        obj.pk = pk
    rows = (tuple(f.get_db_prep_save(getattr(o, f.attname), real) for f in fields) for o in objs)
    write(model, [f.column for f in fields], rows)
    return objs


def sequences_reset(models_written: Iterable[type[models.Model]]) -> None:
    """Set each table's id sequence past its rows (PostgreSQL; SQLite follows by itself)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(_NoStyle(), list(models_written)):
            cursor.execute(statement)


class _NoStyle:
    def __getattr__(self, name: str) -> Any:
        return lambda text: text


AUDIT_COLUMNS = (
    "id", "seq", "occurred_at", "actor_id", "actor_username", "action", "object_type",
    "object_id", "household_id", "household_seq", "changes", "reason", "prev_hash", "hash",
    "hash_scheme",
)  # fmt: skip


class Chain:
    """Appends events to the audit chain as ``audit_record_many`` would: the chain's head and
    each household's numbering continue from what the database holds."""

    def __init__(self, ids: Ids) -> None:
        self.ids = ids
        self.rows: list[tuple] = []
        self.seq, self.prev = chain_head()
        self.household_seq: dict[int, int] = {}

    def households_read(self, household_ids: Sequence[int]) -> None:
        """Read the last number of each of these households (after the project wrote some)."""
        self.seq, self.prev = chain_head()
        self.household_seq.update(household_seqs_last(list(household_ids)))

    def add(
        self,
        action: str,
        object_type: str,
        object_id: int,
        household_id: int | None,
        changes: dict[str, list[Any]],
        at: datetime.datetime,
        actor: Any = None,
    ) -> None:
        self.seq += 1
        household_seq = None
        if household_id is not None:
            household_seq = self.household_seq.get(household_id, 0) + 1
            self.household_seq[household_id] = household_seq
        occurred = at.astimezone(datetime.UTC)
        fields = {
            "seq": self.seq,
            "actor_id": actor.pk if actor else None,
            "actor_username": actor.username if actor else "",
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "household_id": household_id,
            "changes": changes,
            "reason": "",
            "household_seq": household_seq,
        }
        digest = event_hash(
            self.prev, canonical_content(**fields, occurred_at=occurred.isoformat())
        )
        self.rows.append(
            (
                None, self.seq, occurred, fields["actor_id"], fields["actor_username"], action,
                object_type, fields["object_id"], household_id, household_seq,
                json.dumps(changes, ensure_ascii=False), "",
                self.prev, digest, KEYED,
            )
        )  # fmt: skip
        self.prev = digest

    def flush(self) -> int:
        """Write the events added so far."""
        ids = iter(self.ids.take(AuditEvent, len(self.rows)))
        count = write(AuditEvent, AUDIT_COLUMNS, ((next(ids), *row[1:]) for row in self.rows))
        self.rows.clear()
        return count
