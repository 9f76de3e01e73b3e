"""Enumerations of the intake chain. Views and queries use these, never bare strings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def label_getter(field_name: str, choices: type[models.Choices]):
    """A `get_<field>_display` that looks the value's label up in `choices`, or gives the value itself if it is
    not one. Django's own builds a dictionary of all the field's labels, translating each, on every call: the
    candidate list shows three such labels per row, the timeline four per event."""

    def display(instance) -> str:
        value = getattr(instance, field_name)
        try:
            return str(choices(value).label)
        except ValueError:
            return value

    return display


class Phase(models.TextChoices):
    WERVING = "werving", _("Werving")
    SELECTIE = "selectie", _("Selectie")
    KEURING = "keuring", _("Keuring")
    OPLEIDING = "opleiding", _("Opleiding")
    AANGESTELD = "aangesteld", _("Aangesteld")


class Step(models.TextChoices):
    AANMELDING = "aanmelding", _("Aanmelding")
    ORIENTATIEGESPREK = "orientatiegesprek", _("Oriëntatiegesprek")
    PSYCHOLOGISCH_ONDERZOEK = "psychologisch_onderzoek", _("Psychologisch onderzoek")
    SPO = "spo", _("Specifiek psychologisch onderzoek (SPO)")
    SPORTTEST = "sporttest", _("Fysieke test")
    MEDISCHE_KEURING = "medische_keuring", _("Medische keuring")
    VEILIGHEIDSONDERZOEK = "veiligheidsonderzoek", _("Veiligheidsonderzoek")
    INITIELE_OPLEIDING = "initiele_opleiding", _("Initiële opleiding")
    AANSTELLING = "aanstelling", _("Aanstelling")


class Status(models.TextChoices):
    LOPEND = "lopend", _("In behandeling")
    IN_DIENST = "in_dienst", _("In dienst")
    AFGEWEZEN = "afgewezen", _("Afgewezen")
    TERUGGETROKKEN = "teruggetrokken", _("Teruggetrokken")
    UITGEVALLEN = "uitgevallen", _("Uitgevallen")
    UITGESTROOMD = "uitgestroomd", _("Uitgestroomd")


TERMINAL_STATUSES = frozenset({Status.AFGEWEZEN, Status.TERUGGETROKKEN, Status.UITGEVALLEN, Status.UITGESTROOMD})
# Who was rejected or withdrew never started and frees the place in a lichting; who dropped out did take one.
PLACE_FREEING_STATUSES = frozenset({Status.AFGEWEZEN, Status.TERUGGETROKKEN})


class Verdict(models.TextChoices):
    """The only thing recorded of an examination: never findings or diagnoses."""

    GESCHIKT = "geschikt", _("Geschikt")
    ONGESCHIKT = "ongeschikt", _("Ongeschikt")
    TIJDELIJK_ONGESCHIKT = "tijdelijk_ongeschikt", _("Tijdelijk ongeschikt")


class TransitionKind(models.TextChoices):
    AANMELDING = "aanmelding", _("Aanmelding")
    DOORZETTEN = "doorzetten", _("Doorzetten naar volgende stap")
    UITSLAG = "uitslag", _("Uitslag vastleggen")
    AFWIJZING = "afwijzing", _("Afwijzen")
    TERUGTREKKING = "terugtrekking", _("Teruggetrokken door kandidaat")
    UITVAL = "uitval", _("Uitgevallen tijdens opleiding")
    UITSTROOM = "uitstroom", _("Uitgestroomd uit dienst")
    HEROPENING = "heropening", _("Heropenen")


class OutflowType(models.TextChoices):
    REGULIER = "regulier", _("Regulier (gepland)")
    IRREGULIER = "irregulier", _("Irregulier (onverwacht)")


class PersonnelCategory(models.TextChoices):
    BEROEPSMILITAIR = "beroepsmilitair", _("Beroepsmilitair")
    RESERVIST = "reservist", _("Reservist")
    BURGER = "burger", _("Burger")


class Gender(models.TextChoices):
    MAN = "man", _("Man")
    VROUW = "vrouw", _("Vrouw")
    X = "x", _("X / anders")
    ONBEKEND = "onbekend", _("Onbekend")


class ApplicationType(models.TextChoices):
    FUNCTIE = "functie", _("Specifieke functie")
    MZF = "mzf", _("Militair Zonder Functiekeuze (MZF)")
    OPEN = "open", _("Open sollicitatie")


class Source(models.TextChoices):
    CAMPAGNE = "campagne", _("Campagne")
    WEBSITE = "website", _("Website")
    ENQUETE = "enquete", _("Defensie-enquête")
    SCHOOL = "school", _("School")
    EVENEMENT = "evenement", _("Evenement")
    DOORVERWIJZING = "doorverwijzing", _("Doorverwijzing")


class Destination(models.TextChoices):
    """Where a participant goes after a track (doorstroom): the five published Defensity categories, which
    also cover Dienjaar's, plus leaving Defensie."""

    BEROEPSMILITAIR = "beroepsmilitair", _("Beroepsmilitair")
    RESERVIST_VOLTIJD = "reservist_voltijd", _("Voltijd reservist")
    BURGER_EN_RESERVIST = "burger_en_reservist", _("Burger en reservist")
    BURGER = "burger", _("Burger")
    RESERVIST = "reservist", _("Reservist")
    VERTROKKEN = "vertrokken", _("Verlaat Defensie")


class EducationLevel(models.TextChoices):
    """Level of a school or study: NWT partner schools are mbo, hbo or wo; Defensity College students hbo or wo."""

    MBO = "mbo", _("mbo")
    HBO = "hbo", _("hbo")
    WO = "wo", _("wo")


class ApiScope(models.TextChoices):
    """What an API token may do. `reports:read` reads aggregates only and never reaches personal data."""

    REPORTS_READ = "reports:read", _("Rapportages lezen (alleen geaggregeerde cijfers)")
    CANDIDATES_READ = "candidates:read", _("Kandidaten lezen")
    CANDIDATES_WRITE = "candidates:write", _("Kandidaten aanmaken, wijzigen en verplaatsen")
