"""Read-only endpoints of casework: employment cases, placements, courses and enrolments, each
scoped by ``casework.permissions`` as the pages that show them scope them. A row outside the
caller's reach does not exist: absent from the list, 404 on its own. A caller without the model
right the pages ask for reads an empty list (404 on a row), as ``courses_visible_to`` answers
one without ``training.view_course``.

- cases: the household page shows its members' cases to whoever sees the household
  (``households_visible_to``);
- placements: the employment ledger, the one page that lists jobs, needs
  ``cases.view_employmentcase`` and covers the households the user sees;
- courses: ``courses_visible_to``;
- enrolments: a course's page shows its class to its trainers whole and to others the trainees
  of the households they see (``training.selectors.roster_households``), for courses visible.
"""

from django.db.models import F, Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from casework import permissions
from casework.cases.models import EmploymentCase
from casework.placement.models import Placement
from casework.policy.models import Code
from casework.policy.selectors import with_code_label
from casework.training.models import Course, Enrolment

from .read_filters import CaseFilter, CourseFilter, EnrolmentFilter, PlacementFilter
from .read_serializers import (
    CaseSerializer,
    CourseSerializer,
    EnrolmentSerializer,
    PlacementSerializer,
)
from .views import ApiView, caller

# The right the employment ledger asks for (``ledgers.views.LedgerExportView``).
VIEW_EMPLOYMENT = "cases.view_employmentcase"


@extend_schema_view(
    list=extend_schema(
        summary="就业帮扶案件列表",
        description=(
            "调用方可见户内成员的就业帮扶案件（与户详情页一致），按编号游标分页。"
            "案件不记录最后变更时间，故不提供 updated_since。"
        ),
    ),
    retrieve=extend_schema(summary="就业帮扶案件详情", description="辖区外的案件返回 404。"),
)
class CaseViewSet(ApiView, viewsets.ReadOnlyModelViewSet[EmploymentCase]):
    serializer_class = CaseSerializer
    filterset_class = CaseFilter

    def get_queryset(self) -> QuerySet[EmploymentCase]:
        households = permissions.households_visible_to(self.request.user)
        return EmploymentCase.objects.filter(
            household_case__household__in=households.values("pk")
        ).annotate(household_pk=F("household_case__household_id"))


@extend_schema_view(
    list=extend_schema(
        summary="就业（上岗）记录列表",
        description=(
            "调用方可见户内成员的每段就业，需有查看就业帮扶案件的权限（与就业台账一致）；"
            "current 为真表示仍在岗。就业记录不记录最后变更时间，故不提供 updated_since。"
        ),
    ),
    retrieve=extend_schema(summary="就业记录详情", description="辖区外的记录返回 404。"),
)
class PlacementViewSet(ApiView, viewsets.ReadOnlyModelViewSet[Placement]):
    serializer_class = PlacementSerializer
    filterset_class = PlacementFilter

    def get_queryset(self) -> QuerySet[Placement]:
        user = self.request.user
        if not user.has_perm(VIEW_EMPLOYMENT):
            return Placement.objects.none()
        households = permissions.households_visible_to(user)
        placements = Placement.objects.filter(
            member__household__in=households.values("pk")
        ).annotate(household_pk=F("member__household_id"))
        return with_code_label(placements, "channel", Code.List.CHANNEL)


@extend_schema_view(
    list=extend_schema(
        summary="培训班列表",
        description="调用方授课的培训班，及其开展帮扶工作的安置点的培训班（与培训班页面一致）。",
    ),
    retrieve=extend_schema(summary="培训班详情", description="不可见的培训班返回 404。"),
)
class CourseViewSet(ApiView, viewsets.ReadOnlyModelViewSet[Course]):
    serializer_class = CourseSerializer
    filterset_class = CourseFilter

    def get_queryset(self) -> QuerySet[Course]:
        courses = permissions.courses_visible_to(self.request.user)
        return with_code_label(courses, "trade", Code.List.TRADE)


@extend_schema_view(
    list=extend_schema(
        summary="培训报名列表",
        description=(
            "可见培训班的学员：授课老师可见全班，其他人只见本人可见户内的学员"
            "（与培训班页面的花名册一致）。不含户信息；按户筛选只限调用方可见的户。"
        ),
    ),
    retrieve=extend_schema(summary="培训报名详情", description="不可见的报名返回 404。"),
)
class EnrolmentViewSet(ApiView, viewsets.ReadOnlyModelViewSet[Enrolment]):
    serializer_class = EnrolmentSerializer
    filterset_class = EnrolmentFilter

    def get_queryset(self) -> QuerySet[Enrolment]:
        if getattr(self, "swagger_fake_view", False):  # the schema, made without a caller
            return Enrolment.objects.none()
        user = caller(self.request)
        courses = permissions.courses_visible_to(user)
        taught = permissions.courses_taught_by(user)
        households = permissions.households_visible_to(user)
        return Enrolment.objects.filter(course__in=courses.values("pk")).filter(
            Q(course__in=taught.values("pk")) | Q(member__household__in=households.values("pk"))
        )
