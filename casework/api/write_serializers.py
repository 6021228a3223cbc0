"""What the API's writes take: a household to register (with its head and members) and a
ledger to import. The services check every value as the pages' forms do; these describe the
shapes (for the schema) and turn ids into objects within the caller's reach."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from casework.ledgers.models import LedgerImport
from casework.registry.cleaning import MEMBER_FIELDS, member_error_key_parse
from casework.registry.forms import MAX_MEMBER_ROWS
from casework.registry.models import Grid, Household, Member, Region

from .filters import MAX_ID
from .serializers import choices_within


class MemberInputSerializer(serializers.ModelSerializer[Member]):
    class Meta:
        model = Member
        fields = MEMBER_FIELDS
        # The service checks document numbers (check digit, taken, entered twice) with row
        # messages of its own.
        extra_kwargs = {
            "document_number": {"validators": []},
            "relationship": {"required": False},
        }


class HouseholdRegisterSerializer(serializers.ModelSerializer[Household]):
    """A new household: its residence and grid, its head, its other members."""

    grid = serializers.PrimaryKeyRelatedField(queryset=Grid.objects.none())
    origin_region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), required=False, allow_null=True
    )
    head = MemberInputSerializer()
    # As many rows as the registration page takes.
    members: serializers.ListSerializer[Member] = serializers.ListSerializer(
        child=MemberInputSerializer(), required=False, max_length=MAX_MEMBER_ROWS
    )

    class Meta:
        model = Household
        fields = (
            "id", "number", "grid", "building", "unit", "room", "origin_region",
            "origin_address", "household_type", "monitoring", "colour", "phone", "head",
            "members",
        )  # fmt: skip
        read_only_fields = ("id",)
        # Whether the number is taken, the service says.
        extra_kwargs: dict[str, dict[str, Any]] = {"number": {"validators": []}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_within(self, "grid", "grids")


def register_errors(exc: DjangoValidationError) -> dict[str, Any]:
    """The service's errors keyed as the request's fields: ``head_name`` → ``head.name``,
    ``members.2.name`` → ``members[2].name``."""
    keyed: dict[str, Any] = {}
    for key, messages in exc.message_dict.items():
        row = member_error_key_parse(key)
        if row is not None:
            key = f"members[{row[0]}].{row[1]}"
        elif key.startswith("head_"):
            key = f"head.{key.removeprefix('head_')}"
        keyed[key] = messages
    return keyed


class LedgerImportRequestSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="户籍台账或防返贫监测基础表（.xlsx）")
    dry_run = serializers.BooleanField(default=False, help_text="只检查，不导入")
    layout = serializers.ChoiceField(
        choices=LedgerImport.Layout.choices, default=LedgerImport.Layout.REGISTER
    )


class LedgerImportSerializer(serializers.ModelSerializer[LedgerImport]):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    finished = serializers.SerializerMethodField()
    bad_rows = serializers.SerializerMethodField()

    class Meta:
        model = LedgerImport
        fields = (
            "id", "original_name", "layout", "dry_run", "status", "status_display",
            "finished", "total_rows", "processed_rows", "households_created",
            "members_created", "households_unchanged", "bad_rows", "created_at",
            "started_at", "finished_at",
        )  # fmt: skip
        read_only_fields = fields

    def get_finished(self, job: LedgerImport) -> bool:
        return job.status in LedgerImport.FINISHED

    def get_bad_rows(self, job: LedgerImport) -> int:
        return int((job.report or {}).get("bad_rows", 0))


class WorkMonthLineSerializer(serializers.Serializer[Any]):
    """One labour member's month (务工月监测): working, where, through which channel, for how
    much, how many days; or why not."""

    member = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    working = serializers.BooleanField()
    location_class = serializers.CharField(required=False, allow_blank=True, max_length=16)
    channel = serializers.CharField(required=False, allow_blank=True, max_length=16)
    employer_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    industry = serializers.CharField(required=False, allow_blank=True, max_length=50)
    organised_transport = serializers.BooleanField(required=False, allow_null=True, default=None)
    monthly_income = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, default=None
    )
    days_worked = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=31
    )
    not_working_reason = serializers.CharField(required=False, allow_blank=True, max_length=16)


class WorkMonthInputSerializer(serializers.Serializer[Any]):
    """A grid's month: every line stored, or none (any bad line refuses the whole month)."""

    grid = serializers.PrimaryKeyRelatedField(queryset=Grid.objects.none())
    month = serializers.DateField(help_text="当月 1 日")
    entries = WorkMonthLineSerializer(many=True, allow_empty=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_within(self, "grid", "grids")


def work_month_errors(exc: DjangoValidationError, member_ids: list[int]) -> Any:
    """The service's errors (by member id) keyed by the request's lines: ``entries[2]``."""
    if not hasattr(exc, "error_dict"):
        return exc.messages
    place = {str(pk): index for index, pk in enumerate(member_ids)}
    return {
        (f"entries[{place[key]}]" if key in place else key): messages
        for key, messages in exc.message_dict.items()
    }
