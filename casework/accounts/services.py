"""Logins: the audit events of every attempt, the release of a lockout, a password set by an
administrator, and the enrolment of a TOTP device.

Each writes its audit event in its own transaction (``household_id`` None: a login is about no
household). The username typed in a failed attempt is recorded, cut to the field's length; a
password never is.
"""

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.audit.services import audit_record
from casework.permissions import (
    may_manage_logins,
    users_whose_password_may_be_set_by,
)

# Accounts as administrators keep them have their own module; named here too (the staff-change
# page deactivates through ``user_deactivate`` from this module).
from .users.services import user_create as user_create
from .users.services import user_deactivate as user_deactivate
from .users.services import user_reactivate as user_reactivate
from .users.services import user_roles_set as user_roles_set
from .users.services import user_update as user_update

USERNAME_RECORDED_LENGTH = 150
DEVICE_NAME = "TOTP"


def _typed(username: str | None) -> str:
    return (username or "")[:USERNAME_RECORDED_LENGTH]


@transaction.atomic
def login_record_success(*, user: User, address: str) -> None:
    """Record a successful password login."""
    audit_record(
        actor=user, action="login.success", obj=user, household_id=None,
        changes={"address": ("", address)},
    )  # fmt: skip


@transaction.atomic
def login_record_failure(*, username: str | None, address: str, refused: bool) -> None:
    """Record a failed login: a wrong password or unknown username, or (``refused``) an
    attempt turned away unchecked because its username and address are locked out."""
    audit_record(
        actor=None,
        action="login.refused" if refused else "login.failure",
        obj=None,
        household_id=None,
        changes={"username": ("", _typed(username)), "address": ("", address)},
    )


@transaction.atomic
def login_record_lockout(*, username: str | None, address: str) -> None:
    """Record that a username at an address has just been locked out."""
    audit_record(
        actor=None, action="login.lockout", obj=None, household_id=None,
        changes={"username": ("", _typed(username)), "address": ("", address)},
    )  # fmt: skip


@transaction.atomic
def logout_record(*, user: User, address: str, idle: bool = False) -> None:
    """Record a logout, by the user or (``idle``) because the session was left unused."""
    audit_record(
        actor=user, action="login.logout", obj=user, household_id=None,
        changes={"address": ("", address)}, reason="idle" if idle else "",
    )  # fmt: skip


@transaction.atomic
def lockout_release(*, actor: User | AnonymousUser, attempt: AccessAttempt) -> None:
    """Release a lockout (every failure of its username at its address) and record it."""
    if not may_manage_logins(actor):
        raise ValidationError({"attempt": _("You may not release lockouts.")})
    username, address = attempt.username or "", attempt.ip_address or ""
    axes_reset(ip=address, username=username)
    audit_record(
        actor=actor, action="login.unlock", obj=None, household_id=None,
        changes={"username": (username, ""), "address": (address, "")},
    )  # fmt: skip


@transaction.atomic
def user_password_set(*, actor: User | AnonymousUser, user: User, password: str) -> None:
    """Set another user's password (a forgotten one), checked by the password validators."""
    if not users_whose_password_may_be_set_by(actor).filter(pk=user.pk).exists():
        raise ValidationError({"user": _("You may not set this user's password.")})
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action="password.set", obj=user, household_id=None)


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device, made with a new secret if there is none yet."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> None:
    """Confirm a new device with a first code from it; the code is checked (and throttled)
    by the device itself, outside the transaction so that a refusal still counts."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError({"token": _("This device cannot be confirmed.")})
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        raise ValidationError({"token": _("Too many wrong codes: wait a moment and retry.")})
    if not device.verify_token(token):
        raise ValidationError({"token": _("The code is wrong or has expired.")})
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        audit_record(actor=user, action="otp.enrol", obj=user, household_id=None)


def totp_verify(*, user: User, token: str) -> TOTPDevice:
    """The user's confirmed device that accepts ``token``; a wrong code is recorded.

    Not atomic as a whole: the device's throttling counter must survive the refusal."""
    for device in TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"):
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            raise ValidationError({"token": _("Too many wrong codes: wait a moment and retry.")})
        if device.verify_token(token):
            with transaction.atomic():
                audit_record(actor=user, action="otp.verify", obj=user, household_id=None)
            return device
    with transaction.atomic():
        audit_record(actor=user, action="otp.failure", obj=user, household_id=None)
    raise ValidationError({"token": _("The code is wrong or has expired.")})
