"""Writes of the API's own: a system client made (its token shown once), a staff member's
personal token, a token revoked, and the record of a system client's call. Each is audited
but the calls, which have their own log."""

import datetime
import re
import secrets

from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_record
from casework.policy.params import param
from casework.registry.models import Site
from casework.registry.validators import clean_line

from .models import ApiCall, ApiClient
from .tokens import PREFIX_LENGTH, token_hash, token_new

# What a system client's account may do at all (where: its site only, by a site grant).
READ_RIGHTS = (
    "registry.view_household", "registry.view_member", "pairing.view_visit",
    "cases.view_employmentcase", "training.view_course", "monitoring.view_monthlyworkrecord",
    "monitoring.view_monitoredhousehold",
)  # fmt: skip
WRITE_RIGHTS = (
    *READ_RIGHTS, "registry.add_household", "registry.add_member", "pairing.add_visit",
    "monitoring.add_monthlyworkrecord",
)  # fmt: skip
PERSONAL_DATA_RIGHT = "registry.view_personal_data"
USED_AT_PRECISION = datetime.timedelta(minutes=1)


def _rights(names: tuple[str, ...]) -> list[Permission]:
    lookups = Q()
    for name in names:
        app_label, codename = name.split(".")
        lookups |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(lookups))


def _expiry(days: int | None) -> datetime.datetime:
    today = timezone.localdate()
    longest = int(param("api.token_days_max", on=today))
    days = longest if days is None else days
    if not 1 <= days <= longest:
        raise ValidationError(
            {"days": _("A token is valid between 1 and %(days)s days.") % {"days": longest}}
        )
    return timezone.now() + datetime.timedelta(days=days)


def _client_save(client: ApiClient) -> str:
    token = token_new()
    client.token_prefix, client.token_hash = token[:PREFIX_LENGTH], token_hash(token)
    client.save()
    return token


def api_client_create(
    *,
    actor: User,
    name: str,
    site: Site,
    access: str,
    days: int | None = None,
    personal_data: bool = False,
) -> tuple[ApiClient, str]:
    """A system client of ``site``, reading (or also writing): its own account acts for it,
    seeing the site's grids (``permissions.system_client_scope``) within the account's model
    rights, and holding no object grant (it is nobody's colleague). Returns the client and its
    token, which is shown this once."""
    if not permissions.may_manage_api_clients(actor):
        raise PermissionDenied(_("You may not manage API clients."))
    name = clean_line(name)
    if not name:
        raise ValidationError({"name": _("Name the system that will call the API.")})
    if access not in ApiClient.Access.values:
        raise ValidationError({"access": _("Choose read only, or read and write.")})
    expires_at = _expiry(days)
    with transaction.atomic():
        slug = re.sub(r"[^a-z0-9]+", "-", site.code.lower()).strip("-") or "site"
        # A random tail: two clients made at once never collide on the name.
        account = User(username=f"api-{slug}-{secrets.token_hex(4)}", first_name=name[:150])
        account.set_unusable_password()
        account.save()
        rights = WRITE_RIGHTS if access == ApiClient.Access.WRITE else READ_RIGHTS
        if personal_data:
            rights = (*rights, PERSONAL_DATA_RIGHT)
        account.user_permissions.set(_rights(rights))
        client = ApiClient(
            name=name, kind=ApiClient.Kind.SYSTEM, access=access, user=account, site=site,
            personal_data=personal_data, created_by=actor, expires_at=expires_at,
        )  # fmt: skip
        token = _client_save(client)
        audit_record(
            actor=actor, action="api_client.create", obj=client, household_id=None,
            changes={"name": (None, name), "site": (None, site.pk), "access": (None, access),
                     "personal_data": (None, personal_data), "expires_at": (None, expires_at)},
        )  # fmt: skip
    return client, token


def api_token_create(
    *, actor: User, name: str, access: str, days: int | None = None
) -> tuple[ApiClient, str]:
    """A staff member's personal token for scripts: it acts as them, within their own rights
    and jurisdiction. Returns the token, shown this once."""
    if not permissions.may_hold_api_tokens(actor):
        raise PermissionDenied(_("Only staff who see households hold API tokens."))
    name = clean_line(name) or _("Personal token")
    if access not in ApiClient.Access.values:
        raise ValidationError({"access": _("Choose read only, or read and write.")})
    expires_at = _expiry(days)
    with transaction.atomic():
        client = ApiClient(
            name=name, kind=ApiClient.Kind.PERSONAL, access=access, user=actor,
            created_by=actor, expires_at=expires_at,
        )  # fmt: skip
        token = _client_save(client)
        audit_record(
            actor=actor, action="api_client.create", obj=client, household_id=None,
            changes={"name": (None, name), "access": (None, access),
                     "expires_at": (None, expires_at)},
        )  # fmt: skip
    return client, token


def api_client_revoke(*, actor: User, client: ApiClient) -> ApiClient:
    """The token stops working at once; a system client's own account is deactivated."""
    own = client.kind == ApiClient.Kind.PERSONAL and client.user_id == actor.pk
    if not own and not permissions.may_manage_api_clients(actor):
        raise PermissionDenied(_("You may not manage API clients."))
    with transaction.atomic():
        client = ApiClient.objects.select_for_update().get(pk=client.pk)
        if client.revoked_at is not None:
            raise ValidationError(_("This token is already revoked."))
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        if client.kind == ApiClient.Kind.SYSTEM:
            User.objects.filter(pk=client.user_id).update(is_active=False)
        audit_record(
            actor=actor, action="api_client.revoke", obj=client, household_id=None,
            changes={"revoked_at": (None, client.revoked_at)},
        )  # fmt: skip
    return client


def api_call_record(*, client: ApiClient, method: str, path: str, status: int) -> None:
    """Log a system client's call (refused and failed ones too), and when the token was last
    used, to the minute: a busy client does not rewrite its own row on every call."""
    now = timezone.now()
    ApiCall.objects.create(client=client, method=method, path=path[:200], status=status)
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - USED_AT_PRECISION)
    ApiClient.objects.filter(stale, pk=client.pk).update(last_used_at=now)
