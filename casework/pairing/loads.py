"""Reads for the pairings administration: each helper's households by type against the type's
cap ("已结对 3 / 上限 3"), and a helper's pairings in force."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, QuerySet

from casework import permissions
from casework.permissions import roles
from casework.registry.models import Household

from .models import Pairing
from .types import PairingType, pairing_types


@dataclass(frozen=True)
class HelperLoad:
    """One helper (a user or a household) and one type: households taken and the bounds."""

    helper: User | None
    helper_household: Household | None
    kind: PairingType
    taken: int

    @property
    def name(self) -> str:
        if self.helper is not None:
            return self.helper.get_full_name() or self.helper.get_username()
        return self.helper_household.number if self.helper_household else ""

    @property
    def below_minimum(self) -> bool:
        return self.taken < self.kind.minimum

    @property
    def full(self) -> bool:
        return self.taken >= self.kind.maximum


def pairings_administered(actor: User) -> QuerySet[Pairing]:
    """The pairings in force of the households ``actor`` may pair."""
    return Pairing.objects.filter(
        end_date__isnull=True,
        household__in=permissions.households_pairable_by(actor).values("pk"),
    ).select_related("helper", "helper_household", "household")


def helper_loads(actor: User) -> list[HelperLoad]:
    """For each helper with pairings in ``actor``'s scope, and each type they hold, the
    households taken against the type's cap, fullest first; one query and the parameters."""
    kinds = {kind.code: kind for kind in pairing_types()}
    rows = (
        pairings_administered(actor)
        .values("helper", "helper_household", "kind")
        .annotate(taken=Count("pk"))
        .order_by("-taken", "helper", "helper_household")
    )
    users = User.objects.in_bulk([row["helper"] for row in rows if row["helper"]])
    households = Household.objects.in_bulk(
        [row["helper_household"] for row in rows if row["helper_household"]]
    )
    return [
        HelperLoad(
            helper=users.get(row["helper"]),
            helper_household=households.get(row["helper_household"]),
            kind=kinds[row["kind"]],
            taken=row["taken"],
        )
        for row in rows
        if row["kind"] in kinds
    ]


def helper_load(helper: User | Household) -> list[HelperLoad]:
    """One helper's households by type against each type's cap (types they hold)."""
    key = "helper_household" if isinstance(helper, Household) else "helper"
    counts = dict(
        Pairing.objects.filter(**{key: helper}, end_date__isnull=True)
        .values_list("kind")
        .annotate(taken=Count("pk"))
        .values_list("kind", "taken")
    )
    return [
        HelperLoad(
            helper=helper if isinstance(helper, User) else None,
            helper_household=helper if isinstance(helper, Household) else None,
            kind=kind,
            taken=counts[kind.code],
        )
        for kind in pairing_types()
        if kind.code in counts
    ]


def helpers_available() -> QuerySet[User]:
    """Active staff pairing helpers."""
    return User.objects.filter(is_active=True, groups__name=roles.HELPER).order_by("username")
