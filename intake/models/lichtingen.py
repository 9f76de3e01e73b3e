from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .candidates import Candidate
from .reference import Lichting


class LichtingPlacement(models.Model):
    """One placement of a candidate in a lichting (or out of one, when `lichting` is empty), written by
    `intake.services.candidate_place_in_lichting`. A placement beyond the capacity carries the manager's reason,
    so every overbooking can be traced to who allowed it and why."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="lichting_placements")
    lichting = models.ForeignKey(
        Lichting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("lichting"),
    )
    override_reason = models.TextField(
        _("reden voor plaatsing boven de capaciteit"),
        max_length=500,
        blank=True,
        help_text=_("Leeg: er was nog plaats."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("plaatsing in lichting")
        verbose_name_plural = _("plaatsingen in lichtingen")
        ordering = ["-recorded_at", "-id"]

    def __str__(self):
        return f"{self.candidate_id} → {self.lichting_id or '-'}"

    @property
    def is_override(self) -> bool:
        return bool(self.override_reason)
