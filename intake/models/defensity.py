from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import EducationLevel
from .candidates import Candidate
from .tracks import TrackData

DEFENSITY_LEVELS = [(level.value, level.label) for level in (EducationLevel.HBO, EducationLevel.WO)]


class DefensityStudent(TrackData):
    """A Defensity College werkstudent: an hbo or wo student working part-time for Defensie. The start is the
    candidate's entry into opleiding (read from the status events); `ended_on` is the last working day as a
    student; where the student went afterwards is the candidate's `intake.Doorstroom`. Written only by
    `intake.defensity.services`; `version` detects a stale edit."""

    candidate = models.OneToOneField(
        Candidate, on_delete=models.CASCADE, related_name="defensity", verbose_name=_("kandidaat")
    )
    institution = models.CharField(_("onderwijsinstelling"), max_length=150)
    study = models.CharField(_("studie"), max_length=150)
    level = models.CharField(_("niveau"), max_length=3, choices=DEFENSITY_LEVELS)
    ended_on = models.DateField(_("werkstudentschap beëindigd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("Defensity College-student")
        verbose_name_plural = _("Defensity College-studenten")

    def __str__(self):
        return f"{self.candidate_id} {self.institution}"
