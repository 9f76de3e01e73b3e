from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .append_only import AppendOnlyModel


class AuditAction(models.TextChoices):
    CREATE = "create", _("Aangemaakt")
    CHANGE = "change", _("Gewijzigd")
    TRANSITION = "transition", _("Statusovergang")
    VIEW = "view", _("Persoonsgegevens bekeken")
    EXPORT = "export", _("Geëxporteerd")
    DATA_REQUEST = "data_request", _("Inzageverzoek uitgevoerd")
    ERASE = "erase", _("Gewist op verzoek")
    ANONYMISE = "anonymise", _("Geanonimiseerd na bewaartermijn")
    CONSENT = "consent", _("Toestemming langer bewaren vastgelegd")
    AUDIT_VIEW = "audit_view", _("Audittrail bekeken")


class AuditEntry(AppendOnlyModel):
    """One action on a record: who (user id), when, what (action, object type and id, changed field names) and
    from where (client address). Append-only; identifiers only, never names or other personal data."""

    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    # Indexed as the first column of audit_actor_idx; an index of its own only cost every write.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gebruiker"),
        db_index=False,
    )
    action = models.CharField(_("actie"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("soort object"), max_length=60, blank=True)
    object_id = models.CharField(_("object-id"), max_length=40, blank=True)
    address = models.GenericIPAddressField(_("adres"), null=True, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("audittrail")
        ordering = ["-at", "-id"]
        indexes = [
            # "Everything that happened to this candidate" in the audit view filters on the object.
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_type}#{self.object_id}"
