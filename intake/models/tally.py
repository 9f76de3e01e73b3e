from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Phase, Status
from .reference import Instroomspoor


class PhaseTally(models.Model):
    """How many candidates of a track stand in each phase and status: a snapshot recomputed by a Celery task
    after transitions, so the overview page never counts a million rows on request."""

    instroomspoor = models.ForeignKey(Instroomspoor, on_delete=models.CASCADE, related_name="+")
    phase = models.CharField(max_length=20, choices=Phase.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    count = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("telling per fase")
        verbose_name_plural = _("tellingen per fase")
        constraints = [
            models.UniqueConstraint(fields=["instroomspoor", "phase", "status"], name="phase_tally_unique"),
        ]

    def __str__(self):
        return f"{self.instroomspoor_id} {self.phase}/{self.status}: {self.count}"
