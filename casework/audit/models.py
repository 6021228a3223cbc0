"""The append-only, hash-chained audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import chain
from .actions import action_label, object_type_label


class AuditEvent(models.Model):
    """One recorded change: who did what to which object, when, and the fields before/after.

    ``seq`` numbers the chain without gaps; ``prev_hash`` is the hash of event ``seq - 1`` and
    ``hash`` covers this event's content plus ``prev_hash`` (see ``casework.audit.chain``).
    ``household_seq`` numbers a household's own events without gaps, so one household's history
    can be checked without reading the whole chain.
    ``hash_scheme`` says how ``hash`` was computed: a plain SHA-256 for events from before the
    audit key existed, an HMAC under the key since (``casework.audit.chain``).
    Rows are written once by ``audit_record`` and never updated or deleted. The chain's head is
    its last event: appends are serialised by a lock, not by a row every append updates, so the
    application's database role needs no UPDATE on any audit table.
    """

    class Scheme(models.TextChoices):
        PLAIN = chain.PLAIN, _("SHA-256 (before the audit key)")
        KEYED = chain.KEYED, _("HMAC-SHA256 with the audit key")

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("time (UTC)"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_username = models.CharField(_("actor username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    # Indexed (with ``household_seq``) by ``audit_one_number_per_household``.
    household_id = models.BigIntegerField(_("household"), null=True, blank=True)
    household_seq = models.PositiveIntegerField(_("number within the household"), null=True)
    changes = models.JSONField(_("changes"), default=dict)
    reason = models.TextField(_("reason"), blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    # Not indexed: ``seq`` orders and links the chain. An index on a random 64-character key
    # would take a read and a write at a random place in it for every event (at 8 million
    # events, 1.7 GB of index that no page reads).
    hash = models.CharField(_("hash"), max_length=64)
    hash_scheme = models.CharField(
        _("hash scheme"), max_length=16, choices=Scheme.choices, default=Scheme.PLAIN
    )

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["household_id", "household_seq"], name="audit_one_number_per_household"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {action_label(self.action)} · {self.object_label()}"

    def object_label(self) -> str:
        """The kind of object by its verbose name, and its number (区域 #1)."""
        kind = object_type_label(self.object_type)
        return f"{kind} #{self.object_id}" if self.object_id else kind
