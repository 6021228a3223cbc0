"""Ledger imports through the API: a workbook sent, checked and imported in the background as
from the page (``ledger_import_request``), answered 202 with the address of its status, which
the caller polls until ``finished``. Only the caller's own imports exist for them."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from casework.ledgers.models import LedgerImport
from casework.ledgers.services import ledger_import_request

from .views import ApiView, caller
from .write_serializers import LedgerImportRequestSerializer, LedgerImportSerializer


@extend_schema_view(
    list=extend_schema(summary="我的台账导入", description="调用者自己提交的导入，最新在前。"),
    retrieve=extend_schema(summary="导入状态", description="轮询至 finished 为真。"),
    create=extend_schema(
        summary="导入台账",
        description="上传 .xlsx，后台检查并导入（全部正确才导入）；返回 202 和状态地址。",
        request={"multipart/form-data": LedgerImportRequestSerializer},
        responses={202: LedgerImportSerializer},
    ),
)
class LedgerImportViewSet(
    ApiView, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[LedgerImport]
):
    serializer_class = LedgerImportSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[LedgerImport]:
        if getattr(self, "swagger_fake_view", False):  # the schema, made without a caller
            return LedgerImport.objects.none()
        return LedgerImport.objects.filter(requested_by=caller(self.request))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = LedgerImportRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        upload = given.validated_data["file"]
        job = ledger_import_request(
            actor=caller(request), upload=upload, name=upload.name or "", size=upload.size or 0,
            dry_run=given.validated_data["dry_run"], layout=given.validated_data["layout"],
        )  # fmt: skip
        where = request.build_absolute_uri(f"{request.path}{job.pk}/")
        body = LedgerImportSerializer(job, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": where})
