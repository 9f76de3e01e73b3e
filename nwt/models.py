from django.db import models
from django.utils.translation import gettext_lazy as _

from intake.choices import EducationLevel
from intake.models import Candidate
from intake.models.tracks import TrackData

from .choices import Participation


class School(models.Model):
    """A partner school of the NWT, where it is offered as a military minor or a keuzedeel. Reference data,
    kept by beheerders in the admin or imported from CSV."""

    name = models.CharField(_("naam"), max_length=150, unique=True)
    level = models.CharField(_("niveau"), max_length=3, choices=EducationLevel.choices)
    city = models.CharField(_("plaats"), max_length=100)
    partner_since = models.DateField(_("partner sinds"))

    class Meta:
        verbose_name = _("partnerschool")
        verbose_name_plural = _("partnerscholen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class NwtDeelname(TrackData):
    """A candidate's NWT data: the school and form of participation, when the training was completed and the unit
    of an appointed reservist. The start is the candidate's entry into opleiding (a status event); the outcome
    (appointed reservist or not) is the candidate's `intake.Doorstroom`. Written only by `nwt.services`;
    `version` detects a stale edit."""

    candidate = models.OneToOneField(
        Candidate, on_delete=models.CASCADE, related_name="nwt", verbose_name=_("kandidaat")
    )
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deelnames",
        verbose_name=_("partnerschool"),
    )
    participation = models.CharField(_("deelnamevorm"), max_length=20, choices=Participation.choices)
    completed_on = models.DateField(_("NWT afgerond op"), null=True, blank=True)
    unit = models.CharField(_("eenheid"), max_length=150, blank=True, help_text=_("Als die bekend is."))

    class Meta:
        verbose_name = _("NWT-deelname")
        verbose_name_plural = _("NWT-deelnames")

    def __str__(self):
        return f"{self.candidate_id} {self.participation}"
