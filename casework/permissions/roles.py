"""Roles are Django groups; each carries the model-level rights of its job.

Model-level rights say what a role may do at all; *where* it may do it (which grids, sites or
households) is object-level jurisdiction held through django-guardian and decided in
``casework.permissions``.
"""

from functools import reduce
from operator import or_
from typing import Any

from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CASEWORKER = "caseworker"
TRAINER = "trainer"
HELPER = "helper"
MANAGER = "manager"
COUNTY = "county"
ADMIN = "admin"

ROLE_LABELS = {
    CASEWORKER: _("Caseworker"),
    TRAINER: _("Trainer"),
    HELPER: _("Pairing helper"),
    MANAGER: _("Manager"),
    COUNTY: _("County bureau (read-only)"),
    ADMIN: _("Administrator"),
}

_REGISTRY_WORK = [
    "registry.view_household",
    "registry.add_household",
    "registry.change_household",
    "registry.view_member",
    "registry.add_member",
    "registry.change_member",
]

_CASEWORK = [
    "placement.view_employer",
    "placement.add_employer",
    "placement.change_employer",
    "placement.view_vacancy",
    "placement.add_vacancy",
    "placement.change_vacancy",
    "training.view_course",
    "training.add_course",
    "training.change_course",
    "cases.view_employmentcase",
    "cases.change_employmentcase",
    "workflows.view_householdprocess",
    "workflows.view_employmentprocess",
    "workflows.view_postvacancyprocess",
    "posts.view_welfarepost",
    "posts.add_postattendance",
    "pairing.view_pairing",
    "pairing.add_pairing",
    "pairing.change_pairing",
    "pairing.add_visit",
    "pairing.view_visit",
    "workflows.view_servicerequestprocess",
    "workflows.view_memberassessmentprocess",
    "registry.export_casefile",
    "monitoring.view_monthlyworkrecord",
    "monitoring.add_monthlyworkrecord",
    "monitoring.change_monthlyworkrecord",
    "monitoring.view_monitoredhousehold",
    "monitoring.add_monitoredhousehold",
    "workflows.view_riskeliminationprocess",
    "monitoring.view_qualityfinding",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    CASEWORKER: [*_REGISTRY_WORK, *_CASEWORK],
    MANAGER: [
        *_REGISTRY_WORK,
        *_CASEWORK,
        "registry.view_personal_data",
        "cases.review_assessment",
        "posts.add_welfarepost",
        "posts.change_welfarepost",
        "posts.add_subsidyroll",
        "ledgers.import_ledger",
        "reports.view_dashboard",
        "ops.view_consistencyrun",
        "policy.view_code",  # the code lists, read-only
        "monitoring.add_workmonthclosure",
        "monitoring.add_qualityrun",
    ],
    HELPER: [
        "registry.view_household",
        "registry.view_member",
        "pairing.add_visit",
        # Their households' follow-up visits come to their inbox.
        "workflows.view_householdprocess",
    ],
    TRAINER: ["training.view_course"],
    # The figures of the counties it is given (``registry.read_county``), nothing to change.
    COUNTY: ["reports.view_dashboard"],
    ADMIN: [
        *_REGISTRY_WORK,
        "registry.view_personal_data",
        "registry.view_site",
        "registry.add_site",
        "registry.change_site",
        "registry.view_grid",
        "registry.add_grid",
        "registry.change_grid",
        "registry.view_region",
        "registry.add_region",
        "registry.change_region",
        "audit.view_auditevent",
        "policy.view_parameter",
        "policy.add_parameter",
        "policy.change_parameter",
        "policy.view_code",
        "policy.add_code",
        "policy.change_code",
        "ops.view_consistencyrun",
        # Logins: release lockouts, set a forgotten password.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "auth.change_user",
    ],
}


def roles_sync(*, using: str = "default") -> None:
    """Create the role groups and set each group's permissions to exactly its list."""
    with transaction.atomic(using=using):
        for role, perm_names in ROLE_PERMISSIONS.items():
            group, _created = Group.objects.using(using).get_or_create(name=role)
            lookups = [
                Q(content_type__app_label=app_label, codename=codename)
                for app_label, codename in (name.split(".") for name in perm_names)
            ]
            wanted = (
                list(Permission.objects.using(using).filter(reduce(or_, lookups)))
                if lookups
                else []
            )
            if len(wanted) != len(lookups):
                raise LookupError(f"Role {role!r} names a permission that does not exist")
            group.permissions.set(wanted)


def roles_sync_on_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    roles_sync(using=using)


def user_roles(user: User | AnonymousUser) -> list[str]:
    """The role names a user holds, in the order of ``ROLE_LABELS``."""
    if not user.is_authenticated:
        return []
    names = {group.name for group in user.groups.all()}
    return [role for role in ROLE_LABELS if role in names]
