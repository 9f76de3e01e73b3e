"""Defensity College demo data on top of the base simulation: each werkstudent's institution and study, and for
each student whose time ended the end date and outcome in the five published categories: about 55% stays with
Defensie (DOMAIN.md)."""

import datetime
import random

from intake.choices import Destination, EducationLevel
from intake.demo import TRACK_END
from intake.models import DefensityStudent, Doorstroom
from intake.track_demo import bulk_save, doorstroom, histories, track_end

from .rules import TRACK_CODE

INSTITUTIONS = [
    ("Technische Universiteit Delft", EducationLevel.WO),
    ("Universiteit Leiden", EducationLevel.WO),
    ("Rijksuniversiteit Groningen", EducationLevel.WO),
    ("Universiteit Utrecht", EducationLevel.WO),
    ("Vrije Universiteit Amsterdam", EducationLevel.WO),
    ("Hogeschool Utrecht", EducationLevel.HBO),
    ("Fontys Hogescholen", EducationLevel.HBO),
    ("De Haagse Hogeschool", EducationLevel.HBO),
    ("Hogeschool van Amsterdam", EducationLevel.HBO),
    ("Saxion", EducationLevel.HBO),
]
STUDIES = [
    "Bestuurskunde",
    "Technische Bedrijfskunde",
    "HBO-ICT",
    "Informatica",
    "Rechten",
    "Werktuigbouwkunde",
    "Psychologie",
    "Logistiek",
    "Luchtvaarttechniek",
    "Internationale Betrekkingen",
]
# The published outcome of Defensity College, in percent of all students; the 45% who leave is the base
# simulation's uitstroom at the end.
STAYS = {
    Destination.BEROEPSMILITAIR: 12,
    Destination.RESERVIST_VOLTIJD: 11,
    Destination.BURGER_EN_RESERVIST: 6,
    Destination.BURGER: 3,
    Destination.RESERVIST: 23,
}


def seed(*, rng: random.Random, today: datetime.date) -> None:
    students, outcomes = [], []
    for history in histories(TRACK_CODE, without="defensity"):
        institution, level = rng.choice(INSTITUTIONS)
        ended = track_end(history, months=TRACK_END[TRACK_CODE][0], stays=STAYS, rng=rng, today=today)
        students.append(
            DefensityStudent(
                candidate_id=history.candidate_id,
                institution=institution,
                study=rng.choice(STUDIES),
                level=level,
                ended_on=ended[0] if ended else None,
            )
        )
        if ended:
            outcomes.append(doorstroom(history.candidate_id, ended[1], ended[0]))
    bulk_save(DefensityStudent, students)
    bulk_save(Doorstroom, outcomes)
