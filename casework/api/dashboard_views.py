"""The dashboard's figures through the API (统计看板): the same figures, from the same daily
snapshots, for the same sites (the caller's managed sites, or the one ``site`` names) as the
page; no household is named (the page's list of zero-employment households stays on the page
and its Excel download, which are recorded)."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from casework.reports.dashboard.snapshots import dashboard_from_snapshots
from casework.reports.dashboard.views import dashboard_scope

from .views import ApiView


class ShareSerializer(serializers.Serializer[Any]):
    part = serializers.IntegerField()
    whole = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True, help_text="百分比；分母为 0 时为 null")


class TallySerializer(serializers.Serializer[Any]):
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # Declared here: a field named ``label`` would hide the serializer's own attribute.
        return {
            "code": serializers.CharField(),
            "label": serializers.CharField(help_text="名称"),
            "count": serializers.IntegerField(),
        }


class DashboardSerializer(serializers.Serializer[Any]):
    generated_at = serializers.DateTimeField(help_text="数据生成时间")
    households = serializers.IntegerField(help_text="搬迁户数")
    labour = serializers.IntegerField(help_text="劳动力人数")
    assessed = ShareSerializer(help_text="已评估的劳动力")
    employed = ShareSerializer(help_text="已就业的劳动力")
    households_with_labour = serializers.IntegerField(help_text="有劳动力的户数")
    households_employed = ShareSerializer(help_text="有劳动力的户中至少一人就业（1户1人）")
    zero_employment = serializers.IntegerField(help_text="零就业户数")
    by_category = TallySerializer(many=True, help_text="劳动力按评估类别")
    by_channel = TallySerializer(many=True, help_text="在岗劳动力按就业渠道")
    by_group = TallySerializer(many=True, help_text="在岗劳动力按“七个一批”")
    training = ShareSerializer(help_text="培训合格 / 已结业")
    posts = ShareSerializer(help_text="公益性岗位在岗 / 岗位总数")
    overdue_tasks = serializers.IntegerField(help_text="逾期任务数")
    overdue_visits = serializers.IntegerField(help_text="逾期未走访户数")


SITE = OpenApiParameter(
    "site", OpenApiTypes.INT, description="只看这一个安置点（须为调用者所管理）"
)


class DashboardView(ApiView):
    @extend_schema(
        summary="统计看板数据",
        description="调用者所管理安置点的看板数据（与统计看板页面一致，来自每日快照），不列出具体的户。",
        parameters=[SITE],
        responses={200: DashboardSerializer},
        tags=["统计看板"],
    )
    def get(self, request: Request) -> Response:
        site = request.query_params.get("site") or None
        scope = dashboard_scope(request.user, site)
        figures = dashboard_from_snapshots(sites=scope.queryset)
        return Response(DashboardSerializer(figures).data)
