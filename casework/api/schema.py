"""How the OpenAPI schema describes the API's token: a Bearer scheme (the docs page's
Authorize button takes it)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "casework.api.authentication.TokenAuthentication"
    name = "令牌"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}
