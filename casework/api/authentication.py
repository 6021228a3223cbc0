"""A token in ``Authorization: Bearer …``: a system client's or a staff member's personal one.
A revoked or expired token, or one that was never made, is refused (401)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from casework import permissions

from .models import ApiClient
from .tokens import token_hash


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, ApiClient] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give one token after Bearer."))
        try:
            token = header[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from exc
        client = (
            ApiClient.objects.select_related("user").filter(token_hash=token_hash(token)).first()
        )
        if client is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        # Known from here on, even when refused: the call is logged as the client's.
        request._request.api_client = client
        if client.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("The token was revoked."))
        if client.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("The token has expired."))
        if not client.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token's account is inactive."))
        if client.kind == ApiClient.Kind.SYSTEM and client.site_id is not None:
            permissions.system_client_scope(client.user, client.site_id)
        return client.user, client

    def authenticate_header(self, request: Any) -> str:
        return self.keyword
