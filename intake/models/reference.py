from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import OutflowType, PersonnelCategory, Phase, TransitionKind


class Instroomspoor(models.Model):
    """An intake track (regular application, Dienjaar, NWT, Defensity College…), kept as data, not code."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    personnel_category = models.CharField(
        _("personeelscategorie"),
        max_length=20,
        choices=PersonnelCategory.choices,
        help_text=_("Als wat een kandidaat van dit spoor normaal wordt aangesteld."),
    )
    starts_in_lichtingen = models.BooleanField(_("start in lichtingen"), default=False)
    recruiters = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="instroomsporen", verbose_name=_("recruiters")
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("instroomspoor")
        verbose_name_plural = _("instroomsporen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Krijgsmachtdeel(models.Model):
    """A service branch (KL, KM, KLu, KMar) or defensiebreed for candidates not yet bound to one."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("krijgsmachtdeel")
        verbose_name_plural = _("krijgsmachtdelen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Reason(models.Model):
    """A catalogue entry explaining why a candidate left the chain; managers act on these, so they are fixed
    choices rather than free text. Editable by beheerders in the admin."""

    kind = models.CharField(
        _("soort overgang"),
        max_length=20,
        choices=[
            (k.value, k.label)
            for k in (
                TransitionKind.AFWIJZING,
                TransitionKind.TERUGTREKKING,
                TransitionKind.UITVAL,
                TransitionKind.UITSTROOM,
            )
        ],
    )
    phase = models.CharField(
        _("fase"),
        max_length=20,
        choices=Phase.choices,
        blank=True,
        help_text=_("Leeg: de reden geldt in elke fase."),
    )
    code = models.SlugField(_("code"), max_length=50, unique=True)
    label = models.CharField(_("omschrijving"), max_length=200)
    outflow_type = models.CharField(
        _("soort uitstroom"),
        max_length=20,
        choices=OutflowType.choices,
        blank=True,
        help_text=_("Alleen voor uitstroomredenen: gepland of onverwacht."),
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("reden")
        verbose_name_plural = _("redenen")
        ordering = ["kind", "phase", "label"]

    def __str__(self):
        return self.label


class Lichting(models.Model):
    """A cohort of a track that starts on one date, at one location, with a fixed number of places."""

    instroomspoor = models.ForeignKey(
        Instroomspoor, on_delete=models.PROTECT, related_name="lichtingen", verbose_name=_("instroomspoor")
    )
    name = models.CharField(_("naam"), max_length=100)
    krijgsmachtdeel = models.ForeignKey(
        Krijgsmachtdeel, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("krijgsmachtdeel")
    )
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("einddatum"))
    location = models.CharField(_("locatie"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("capaciteit"))

    class Meta:
        verbose_name = _("lichting")
        verbose_name_plural = _("lichtingen")
        ordering = ["-start_date", "name"]
        permissions = [("overbook_lichting", _("Lichtingen boven de capaciteit vullen (met reden)"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="lichting_end_after_start"
            ),
        ]

    def __str__(self):
        return self.name


class Regio(models.Model):
    """A recruitment region as a range of postcode numbers; a recruiter assigned to regions sees only the
    candidates whose postcode lies in one of them (on top of the track limit)."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    postcode_from = models.PositiveIntegerField(
        _("postcode vanaf"), validators=[MinValueValidator(1000), MaxValueValidator(9999)]
    )
    postcode_to = models.PositiveIntegerField(
        _("postcode tot en met"), validators=[MinValueValidator(1000), MaxValueValidator(9999)]
    )
    recruiters = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="regios", verbose_name=_("recruiters")
    )

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["postcode_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(postcode_to__gte=models.F("postcode_from")), name="regio_range_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.postcode_from}-{self.postcode_to})"
