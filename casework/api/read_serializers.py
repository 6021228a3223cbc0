"""What the read-only endpoints show: cases, placements, courses, enrolments, monthly work records
and monitored households, by ids and stored codes, each code with its label (``*_display``).

No ID number, phone or health detail is among them: a member is given by id only (the members
endpoint shows them masked). Labels of code lists (channels, trades) come from the row's
annotation (``policy.selectors.with_code_label``, read in the list's own query), so a page costs
the same number of queries whatever its length."""

from typing import Any

from rest_framework import serializers

from casework.cases.models import EmploymentCase
from casework.monitoring.models import MonitoredHousehold, MonthlyWorkRecord, NotWorkingReason
from casework.placement.models import Placement
from casework.policy.codes import LocationClass
from casework.training.models import CertificateType, Course, Enrolment


def _code_label(row: Any, field: str) -> str:
    """The label annotated on ``row`` for the code in ``field``; the code itself when the list
    never had it (as ``policy.selectors.code_display`` shows it)."""
    return str(row.__dict__.get(f"{field}_label") or getattr(row, field))


def _blank_or(choices: Any) -> serializers.ChoiceField:
    """A stored code that may be blank. Declared: a read-only model field loses ``allow_blank``
    in DRF, and the schema's enum would then refuse the "" the row holds."""
    return serializers.ChoiceField(choices=choices, allow_blank=True, read_only=True)


class CaseSerializer(serializers.ModelSerializer[EmploymentCase]):
    household = serializers.IntegerField(source="household_pk", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = EmploymentCase
        fields = (
            "id", "member", "household", "household_case", "category", "category_display",
            "state", "state_display", "refusal_count", "working_since", "work_episode",
            "opened_at", "closed_at",
        )  # fmt: skip
        read_only_fields = fields


class PlacementSerializer(serializers.ModelSerializer[Placement]):
    household = serializers.IntegerField(source="household_pk", read_only=True)
    channel_display = serializers.SerializerMethodField(help_text="就业渠道名称")
    location_class_display = serializers.CharField(
        source="get_location_class_display", read_only=True
    )
    current = serializers.SerializerMethodField(help_text="是否在岗（未填写离职日期）")

    class Meta:
        model = Placement
        fields = (
            "id", "member", "household", "case", "channel", "channel_display", "employer",
            "employer_name", "industry", "self_found", "start_date", "end_date", "current",
            "location_class", "location_class_display", "monthly_income", "contract_months",
            "recorded_at",
        )  # fmt: skip
        read_only_fields = fields

    def get_channel_display(self, placement: Placement) -> str:
        return _code_label(placement, "channel")

    def get_current(self, placement: Placement) -> bool:
        return placement.end_date is None


class CourseSerializer(serializers.ModelSerializer[Course]):
    trade_display = serializers.SerializerMethodField(help_text="工种名称")
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Course
        fields = (
            "id", "name", "site", "trade", "trade_display", "level", "level_display", "provider",
            "location", "start_date", "end_date", "hours", "capacity", "subsidised",
        )  # fmt: skip
        read_only_fields = fields

    def get_trade_display(self, course: Course) -> str:
        return _code_label(course, "trade")


class EnrolmentSerializer(serializers.ModelSerializer[Enrolment]):
    """A trainee as the course page shows them: no household (a course's trainers see the whole
    class, whoever's household each trainee belongs to)."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    certificate_type = _blank_or(CertificateType.choices)
    certificate_type_display = serializers.CharField(
        source="get_certificate_type_display", read_only=True
    )

    class Meta:
        model = Enrolment
        fields = (
            "id", "course", "member", "case", "status", "status_display", "joined_on",
            "enrolled_at", "result_at", "attendance_rate", "attendance_threshold",
            "certificate_type", "certificate_type_display",
        )  # fmt: skip
        read_only_fields = fields


class WorkMonthSerializer(serializers.ModelSerializer[MonthlyWorkRecord]):
    household = serializers.IntegerField(source="household_pk", read_only=True)
    location_class = _blank_or(LocationClass.choices)
    location_class_display = serializers.CharField(
        source="get_location_class_display", read_only=True
    )
    channel_display = serializers.SerializerMethodField(help_text="就业渠道名称")
    not_working_reason = _blank_or(NotWorkingReason.choices)
    not_working_reason_display = serializers.CharField(
        source="get_not_working_reason_display", read_only=True
    )

    class Meta:
        model = MonthlyWorkRecord
        fields = (
            "id", "member", "household", "grid", "month", "working", "location_class",
            "location_class_display", "channel", "channel_display", "employer_name", "industry",
            "organised_transport", "monthly_income", "days_worked", "not_working_reason",
            "not_working_reason_display", "recorded_at",
        )  # fmt: skip
        read_only_fields = fields

    def get_channel_display(self, record: MonthlyWorkRecord) -> str:
        return _code_label(record, "channel") if record.channel else ""


class MonitoredHouseholdSerializer(serializers.ModelSerializer[MonitoredHousehold]):
    """A monitored household's record without its risks and note: the risks name illness and
    disability, and the note is free text (health details stay on the monitoring page)."""

    site = serializers.IntegerField(source="household.grid.site_id", read_only=True)
    grid = serializers.IntegerField(source="household.grid_id", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    route_display = serializers.CharField(source="get_route_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    elimination = _blank_or(MonitoredHousehold.Elimination.choices)
    elimination_display = serializers.CharField(source="get_elimination_display", read_only=True)
    measure_count = serializers.IntegerField(read_only=True, help_text="帮扶措施条数")

    class Meta:
        model = MonitoredHousehold
        fields = (
            "id", "household", "site", "grid", "kind", "kind_display", "route", "route_display",
            "identified_on", "no_labour_safeguard", "status", "status_display", "elimination",
            "elimination_display", "eliminated_on", "measure_count", "created_at",
        )  # fmt: skip
        read_only_fields = fields
