"""Writing households as the household ledger (户籍台账), in the template the import reads.

Full identifiers: ``services.household_ledger_export`` decides who may have them and records
each export.
"""

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet

from casework.registry.models import Household, Member

from .template import labels, ledger_workbook


def _household_values(household: Household) -> dict[str, Any]:
    site = household.grid.site
    region = household.origin_region
    return {
        "county": site.county.name if site.county else "",
        "township": site.township,
        "site": site.name,
        "grid": household.grid.name,
        "building": household.building,
        "unit": household.unit,
        "room": household.room,
        "origin_code": region.code if region else "",
        "origin_name": region.name if region else "",
        "origin_address": household.origin_address,
        "number": household.number,
        "household_type": labels("household_type")[household.household_type],
        "monitoring": labels("monitoring")[household.monitoring] if household.monitoring else "",
        "colour": labels("colour")[household.colour],
        "household_phone": household.phone,
    }


def _member_values(member: Member) -> dict[str, Any]:
    return {
        "name": member.name,
        "document_type": labels("document_type")[member.document_type],
        "document_number": member.document_number,
        "sex": labels("sex")[member.sex],
        "birth_date": member.birth_date.isoformat(),
        "relationship": labels("relationship")[member.relationship],
        "education": labels("education")[member.education] if member.education else "",
        "in_school": labels("yes_no")["1" if member.in_school else "0"],
        "health": labels("health")[member.health],
        "labour_capacity": labels("labour_capacity")[member.labour_capacity],
        "political_status": labels("political_status")[member.political_status],
        "phone": member.phone,
    }


def household_ledger_rows(households: QuerySet[Household]) -> Iterator[dict[str, Any]]:
    """One dict per member (head first), by household number, in a fixed number of queries."""
    households = (
        households.select_related("grid__site__county", "origin_region")
        .prefetch_related(Prefetch("members", queryset=Member.objects.order_by("pk")))
        .order_by("number")
    )
    number = 0
    for household in households.iterator(chunk_size=2000):
        shared = _household_values(household)
        members = sorted(household.members.all(), key=lambda m: (not m.is_head, m.pk))
        for member in members:
            number += 1
            yield {"row": number, **shared, **_member_values(member)}


def household_ledger_workbook(households: QuerySet[Household]) -> bytes:
    """The household ledger of ``households``, full identifiers, with the 填写说明 sheet."""
    return ledger_workbook(household_ledger_rows(households))
