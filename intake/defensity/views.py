from django.utils.translation import gettext as _

from intake.choices import Status
from intake.models import DefensityStudent
from intake.selectors import track_progress, user_edits_track
from intake.track_forms import DoorstroomForm
from intake.track_views import TrackPage

from . import services
from .forms import EndForm, StudentForm
from .rules import TRACK_CODE


def student_context(candidate) -> dict:
    student = DefensityStudent.objects.filter(candidate=candidate).first()
    return {
        "student": student,
        "progress": track_progress(candidate, completed_on=student.ended_on if student else None),
    }


class StudentPage(TrackPage):
    """A candidate's Defensity College: the study, the start, the end of the student work and the outcome."""

    track_code = TRACK_CODE
    template_name = "intake/defensity/student.html"

    def track_context(self):
        return {"participant": student_context(self.candidate)}

    def form_makers(self, context):
        student, progress = context["participant"]["student"], context["participant"]["progress"]
        makers = {"gegevens": lambda data: StudentForm.for_row(data, student)}
        running = student and progress.started_on and not progress.completed_on and progress.stop is None
        if running and self.candidate.status == Status.IN_DIENST:
            makers["beeindigen"] = lambda data: EndForm(data, initial={"version": student.version})
        if progress.completed_on:
            makers["doorstroom"] = lambda data: DoorstroomForm.for_candidate(data, self.candidate, progress.doorstroom)
        return makers

    def perform_gegevens(self, data):
        services.defensity_save(
            candidate_id=self.candidate.pk,
            expected_version=data["version"],
            actor=self.request.user,
            **{name: data[name] for name in services.STUDENT_FIELDS},
        )
        return _("De gegevens van de werkstudent zijn opgeslagen.")

    def perform_beeindigen(self, data):
        services.defensity_end(
            candidate_id=self.candidate.pk,
            expected_version=data["version"],
            actor=self.request.user,
            ended_on=data["completed_on"],
        )
        return _("Het einde van het werkstudentschap is vastgelegd. Leg nu de uitkomst vast.")

    def perform_doorstroom(self, data):
        services.defensity_record_outcome(
            candidate_id=self.candidate.pk,
            expected_version=data["version"],
            actor=self.request.user,
            destination=data["destination"],
            decided_on=data["decided_on"],
        )
        return _("De uitkomst is vastgelegd.")


def panel_context(request, candidate):
    """The Defensity College panel on the candidate page."""
    return {
        "defensity": student_context(candidate),
        "defensity_can_edit": user_edits_track(request.user, candidate.instroomspoor),
    }
