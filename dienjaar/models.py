from django.db import models
from django.utils.translation import gettext_lazy as _

from intake.models import Candidate
from intake.models.tracks import TrackData

from .choices import Variant


class DienjaarDeelname(TrackData):
    """A candidate's Dienjaar data: the variant and what it takes to be eligible for it, and when the year was
    completed. The start (entry into opleiding) and an early stop are status events of the candidate; where the
    participant went afterwards is the candidate's `intake.Doorstroom`. Written only by `dienjaar.services`;
    `version` detects a stale edit."""

    candidate = models.OneToOneField(
        Candidate, on_delete=models.CASCADE, related_name="dienjaar", verbose_name=_("kandidaat")
    )
    variant = models.CharField(_("variant"), max_length=20, choices=Variant.choices, default=Variant.REGULIER)
    desired_start = models.DateField(
        _("gewenste startdatum"), help_text=_("Tot de start wordt de leeftijdseis op deze datum getoetst.")
    )
    work_experience_years = models.PositiveSmallIntegerField(
        _("jaren werkervaring"), default=0, help_text=_("Hele jaren; het specialistisch Dienjaar vraagt er minstens 3.")
    )
    expertise = models.CharField(
        _("vakgebied"), max_length=150, blank=True, help_text=_("Nodig voor het specialistisch Dienjaar.")
    )
    completed_on = models.DateField(_("Dienjaar voltooid op"), null=True, blank=True)

    class Meta:
        verbose_name = _("Dienjaar-deelname")
        verbose_name_plural = _("Dienjaar-deelnames")

    def __str__(self):
        return f"{self.candidate_id} {self.variant}"
