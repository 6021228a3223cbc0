"""A household's history in plain words: the one renderer of the history page and the case file.

Every change key is named by the verbose name of the field it records (``head.document_type``:
户主·证件类型) or by ``vocabulary``; every value by its display label (choices, viewflow
statuses, yes/no, local dates and times) or by what people call the object it points at; people
by name (``people``); task transitions as sentences. The queries are fixed in number: the
objects named are read once per kind, however long the history.
"""

import datetime
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, Model
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from casework.policy.codes import CODED_FIELDS
from casework.policy.selectors import code_labels_of
from workflows.subjects import household_number_expression, member_name_expression

from .actions import action_label
from .models import AuditEvent
from .people import people_by
from .selectors import household_events
from .vocabulary import (
    KEYS,
    KEYS_BY_TYPE,
    OBJECT_NAMES,
    PREFIXES,
    TASK_RELEASED_FROM,
    TASK_SENTENCES,
    TASK_TAKEN,
    Key,
)

TASK_TYPE = "viewflow.task"
USER_TYPE = "auth.user"
NOTHING = "—"
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a household's history."""

    seq: int
    household_seq: int | None
    at: datetime.datetime  # local time
    actor: str
    action: str
    label: str
    subject: str  # what the event is about, as people call it
    sentence: str  # a task transition told as a sentence; "" for other events
    changes: list[tuple[str, str, str]]  # (field label, before, after)
    reason: str
    hash: str


@dataclass(frozen=True)
class _Meaning:
    """What one change key is: its label, and how its values are shown."""

    label: str
    field: Field[Any, Any] | None = None
    model: str = ""  # values are pks of this model
    login: bool = False  # values are logins
    code_list: str = ""  # values are codes of this code list (``policy.Code``)
    order: tuple[int, int] = (0, 0)  # (how deep the key is, the field's place in its model)


def _model(label: str) -> type[Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model: type[Model] | None, name: str) -> Field[Any, Any] | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, Field) else None


def _from_key(key: Key) -> _Meaning:
    like = None
    if key.like:
        model_label, _dot, name = key.like.rpartition(".")
        like = _field(_model(model_label), name)
    code_list = _code_list(like) if like is not None else ""
    return _Meaning(
        str(key.label), field=like, model=key.model, login=key.login, code_list=code_list
    )


def _code_list(field: Field[Any, Any]) -> str:
    return CODED_FIELDS.get(f"{field.model._meta.label_lower}.{field.name}", "")


def _from_field(field: Field[Any, Any]) -> _Meaning:
    related = field.related_model if field.many_to_one or field.one_to_one else None
    model = related._meta.label_lower if isinstance(related, type) else ""
    return _Meaning(str(field.verbose_name), field=field, model=model, code_list=_code_list(field))


def _meaning(object_type: str, key: str) -> _Meaning:
    """What the change key ``key`` of an event about ``object_type`` is."""
    return _meaning_in(object_type, key, get_language())


@functools.lru_cache(maxsize=1024)
def _meaning_in(object_type: str, key: str, language: str | None) -> _Meaning:
    *path, name = key.split(".")
    labels: list[str] = []
    for part in path:
        if part in PREFIXES:
            prefix_label, object_type = PREFIXES[part]
            labels.append(str(prefix_label))
            continue
        field = _field(_model(object_type), part)
        related = field.related_model if field is not None else None
        if field is not None and isinstance(related, type):
            labels.append(str(field.verbose_name))
            object_type = related._meta.label_lower
        else:
            labels.append(str(KEYS[part].label) if part in KEYS else part)
    if (object_type, name) in KEYS_BY_TYPE:
        meaning = _from_key(KEYS_BY_TYPE[(object_type, name)])
    elif (field := _field(_model(object_type), name)) is not None:
        meaning = _from_field(field)
    elif name in KEYS:
        meaning = _from_key(KEYS[name])
    else:
        meaning = _Meaning(name)
    model = _model(object_type)
    fields = [each.name for each in model._meta.fields] if model is not None else []
    place = fields.index(name) if name in fields else len(fields)
    return replace(meaning, label="·".join([*labels, meaning.label]), order=(len(path), place))


