"""The errors every operation may answer, written into the OpenAPI document (a drf-spectacular
post-processing hook): each as the one JSON shape of ``casework.api.errors``. A 5xx is not
documented: the API must not give one."""

from typing import Any

ERRORS_SCHEMA = {
    "type": "object",
    "description": (
        "错误列表：code 为错误代码，message 为中文说明，field 为出错字段（整体错误时为 null）。"
    ),
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "field": {"type": "string", "nullable": True},
                },
                "required": ["code", "message", "field"],
            },
        }
    },
    "required": ["errors"],
}

EVERY_CALL = {
    "400": "请求参数或内容有误",
    "401": "未提供令牌，或令牌无效、已撤销、已过期",
    "403": "无权执行（只读令牌不能写入；无个人信息权限不能读取完整信息）",
    "404": "不存在或不在调用方辖区内",
    "429": "调用过于频繁，已被限流",
}
# Writes that can lose a race with someone else doing the same at the same moment.
CONFLICTS = {"409": "已被他人认领或办结，或该案件正被他人办理"}
# Writes: a body of a type the operation does not take.
WRITES = {"415": "请求体的类型不受支持"}
METHODS = ("get", "put", "patch", "post", "delete")


def error_responses(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """Add the error responses to every operation, and 409 to the task completions."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Errors"] = ERRORS_SCHEMA
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}
    for path, item in result.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            codes = dict(EVERY_CALL)
            if method in ("post", "put", "patch"):
                codes.update(WRITES)
            if method == "post" and path.endswith("/complete/"):
                codes.update(CONFLICTS)
            responses = operation.setdefault("responses", {})
            for code, description in codes.items():
                responses.setdefault(code, {"description": description, "content": body})
    return result
