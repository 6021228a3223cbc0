"""What the API shows and takes: households, members and visits by ids and codes. ID numbers
and phones are masked as on the pages unless the serializer is told the reader may see them
whole (``context["unmasked"]``), which the view records."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.pairing.models import ServiceRequest, Visit
from casework.permissions.personal_data import PersonalData
from casework.registry.models import Household, Member


def choices_within(serializer: serializers.Serializer[Any], field: str, key: str) -> None:
    """Let ``field`` (an id) name only the rows the view put in ``context[key]`` (the caller's
    households, the grids they may write into): any other id is refused as not existing."""
    within = serializer.context.get(key)
    if within is not None:
        choice = serializer.fields[field]
        assert isinstance(choice, serializers.PrimaryKeyRelatedField)  # noqa: S101 - declared so
        choice.queryset = within


def _shown(context: dict[str, Any]) -> PersonalData:
    return PersonalData(unmasked=bool(context.get("unmasked")))


class HouseholdSerializer(serializers.ModelSerializer[Household]):
    site = serializers.IntegerField(source="grid.site_id", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = (
            "id", "number", "site", "grid", "grid_name", "building", "unit", "room",
            "household_type", "monitoring", "colour", "phone", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = fields

    def get_phone(self, household: Household) -> str:
        return _shown(self.context).phone(household.phone)


class MemberSerializer(serializers.ModelSerializer[Member]):
    document_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    health = serializers.SerializerMethodField(help_text="健康状况：仅在读取完整个人信息时给出")
    # A code or blank (a member who has not left): a plain string, not an enum without "".
    left_reason = serializers.CharField(read_only=True)

    class Meta:
        model = Member
        fields = (
            "id", "household", "name", "document_type", "document_number", "sex", "birth_date",
            "relationship", "education", "in_school", "health", "labour_capacity", "phone",
            "political_status", "arrival", "left_on", "left_reason", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = fields

    def get_document_number(self, member: Member) -> str:
        return _shown(self.context).document(member.document_number)

    def get_phone(self, member: Member) -> str:
        return _shown(self.context).phone(member.phone)

    def get_health(self, member: Member) -> str | None:
        """Health is personal data: given with the whole numbers only, null otherwise."""
        return member.health if _shown(self.context).unmasked else None


FIVE_POINTS = (
    "thinking_stable", "policy_understood", "life_happy", "industry_developing",
    "problems_solved",
)  # fmt: skip


class ServiceRequestDraftSerializer(serializers.Serializer[Any]):
    matter = serializers.CharField(label=_("the concern"), max_length=2000)
    kind = serializers.ChoiceField(
        choices=ServiceRequest.Kind.choices, default=ServiceRequest.Kind.HANDLE
    )
    promised_date = serializers.DateField(required=False, allow_null=True)


class VisitSerializer(serializers.ModelSerializer[Visit]):
    """A visit (走访) with its five points (五大掌握); a concern raised in it (``request``) becomes
    a service request (诉求) with a promised date (限时办结)."""

    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.none())
    request = ServiceRequestDraftSerializer(required=False, write_only=True)
    visitor = serializers.IntegerField(source="visitor_id", read_only=True)

    class Meta:
        model = Visit
        fields = (
            "id", "household", "visitor", "date", "mode", *FIVE_POINTS, "raised", "done",
            "next_step", "request", "recorded_at",
        )  # fmt: skip
        read_only_fields = ("id", "visitor", "recorded_at")
        extra_kwargs = {name: {"required": True} for name in FIVE_POINTS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_within(self, "household", "households")