class _Names:
    """Names of the objects and people an event list mentions, read once per kind."""

    def __init__(self) -> None:
        self.wanted: dict[str, set[str]] = defaultdict(set)
        self.logins: set[str] = set()
        self.user_ids: set[int] = set()
        self.objects: dict[tuple[str, str], str] = {}
        self.people: dict[Any, str] = {}
        self.code_lists: set[str] = set()
        self.codes: dict[tuple[str, str], str] = {}

    def want(self, object_type: str, pk: Any) -> None:
        if object_type == USER_TYPE and str(pk).isdigit():
            self.user_ids.add(int(pk))
        elif pk not in (None, ""):
            self.wanted[object_type].add(str(pk))

    def load(self) -> None:
        task_ids = self.wanted.pop(TASK_TYPE, set())
        tasks = (
            Task.objects.filter(pk__in=[int(pk) for pk in task_ids if pk.isdigit()])
            .annotate(
                wf_member=member_name_expression("process__"),
                wf_household=household_number_expression("process__"),
            )
            .only("id", "flow_task", "owner_id")
        )
        for task in tasks:
            self.objects[(TASK_TYPE, str(task.pk))] = task.wf_member or task.wf_household or ""
            self.objects[("title", str(task.pk))] = str(task.flow_task.task_title)
            self.objects[("process", str(task.pk))] = str(task.flow_task.flow_class.process_title)
        for object_type, pks in self.wanted.items():
            model, paths = _model(object_type), OBJECT_NAMES.get(object_type)
            if model is None or paths is None:
                continue
            rows = model._default_manager.filter(pk__in=list(pks)).values_list("pk", *paths)
            for pk, *parts in rows:
                shown = [_plain(part) for part in parts if part not in (None, "")]
                self.objects[(object_type, str(pk))] = " · ".join(shown)
        self.people = people_by(pks=self.user_ids, usernames=self.logins)
        if self.code_lists:
            self.codes = code_labels_of(self.code_lists)

    def name(self, object_type: str, pk: Any) -> str:
        if object_type == USER_TYPE:
            return self.people.get(int(pk), str(pk)) if str(pk).isdigit() else str(pk)
        found = self.objects.get((object_type, str(pk)))
        if found:
            return found
        model = _model(object_type)
        return str(model._meta.verbose_name) if model is not None else str(pk)

    def person(self, login: Any) -> str:
        return self.people.get(login, str(login))

    def code(self, list_name: str, code: Any) -> str:
        return self.codes.get((list_name, str(code)), str(code))


def _plain(value: Any) -> str:
    """A value without a field to interpret it: yes/no, local times, dates, lists."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return "、".join(_plain(item) for item in value) or NOTHING
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if _DATETIME.match(text):
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            return text
        return _plain(moment if timezone.is_aware(moment) else timezone.make_aware(moment))
    return text


def _shown(value: Any, meaning: _Meaning, names: _Names) -> str:
    """A recorded value as people read it."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, list):
        return "、".join(_shown(item, meaning, names) for item in value) or NOTHING
    if meaning.login:
        return names.person(value)
    if meaning.model:
        return names.name(meaning.model, value)
    if meaning.code_list:
        return names.code(meaning.code_list, value)
    field = meaning.field
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return _plain(value)


def _want_values(event: AuditEvent, names: _Names) -> None:
    for key, values in event.changes.items():
        if not (isinstance(values, list) and len(values) == 2):
            continue
        meaning = _meaning(event.object_type, key)
        for value in values:
            for item in value if isinstance(value, list) else [value]:
                if meaning.login and item:
                    names.logins.add(str(item))
                elif meaning.code_list:
                    names.code_lists.add(meaning.code_list)
                elif meaning.model:
                    names.want(meaning.model, item)


def _changes(event: AuditEvent, names: _Names) -> list[tuple[str, str, str]]:
    if event.object_type == TASK_TYPE:
        return []  # the sentence says it (from whom to whom, and the status it moved to)
    rows = []
    for key, values in event.changes.items():
        if isinstance(values, list) and len(values) == 2:
            meaning = _meaning(event.object_type, key)
            before, after = (_shown(value, meaning, names) for value in values)
            if (before, after) != (NOTHING, NOTHING):
                rows.append((meaning.order, key, (meaning.label, before, after)))
    return [row for _order, _key, row in sorted(rows)]


def _sentence(event: AuditEvent, actor: str, names: _Names) -> str:
    """A task transition told as a sentence ("李网格员 认领了 入户评估"); "" for other events."""
    pattern = TASK_SENTENCES.get(event.action)
    if event.object_type != TASK_TYPE or pattern is None:
        return ""
    holder_login, owner_login = event.changes.get("owner") or [None, None]
    if event.action == "task.assign" and owner_login == event.actor_username:
        pattern = TASK_TAKEN
    if event.action == "task.unassign" and holder_login not in (None, event.actor_username):
        pattern = TASK_RELEASED_FROM
    return str(pattern) % {
        "actor": actor,
        "task": names.name("title", event.object_id),
        "owner": names.person(owner_login) if owner_login else NOTHING,
        "holder": names.person(holder_login) if holder_login else NOTHING,
        "process": names.name("process", event.object_id),
    }


def history_entries(events: list[AuditEvent]) -> list[HistoryEntry]:
    """``events`` in plain words (see the module), in their order."""
    names = _Names()
    for event in events:
        names.want(event.object_type, event.object_id)
        if event.actor_id:
            names.user_ids.add(event.actor_id)
        _want_values(event, names)
    names.load()
    entries = []
    for event in events:
        actor = names.people.get(event.actor_id, event.actor_username) if event.actor_id else ""
        actor = actor or _("System")
        entries.append(
            HistoryEntry(
                seq=event.seq,
                household_seq=event.household_seq,
                at=timezone.localtime(event.occurred_at),
                actor=actor,
                action=event.action,
                label=action_label(event.action),
                subject=names.name(event.object_type, event.object_id) if event.object_id else "",
                sentence=_sentence(event, actor, names),
                changes=_changes(event, names),
                reason=event.reason,
                hash=event.hash,
            )
        )
    return entries


def household_history(
    household_id: int, events: list[AuditEvent] | None = None
) -> list[HistoryEntry]:
    """Everything recorded about a household — its registry data, cases, courses, placements,
    posts, pairings and visits, and every task transition of its flows — oldest first, in
    plain words.

    A fixed number of queries however long the history is; ``events`` are the household's
    events if the caller has read them already.
    """
    return history_entries(household_events(household_id) if events is None else events)
