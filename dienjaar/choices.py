from django.db import models
from django.utils.translation import gettext_lazy as _


class Variant(models.TextChoices):
    REGULIER = "regulier", _("Regulier")
    SPECIALISTISCH = "specialistisch", _("Specialistisch")


class AppointmentType(models.TextChoices):
    """As what a participant is appointed for the year; it follows the start date (see rules.appointment_type_for)."""

    RESERVIST = "reservist", _("Reservist")
    TIJDELIJK_BEROEPSMILITAIR = "tijdelijk_beroepsmilitair", _("Tijdelijk beroepsmilitair")
