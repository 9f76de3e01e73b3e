from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Destination
from .candidates import Candidate


class Doorstroom(models.Model):
    """Where a candidate went after a track with a fixed length (Dienjaar, NWT, Defensity College). Track apps
    write it through their services; the retention reports read it here, so reports never depend on a track app."""

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="doorstroom")
    destination = models.CharField(_("doorstroom naar"), max_length=30, choices=Destination.choices)
    decided_on = models.DateField(_("datum"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("doorstroom")
        verbose_name_plural = _("doorstroom")
        indexes = [
            # The retention report groups doorstroom by destination per period.
            models.Index(fields=["decided_on", "destination"], name="doorstroom_date_dest_idx"),
        ]

    def __str__(self):
        return f"{self.candidate_id} → {self.destination}"
