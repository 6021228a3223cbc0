"""Who may call the API with a token: a system client (another county system, scoped to one
site, reading or also writing) or a staff member's personal token (their own jurisdiction).
Only a token's hash is kept; the token itself is shown once, when it is made.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.registry.models import Site

USER = settings.AUTH_USER_MODEL


class ApiClient(models.Model):
    class Kind(models.TextChoices):
        SYSTEM = "system", _("System client")
        PERSONAL = "personal", _("Personal token")

    class Access(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    access = models.CharField(_("access"), max_length=5, choices=Access.choices)
    # A system client that may read ID numbers and phones whole (each such read recorded);
    # a personal token follows its holder's own right.
    personal_data = models.BooleanField(_("may read personal data whole"), default=False)
    # The account the calls act as: a system client's own (granted its site), or the staff
    # member's; ``casework.permissions`` scopes every answer by it, as for the pages.
    user = models.ForeignKey(
        USER, verbose_name=_("acts as"), on_delete=models.PROTECT, related_name="api_clients"
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="api_clients",
    )  # fmt: skip
    token_prefix = models.CharField(_("token begins"), max_length=8)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.token_prefix}…)"


class ApiCall(models.Model):
    """One call by a system client: who, when, what (the path holds no personal data: the
    API's addresses carry ids only) and how it ended."""

    # Indexed as the first column of api_call_client_at (no index of its own).
    client = models.ForeignKey(
        ApiClient,
        verbose_name=_("API client"),
        on_delete=models.PROTECT,
        related_name="calls",
        db_index=False,
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    method = models.CharField(_("method"), max_length=7)
    path = models.CharField(_("path"), max_length=200)
    status = models.PositiveSmallIntegerField(_("status"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        indexes = [models.Index(fields=["client", "at"], name="api_call_client_at")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.method} {self.path} {self.status}"
