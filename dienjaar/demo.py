"""Dienjaar demo data on top of the base simulation: each Dienjaar candidate's variant (specialistisch for who is
older than 27 at the start, and for a few others with work experience), and for each year that ended its
completion and doorstroom: about 60% stays with Defensie, mostly as beroepsmilitair (DOMAIN.md)."""

import datetime
import random

from intake.choices import Destination
from intake.demo import TRACK_END
from intake.models import Doorstroom
from intake.track_demo import bulk_save, doorstroom, histories, track_end

from .choices import Variant
from .models import DienjaarDeelname
from .rules import AGE_LIMITS, MIN_WORK_EXPERIENCE_YEARS, TRACK_CODE, age_on

EXPERTISE = ["ICT", "Cybersecurity", "Verpleegkunde", "Elektrotechniek", "Logistiek", "Voertuigtechniek", "Horeca"]
SPECIALIST_SHARE = 0.06
# Of everyone who completes the year about 40% leaves (the base simulation's uitstroom); who stays goes here.
STAYS = {
    Destination.BEROEPSMILITAIR: 45,
    Destination.RESERVIST: 12,
    Destination.BURGER_EN_RESERVIST: 2,
    Destination.BURGER: 1,
}


def seed(*, rng: random.Random, today: datetime.date) -> None:
    deelnames, outcomes = [], []
    for history in histories(TRACK_CODE, without="dienjaar"):
        start = history.started_on or history.lichting_start or _first_of_month_after(history.applied_on, days=90)
        age = age_on(history.birth_date, start)
        specialist = age > AGE_LIMITS[Variant.REGULIER][1] or (age >= 24 and rng.random() < SPECIALIST_SHARE)
        ended = track_end(history, months=TRACK_END[TRACK_CODE][0], stays=STAYS, rng=rng, today=today)
        deelnames.append(
            DienjaarDeelname(
                candidate_id=history.candidate_id,
                variant=Variant.SPECIALISTISCH if specialist else Variant.REGULIER,
                desired_start=start,
                work_experience_years=rng.randint(MIN_WORK_EXPERIENCE_YEARS, age - 18) if specialist else 0,
                expertise=rng.choice(EXPERTISE) if specialist else "",
                completed_on=ended[0] if ended else None,
            )
        )
        if ended:
            outcomes.append(doorstroom(history.candidate_id, ended[1], ended[0]))
    bulk_save(DienjaarDeelname, deelnames)
    bulk_save(Doorstroom, outcomes)


def _first_of_month_after(day: datetime.date, *, days: int) -> datetime.date:
    later = day + datetime.timedelta(days=days)
    return (later.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
