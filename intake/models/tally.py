from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Phase, Status
from .reference import Instroomspoor, Krijgsmachtdeel


class PhaseTally(models.Model):
    """How many candidates of a track and branch stand in each phase and status, as of the last fold of the
    PhaseTallyChange journal into it (a Celery task, at most one per track every few seconds) or the last full
    recount (nightly). The tally plus the journal rows not folded yet is always the exact count, so the candidate
    list and the board never count a million rows on request, also not for one branch."""

    instroomspoor = models.ForeignKey(Instroomspoor, on_delete=models.CASCADE, related_name="+")
    krijgsmachtdeel = models.ForeignKey(Krijgsmachtdeel, on_delete=models.CASCADE, related_name="+")
    phase = models.CharField(max_length=20, choices=Phase.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    count = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("telling per fase")
        verbose_name_plural = _("tellingen per fase")
        constraints = [
            models.UniqueConstraint(
                fields=["instroomspoor", "krijgsmachtdeel", "phase", "status"], name="phase_tally_unique"
            ),
        ]

    def __str__(self):
        return f"{self.instroomspoor_id} {self.krijgsmachtdeel_id} {self.phase}/{self.status}: {self.count}"


class PhaseTallyChange(models.Model):
    """One change to a PhaseTally count (+1 for a candidate entering a track/branch/phase/status, -1 for leaving
    it), written by `intake.services` in the transaction that moves the candidate. Rows are only inserted (two
    transitions never wait for each other on a counter row) and are folded into PhaseTally after the commit."""

    instroomspoor = models.ForeignKey(Instroomspoor, on_delete=models.CASCADE, related_name="+")
    krijgsmachtdeel = models.ForeignKey(Krijgsmachtdeel, on_delete=models.CASCADE, related_name="+")
    phase = models.CharField(max_length=20, choices=Phase.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    delta = models.IntegerField()

    class Meta:
        verbose_name = _("wijziging van een telling per fase")
        verbose_name_plural = _("wijzigingen van tellingen per fase")

    def __str__(self):
        return f"{self.instroomspoor_id} {self.krijgsmachtdeel_id} {self.phase}/{self.status}: {self.delta:+d}"
