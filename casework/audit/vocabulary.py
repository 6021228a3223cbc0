"""The words the history needs beyond the models' own: names for change keys that are not model
fields, which keys hold a login, what each kind of object is called by people, and the sentence
of each task transition.

Change keys are resolved against the event's model first (a field's verbose name, its choices,
its related model); this module covers the rest. ``tests/audit/test_history_plain.py`` fails when
a recorded key or value shows through as code.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Key:
    """A change key that is not a field of the event's model.

    ``label`` names it. Its values are: the choices and type of the model field ``like``
    (``app.model.field``), if given; else objects of the model ``model`` by pk; else logins
    when ``login``; else shown as they are.
    """

    label: str | Promise
    like: str = ""
    model: str = ""
    login: bool = False


# Keys of one kind of object, by (object type, key): they override the model's own field.
KEYS_BY_TYPE: dict[tuple[str, str], Key] = {
    ("viewflow.task", "owner"): Key(_("assigned to"), login=True),
    ("viewflow.task", "notification"): Key(_("notice sent"), model="workflows.notification"),
    ("pairing.pairing", "helper"): Key(_("helper"), login=True),
    ("cases.householdcase", "review"): Key(_("review"), like="cases.assessment.review"),
    ("registry.household", "batch"): Key(_("batch export"), model="reports.casefilebatch"),
    ("registry.household", "head"): Key(_("head of household")),
    ("registry.household", "members"): Key(_("members")),
    ("registry.member", "name"): Key(_("Full name")),  # the field's own name reads 名称
    ("training.session", "present"): Key(_("trainees present")),
    ("training.session", "on_roll"): Key(_("trainees on the roll")),
    # A step undone (``workflows.undo``): step titles, and the withdrawn assessments by member
    # and version, recorded as text since the assessments are deleted.
    ("registry.household", "step"): Key(_("undone step")),
    ("registry.household", "cancelled"): Key(_("next step cancelled")),
    ("cases.householdcase", "assessments"): Key(_("withdrawn assessments")),
    # 防返贫监测: identification sets the household's category.
    ("monitoring.monitoredhousehold", "monitoring"): Key(
        _("monitoring category"), like="registry.household.monitoring"
    ),
}

# Keys that are no field of their event's model, by name alone.
KEYS: dict[str, Key] = {
    "imported_members": Key(_("imported members")),
    "split_to": Key(_("split off into household")),
    "warnings_accepted": Key(_("warnings accepted")),
    "trainer": Key(_("trainer"), login=True),
    "caseworker": Key(_("assigned caseworker"), login=True),
    "manager": Key(_("assigned manager"), login=True),
    "households": Key(_("households")),
    "helper_household": Key(_("helper household")),
    "tasks": Key(_("tasks")),
    "released": Key(_("released from their holder")),
    "scope_missing": Key(_("cases without scope keys")),
    "scope_wrong": Key(_("cases with wrong scope keys")),
    "scope_steps": Key(_("open steps offered elsewhere")),
    "courses": Key(_("courses")),
    "rows": Key(_("rows")),
    "attempts": Key(_("attempts")),
    "breaches": Key(_("problems found")),
    "findings": Key(_("problems found")),
    "rule": Key(_("rule")),
    "file": Key(_("file")),
    "sha256": Key(_("file fingerprint")),
    "template": Key(_("ledger template")),
    "username": Key(_("login name")),
    "address": Key(_("network address")),
    "batch": Key(_("batch export"), model="reports.casefilebatch"),
}

# A dotted key's first part: whose fields follow (``head.document_type`` on a household).
PREFIXES: dict[str, tuple[str | Promise, str]] = {
    "head": (_("head of household"), "registry.member"),
    "new_head": (_("new head of household"), "registry.member"),
}

# What people call each kind of object: the value paths joined by " · ". ``auth.user`` and
# ``viewflow.task`` are named by the history itself (people's labels, task titles).
OBJECT_NAMES: dict[str, tuple[str, ...]] = {
    "registry.region": ("name",),
    "registry.site": ("name",),
    "registry.grid": ("name",),
    "registry.household": ("number",),
    "registry.member": ("name",),
    "cases.householdcase": ("household__number",),
    "cases.assessment": ("member__name",),
    "cases.employmentcase": ("member__name",),
    "cases.retentionfollowup": ("case__member__name",),
    "training.course": ("name",),
    "training.enrolment": ("member__name", "course__name"),
    "training.session": ("course__name", "date"),
    "placement.employer": ("name",),
    "placement.vacancy": ("employer__name", "title"),
    "placement.placement": ("member__name", "employer_name"),
    "posts.welfarepost": ("name",),
    "posts.postassignment": ("member__name", "post__name"),
    "posts.postvacancy": ("post__name", "vacated_by__member__name"),
    "pairing.pairing": ("household__number",),
    "pairing.visit": ("household__number", "date"),
    "pairing.servicerequest": ("matter",),
    "workflows.notification": ("text",),
    "reports.casefilebatch": ("created_at",),
}

# Task transitions as sentences: actor, task (its title), owner (who it went to), process.
TASK_SENTENCES: dict[str, str | Promise] = {
    "task.assign": _("%(actor)s assigned %(task)s to %(owner)s"),
    "task.reassign": _("%(actor)s reassigned %(task)s to %(owner)s"),
    "task.unassign": _("%(actor)s released %(task)s"),
    "task.execute": _("%(actor)s completed %(task)s"),
    "task.cancel": _("%(actor)s cancelled %(task)s"),
    "task.undo": _("%(actor)s undid %(task)s"),
    "task.revive": _("%(actor)s revived %(task)s"),
    "task.timer_fired": _("%(task)s: the wait is over, the flow goes on"),
    "task.escalate": _("%(actor)s escalated the overdue %(task)s"),
    "task.return": _("%(actor)s sent %(task)s back to %(owner)s"),
    "process.start": _("%(actor)s started %(process)s"),
    "process.finish": _("%(process)s finished"),
}
# Taking a free task oneself (an assignment whose actor is its owner).
TASK_TAKEN = _("%(actor)s took %(task)s")
# Releasing a step somebody else held (a manager, or a household's move to another grid).
TASK_RELEASED_FROM = _("%(actor)s took %(task)s back from %(holder)s")
