import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from ..choices import ApplicationType, Gender, Phase, Source, Status, Step, TransitionKind, Verdict, label_getter
from .append_only import AppendOnlyModel
from .reference import Instroomspoor, Krijgsmachtdeel, Lichting, Reason

# Bounds that catch typing errors in dates, wide enough for every track (Dienjaar specialists are up to 54).
EARLIEST_APPLICATION = datetime.date(2000, 1, 1)
MIN_AGE, MAX_AGE = 15, 70

postcode_validator = RegexValidator(r"^[1-9][0-9]{3} ?[A-Z]{2}$", _("Vul een Nederlandse postcode in, zoals 1234 AB."))
phone_validator = RegexValidator(r"^\+?[0-9 ()-]{8,20}$", _("Vul een geldig telefoonnummer in."))


class Candidate(models.Model):
    """A person in the intake chain. `phase`, `step`, `status`, `phase_since` (the date the candidate entered its
    current phase) and `step_since` (the date it entered its current step and status) are a projection of the
    candidate's StatusEvents and are written only by `intake.services`; `version` increments on every change so
    that a stale edit is detected instead of overwriting someone else's. After the AVG retention period the
    personal fields are erased (`anonymised_at`); the row and its events stay, so reports keep their numbers."""

    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("achternaam"), max_length=150)
    birth_date = models.DateField(_("geboortedatum"))
    email = models.EmailField(_("e-mail"), max_length=254)
    phone = models.CharField(_("telefoon"), max_length=20, blank=True, validators=[phone_validator])
    postcode = models.CharField(_("postcode"), max_length=7, blank=True, validators=[postcode_validator])
    gender = models.CharField(_("geslacht"), max_length=10, choices=Gender.choices, default=Gender.ONBEKEND)

    # Indexed as the first column of candidate_track_branch_idx; an index of its own only cost every write.
    instroomspoor = models.ForeignKey(
        Instroomspoor,
        on_delete=models.PROTECT,
        related_name="candidates",
        verbose_name=_("instroomspoor"),
        db_index=False,
    )
    krijgsmachtdeel = models.ForeignKey(
        Krijgsmachtdeel,
        on_delete=models.PROTECT,
        related_name="candidates",
        verbose_name=_("krijgsmachtdeel"),
    )
    application_type = models.CharField(
        _("sollicitatie op"), max_length=10, choices=ApplicationType.choices, default=ApplicationType.OPEN
    )
    function_title = models.CharField(_("functie"), max_length=150, blank=True)
    source = models.CharField(_("bron"), max_length=20, choices=Source.choices)
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidates",
        verbose_name=_("recruiter"),
    )
    lichting = models.ForeignKey(
        Lichting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
        verbose_name=_("lichting"),
    )
    applied_on = models.DateField(_("aangemeld op"))

    phase = models.CharField(_("fase"), max_length=20, choices=Phase.choices, editable=False)
    step = models.CharField(_("stap"), max_length=30, choices=Step.choices, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, editable=False)
    get_phase_display = label_getter("phase", Phase)
    get_step_display = label_getter("step", Step)
    get_status_display = label_getter("status", Status)
    phase_since = models.DateField(_("in deze fase sinds"), editable=False)
    step_since = models.DateField(_("in deze stap sinds"), editable=False)
    version = models.PositiveIntegerField(_("versie"), default=1, editable=False)

    retention_consent_until = models.DateField(
        _("toestemming bewaren tot en met"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("De kandidaat gaf toestemming de gegevens langer te bewaren (ten hoogste een jaar)."),
    )
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kandidaat")
        verbose_name_plural = _("kandidaten")
        ordering = ["-applied_on", "-id"]
        # Which candidates a role reaches; what it may do with them are the model's add/change/view permissions.
        permissions = [
            ("view_all_tracks", _("Kandidaten van alle instroomsporen inzien")),
            ("change_all_tracks", _("Kandidaten van alle instroomsporen wijzigen")),
            ("handle_data_requests", _("AVG-verzoeken afhandelen (inzage en wissen)")),
        ]
        indexes = [
            # The recruiter list's default order (newest applications first): its first page is the first 25
            # entries of this index instead of a sort of every visible candidate.
            models.Index(fields=["-applied_on", "-id"], name="candidate_applied_idx"),
            # The same order within one phase (the list filtered on a phase): read in order instead of skipping
            # the other phases' entries of the index above (50,000 of them before 25 in keuring).
            models.Index(fields=["phase", "-applied_on", "-id"], name="candidate_phase_applied_idx"),
            # The list sorted by name: its first page is the first entries in this order that pass the filters.
            models.Index(fields=["last_name", "first_name", "id"], name="candidate_name_idx"),
            # The phase tally's recount groups a track by phase and status, and the list's counts per phase for a
            # track and a branch read them from this index only (without the table's rows).
            models.Index(
                fields=["instroomspoor", "krijgsmachtdeel", "phase", "status"], name="candidate_track_branch_idx"
            ),
            # The board: each column is the candidates of one phase and status, longest in the phase first; its
            # 40 cards are the first entries here instead of a sort of every candidate in the phase.
            models.Index(fields=["phase", "status", "phase_since", "id"], name="candidate_phase_since_idx"),
            # The list's "longer than N days in the current step" filter: its counts per phase from this index only.
            # The track before the day, so that a recruiter's tracks bound the range read (39,000 entries of the
            # 81,000 stalled at 1M candidates: 24 -> 11 ms); without a track the range is all open candidates.
            models.Index(
                fields=["status", "instroomspoor", "step_since"], include=["phase"], name="candidate_stalled_idx"
            ),
            # Duplicate detection (registration and import) looks candidates up by e-mail, and by last name and
            # birth date, ignoring case.
            models.Index(Lower("email"), name="candidate_email_lower_idx"),
            models.Index(Lower("last_name"), "birth_date", name="candidate_name_birth_idx"),
            # The nightly AVG purge looks for closed, not yet anonymised candidates by closing date.
            models.Index(
                fields=["status", "step_since"],
                name="candidate_retention_idx",
                condition=models.Q(anonymised_at__isnull=True),
            ),
            # The incremental report recompute finds the candidates saved since its last run: a few thousand of
            # millions, read from this index instead of a scan of the table (0.6 s).
            models.Index(fields=["updated_at"], name="candidate_updated_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.full_name}"

    @property
    def number(self) -> str:
        """The candidate number people quote on the phone; derived from the id so it can never drift."""
        return f"K{self.pk:07d}" if self.pk else ""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self):
        errors = {}
        if self.lichting_id and self.instroomspoor_id and self.lichting.instroomspoor_id != self.instroomspoor_id:
            errors["lichting"] = _("Deze lichting hoort bij een ander instroomspoor.")
        if self.applied_on and self.applied_on < EARLIEST_APPLICATION:
            errors["applied_on"] = _("Een aanmelding van vóór %(date)s is een tikfout.") % {
                "date": EARLIEST_APPLICATION.strftime("%d-%m-%Y")
            }
        elif self.applied_on and self.birth_date and not MIN_AGE <= _age(self.birth_date, self.applied_on) <= MAX_AGE:
            errors["birth_date"] = _(
                "Bij de aanmelding moet een kandidaat tussen %(min)d en %(max)d jaar oud zijn."
            ) % {
                "min": MIN_AGE,
                "max": MAX_AGE,
            }
        if errors:
            raise ValidationError(errors)


def _age(birth_date: datetime.date, on: datetime.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


class StatusEvent(AppendOnlyModel):
    """One step of a candidate through the chain; append-only and the source of truth. The candidate's current
    phase is the `to_*` of its last event, and every report is computed from these rows."""

    # Indexed as the first column of the unique (candidate, sequence); an index of its own only cost every write.
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="events", db_index=False)
    # Position in the candidate's history; the unique constraint makes a concurrent duplicate impossible.
    sequence = models.PositiveIntegerField()
    kind = models.CharField(_("overgang"), max_length=20, choices=TransitionKind.choices)
    from_phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    from_step = models.CharField(max_length=30, choices=Step.choices, blank=True)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_phase = models.CharField(_("fase"), max_length=20, choices=Phase.choices)
    to_step = models.CharField(_("stap"), max_length=30, choices=Step.choices)
    to_status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    verdict = models.CharField(_("uitslag"), max_length=25, choices=Verdict.choices, blank=True)
    get_kind_display = label_getter("kind", TransitionKind)
    get_to_phase_display = label_getter("to_phase", Phase)
    get_to_step_display = label_getter("to_step", Step)
    get_to_status_display = label_getter("to_status", Status)
    reason = models.ForeignKey(Reason, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("reden"))
    note = models.TextField(_("toelichting"), max_length=1000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    # The effective date: may lie in the past, never in the future and never before the previous event.
    occurred_at = models.DateField(_("ingangsdatum"))
    recorded_at = models.DateTimeField(_("vastgelegd op"))

    class Meta:
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")
        ordering = ["candidate", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "sequence"], name="status_event_sequence_unique"),
        ]
        indexes = [
            # Reports scan events by the phase they entered and when.
            models.Index(fields=["to_phase", "occurred_at"], name="status_event_phase_date_idx"),
        ]

    def __str__(self):
        return f"{self.candidate_id}#{self.sequence} {self.kind} → {self.to_phase}/{self.to_step}"
