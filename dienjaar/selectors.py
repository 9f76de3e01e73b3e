from dataclasses import dataclass

from intake.models import Candidate
from intake.selectors import TrackProgress, track_progress

from .choices import AppointmentType
from .models import DienjaarDeelname
from .rules import appointment_type_for


@dataclass(frozen=True)
class Participant:
    """A candidate's Dienjaar: its data (None if registered without it) and how far the year is."""

    deelname: DienjaarDeelname | None
    progress: TrackProgress

    @property
    def appointment_type(self) -> AppointmentType | None:
        started_on = self.progress.started_on
        return appointment_type_for(started_on) if started_on else None


def participant(candidate: Candidate) -> Participant:
    deelname = DienjaarDeelname.objects.filter(candidate=candidate).first()
    return Participant(
        deelname=deelname, progress=track_progress(candidate, completed_on=deelname.completed_on if deelname else None)
    )
