"""How the OpenAPI schema describes the API's token: a Bearer scheme (the docs page's
Authorize button takes it)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "casework.api.authentication.TokenAuthentication"
    name = "令牌"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}


# The documentation page groups operations by these names (the first part of their address).
TAGS = {
    "households": "搬迁户",
    "members": "成员",
    "visits": "走访",
    "tasks": "待办任务",
    "cases": "帮扶案件",
    "placements": "就业安置",
    "courses": "培训课程",
    "enrolments": "培训报名",
    "work-months": "务工月报",
    "monitoring": "防返贫监测",
    "ledger-imports": "台账导入",
}


class ChineseTagsSchema(AutoSchema):
    """Operations grouped under Chinese names on the documentation page."""

    def get_tags(self) -> list[str]:
        tags = super().get_tags()
        return [TAGS.get(tag, tag) for tag in tags]
