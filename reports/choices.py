"""Enumerations of the reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Months after appointment at which retention is measured.
RETENTION_MONTHS = (3, 6, 12, 24)
# The security screening's legal term of 8 weeks; the ageing report flags every step waiting longer than that.
TERM_DAYS = 56


class Granularity(models.TextChoices):
    MONTH = "month", _("Maand")
    QUARTER = "quarter", _("Kwartaal")
    YEAR = "year", _("Jaar")


class StageType(models.TextChoices):
    """What a lead time measures: one step, one phase, or application to appointment."""

    STEP = "step", _("Stap")
    PHASE = "phase", _("Fase")
    TOTAL = "total", _("Aanmelding tot aanstelling")


class WaitingOn(models.TextChoices):
    """Who an open candidate is waiting for. The chain records no explicit reason for waiting, so it is derived:
    a 'tijdelijk ongeschikt' verdict means the candidate must recover first, the security screening is done by
    an outside service, and every other step waits for the organisation (a talk, an examination slot)."""

    ORGANISATIE = "organisatie", _("Organisatie")
    KANDIDAAT = "kandidaat", _("Kandidaat")
    EXTERN = "extern", _("Externe partij")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    SUCCEEDED = "succeeded", _("Geslaagd")
    FAILED = "failed", _("Mislukt")
