"""NWT demo data on top of the base simulation: the partner schools (7 in 2025, about 30 in 2026), each NWT
candidate's school and form of participation, and for who completed the training the appointment as reservist
with, mostly, the unit (DOMAIN.md: about 120 started in 2025 at 7 schools, four lichtingen a year)."""

import datetime
import random

from intake.choices import Destination, EducationLevel
from intake.models import Doorstroom
from intake.track_demo import bulk_save, doorstroom, histories

from .choices import Participation
from .models import NwtDeelname, School
from .rules import TRACK_CODE

MBO, HBO, WO = EducationLevel.MBO, EducationLevel.HBO, EducationLevel.WO
# (name, level, city, partner since): the first seven joined in 2025, the rest in 2026.
SCHOOLS = [
    ("ROC Midden Nederland", MBO, "Utrecht", datetime.date(2025, 1, 15)),
    ("Hogeschool Utrecht", HBO, "Utrecht", datetime.date(2025, 1, 15)),
    ("Saxion", HBO, "Enschede", datetime.date(2025, 2, 1)),
    ("Noorderpoort", MBO, "Groningen", datetime.date(2025, 2, 1)),
    ("Hogeschool van Amsterdam", HBO, "Amsterdam", datetime.date(2025, 2, 15)),
    ("Universiteit Twente", WO, "Enschede", datetime.date(2025, 3, 1)),
    ("Summa College", MBO, "Eindhoven", datetime.date(2025, 3, 1)),
    ("Fontys Hogescholen", HBO, "Eindhoven", datetime.date(2026, 1, 10)),
    ("Avans Hogeschool", HBO, "Breda", datetime.date(2026, 1, 10)),
    ("Hanzehogeschool", HBO, "Groningen", datetime.date(2026, 1, 20)),
    ("Hogeschool Rotterdam", HBO, "Rotterdam", datetime.date(2026, 1, 20)),
    ("De Haagse Hogeschool", HBO, "Den Haag", datetime.date(2026, 2, 1)),
    ("HAN University of Applied Sciences", HBO, "Arnhem", datetime.date(2026, 2, 1)),
    ("Windesheim", HBO, "Zwolle", datetime.date(2026, 2, 15)),
    ("NHL Stenden", HBO, "Leeuwarden", datetime.date(2026, 2, 15)),
    ("Zuyd Hogeschool", HBO, "Heerlen", datetime.date(2026, 3, 1)),
    ("Technische Universiteit Delft", WO, "Delft", datetime.date(2026, 3, 1)),
    ("Rijksuniversiteit Groningen", WO, "Groningen", datetime.date(2026, 3, 15)),
    ("Universiteit Leiden", WO, "Leiden", datetime.date(2026, 3, 15)),
    ("Radboud Universiteit", WO, "Nijmegen", datetime.date(2026, 4, 1)),
    ("Wageningen University", WO, "Wageningen", datetime.date(2026, 4, 1)),
    ("ROC van Amsterdam", MBO, "Amsterdam", datetime.date(2026, 4, 15)),
    ("Albeda", MBO, "Rotterdam", datetime.date(2026, 4, 15)),
    ("Deltion College", MBO, "Zwolle", datetime.date(2026, 5, 1)),
    ("ROC Tilburg", MBO, "Tilburg", datetime.date(2026, 5, 1)),
    ("Friesland College", MBO, "Leeuwarden", datetime.date(2026, 5, 15)),
    ("Graafschap College", MBO, "Doetinchem", datetime.date(2026, 6, 1)),
    ("Koning Willem I College", MBO, "'s-Hertogenbosch", datetime.date(2026, 6, 1)),
    ("Da Vinci College", MBO, "Dordrecht", datetime.date(2026, 8, 15)),
    ("Rijn IJssel", MBO, "Arnhem", datetime.date(2026, 9, 1)),
]
PARTICIPATION = {Participation.MINOR: 40, Participation.KEUZEDEEL: 35, Participation.FLEXIBEL: 25}
# A minor is part of an hbo or wo study, a keuzedeel of an mbo (or hbo) course.
LEVELS = {Participation.MINOR: {HBO, WO}, Participation.KEUZEDEEL: {MBO, HBO}}
UNITS = [
    "10 Natresbat",
    "20 Natresbat",
    "30 Natresbat",
    "45 Painfbat",
    "Korps Mariniers reserve",
    "Regionaal Commando Noord",
    "Regionaal Commando Zuid",
]
UNIT_KNOWN = 0.75


def seed(*, rng: random.Random, today: datetime.date) -> None:
    schools = [
        School.objects.get_or_create(name=name, defaults={"level": level, "city": city, "partner_since": since})[0]
        for name, level, city, since in SCHOOLS
        if since <= today
    ]
    deelnames, outcomes = [], []
    for history in histories(TRACK_CODE, without="nwt"):
        participation = rng.choices(list(PARTICIPATION), weights=list(PARTICIPATION.values()))[0]
        school = None
        if participation in LEVELS:
            fitting = [s for s in schools if s.partner_since <= history.applied_on and s.level in LEVELS[participation]]
            if fitting:
                school = rng.choice(fitting)
            else:
                participation = Participation.FLEXIBEL
        appointed_on = history.appointed_on
        unit = rng.choice(UNITS) if appointed_on and rng.random() < UNIT_KNOWN else ""
        deelnames.append(
            NwtDeelname(
                candidate_id=history.candidate_id,
                school=school,
                participation=participation,
                completed_on=appointed_on,
                unit=unit,
            )
        )
        if appointed_on:
            outcomes.append(doorstroom(history.candidate_id, Destination.RESERVIST, appointed_on))
    bulk_save(NwtDeelname, deelnames)
    bulk_save(Doorstroom, outcomes)
