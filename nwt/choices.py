from django.db import models
from django.utils.translation import gettext_lazy as _


class Participation(models.TextChoices):
    """How someone takes part in the NWT: within their education at a partner school, or alongside it."""

    MINOR = "minor", _("Militaire minor")
    KEUZEDEEL = "keuzedeel", _("Keuzedeel")
    FLEXIBEL = "flexibel", _("Flexibel naast studie of werk")


SCHOOL_BASED = frozenset({Participation.MINOR, Participation.KEUZEDEEL})
