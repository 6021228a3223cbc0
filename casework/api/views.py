"""The API's endpoints (``/api/v1/``). Every answer is scoped by ``casework.permissions`` as the
pages are (a household outside the caller's jurisdiction does not exist: 404) and every write
goes through the services the pages use."""

import logging
from typing import Any, NoReturn, cast

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from casework import permissions
from casework.audit.context import acting_until_done
from casework.pairing.models import Visit
from casework.pairing.services.visits import RequestDraft, visit_record
from casework.registry.models import Household, Member
from casework.registry.services import household_register, personal_data_shown

from .filters import HouseholdFilter, MemberFilter, VisitFilter
from .models import ApiClient
from .serializers import HouseholdSerializer, MemberSerializer, VisitSerializer
from .services import api_call_record
from .write_serializers import HouseholdRegisterSerializer, register_errors

logger = logging.getLogger(__name__)


class ApiView(APIView):
    """What every endpoint does besides its own work: the caller (known once the token is read)
    is the actor of the audit events written; every call of a system client is logged, refused
    and failed ones too."""

    lookup_value_converter = "int"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        acting_until_done(request.user)

    def _log(self, request: Request, status_code: int) -> None:
        client = getattr(request._request, "api_client", None)
        if not (isinstance(client, ApiClient) and client.kind == ApiClient.Kind.SYSTEM):
            return
        # The route, not the address: an id in the address could be anything a caller typed.
        match = request._request.resolver_match
        path = f"/{match.route}" if match is not None else "?"
        try:
            api_call_record(
                client=client, method=request.method or "", path=path, status=status_code
            )
        except DatabaseError:  # the answer stands (its write is done): the log line is lost
            logger.warning("API call of client %s not logged", client.pk, exc_info=True)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        # Answers may hold personal data: no browser or proxy keeps them.
        response["Cache-Control"] = "no-store"
        self._log(request, response.status_code)
        return response

    def raise_uncaught_exception(self, exc: Exception) -> NoReturn:
        self._log(self.request, status.HTTP_500_INTERNAL_SERVER_ERROR)
        super().raise_uncaught_exception(exc)
        raise exc  # not reached: the view re-raises it


def caller(request: Request) -> User:
    """The signed-in caller (``TokenAccess`` lets no anonymous call through to a view)."""
    return cast(User, request.user)


UNMASKED = OpenApiParameter(
    "unmasked",
    OpenApiTypes.BOOL,
    description="身份证号、电话显示完整（需个人信息权限；每次读取都记入日志）",
)


@extend_schema_view(
    list=extend_schema(summary="搬迁户列表", description="调用方辖区内的搬迁户，按编号游标分页。"),
    retrieve=extend_schema(summary="搬迁户详情", description="辖区外的户返回 404。"),
    create=extend_schema(
        summary="登记搬迁户",
        description="连同户主和其他成员一次登记；任何一处有误则全部不登记，错误逐项指明字段。",
        request=HouseholdRegisterSerializer,
        responses={201: HouseholdSerializer},
    ),
)
class HouseholdViewSet(ApiView, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Household]):
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilter

    def get_queryset(self) -> QuerySet[Household]:
        return permissions.households_visible_to(self.request.user).select_related("grid")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        context = {
            **self.get_serializer_context(),
            "grids": permissions.grids_for_registration(request.user),
        }
        given = HouseholdRegisterSerializer(data=request.data, context=context)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        head, members = data.pop("head"), data.pop("members", [])
        try:
            household = household_register(
                actor=caller(request), head=dict(head), members=[dict(m) for m in members],
                **data,
            )  # fmt: skip
        except DjangoValidationError as exc:
            raise ValidationError(register_errors(exc)) from exc
        shown = HouseholdSerializer(household, context=self.get_serializer_context())
        return Response(shown.data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="户内成员",
        description="默认脱敏；带 unmasked=true 且有个人信息权限时显示完整，并记录一次查看。",
        parameters=[UNMASKED],
        responses=MemberSerializer(many=True),
    )
    @action(detail=True, pagination_class=None, filterset_class=None)
    def members(self, request: Request, pk: str | None = None) -> Response:
        household = self.get_object()
        unmasked = request.query_params.get("unmasked", "").lower() in ("1", "true", "yes")
        if unmasked:
            # By token only: a link followed in a signed-in browser must not unmask (and record
            # an unmasked view in its user's name); the household page reveals by a form.
            if not isinstance(request.auth, ApiClient):
                raise PermissionDenied(_("Whole personal data is read with a token only."))
            if not permissions.may_unmask(request.user, household):
                raise PermissionDenied(_("This caller may not read personal data whole."))
            personal_data_shown(actor=caller(request), household=household)
        members = household.members.order_by("pk")
        context = {**self.get_serializer_context(), "unmasked": unmasked}
        return Response(MemberSerializer(members, many=True, context=context).data)


@extend_schema_view(
    list=extend_schema(summary="成员列表", description="辖区内户的成员，身份证号、电话脱敏。"),
    retrieve=extend_schema(summary="成员详情", description="身份证号、电话脱敏。"),
)
class MemberViewSet(ApiView, viewsets.ReadOnlyModelViewSet[Member]):
    serializer_class = MemberSerializer
    filterset_class = MemberFilter

    def get_queryset(self) -> QuerySet[Member]:
        households = permissions.households_visible_to(self.request.user)
        return Member.objects.filter(household__in=households.values("pk"))


@extend_schema_view(
    list=extend_schema(
        summary="走访记录", description="辖区内户（结对帮扶人：所结对的户）的走访。"
    ),
    retrieve=extend_schema(summary="走访详情"),
    create=extend_schema(
        summary="记录一次走访",
        description="五大掌握须逐项回答；提出的诉求（request）转为限时办结的诉求。",
    ),
)
class VisitViewSet(ApiView, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Visit]):
    serializer_class = VisitSerializer
    filterset_class = VisitFilter

    def get_queryset(self) -> QuerySet[Visit]:
        households = permissions.households_visible_to(self.request.user)
        return Visit.objects.filter(household__in=households.values("pk"))

    def get_serializer_context(self) -> dict[str, Any]:
        households = permissions.households_visible_to(self.request.user)
        return {**super().get_serializer_context(), "households": households}

    def perform_create(self, serializer: BaseSerializer[Visit]) -> None:
        data = dict(serializer.validated_data)
        draft = data.pop("request", None)
        serializer.instance = visit_record(
            actor=caller(self.request),
            request=RequestDraft(**draft) if draft else None,
            **data,
        )
