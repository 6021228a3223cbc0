"""The API's endpoints (``/api/v1/``). Every answer is scoped by ``casework.permissions`` as the
pages are: a household outside the caller's jurisdiction does not exist (404)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from casework import permissions
from casework.registry.models import Household

from .filters import HouseholdFilter
from .models import ApiClient
from .serializers import HouseholdSerializer
from .services import api_call_record


class CallsLogged:
    """Record every call of a system client (who, when, what, how it ended)."""

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]  # a mixin of APIView
        client = getattr(request, "auth", None)
        if isinstance(client, ApiClient) and client.kind == ApiClient.Kind.SYSTEM:
            api_call_record(
                client=client, method=request.method, path=request.path,
                status=response.status_code,
            )  # fmt: skip
        return response


@extend_schema_view(
    list=extend_schema(summary="搬迁户列表", description="调用方辖区内的搬迁户，按编号游标分页。"),
    retrieve=extend_schema(summary="搬迁户详情", description="辖区外的户返回 404。"),
)
class HouseholdViewSet(CallsLogged, viewsets.ReadOnlyModelViewSet):
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilter

    def get_queryset(self) -> QuerySet[Household]:
        return permissions.households_visible_to(self.request.user).select_related("grid")
