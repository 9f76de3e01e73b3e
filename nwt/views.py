from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from intake.choices import Phase, Status
from intake.selectors import lichting_tracks_for, user_edits_track
from intake.track_views import TrackPage

from . import rules, selectors, services
from .forms import CompleteForm, NwtForm


class DeelnemerPage(TrackPage):
    """A candidate's NWT: school and form of participation, the training, and its outcome."""

    track_code = rules.TRACK_CODE
    template_name = "nwt/deelnemer.html"

    def track_context(self):
        return {"participant": selectors.participant(self.candidate)}

    def form_makers(self, context):
        deelname = context["participant"].deelname
        makers = {"gegevens": lambda data: NwtForm.for_row(data, deelname)}
        in_training = self.candidate.phase == Phase.OPLEIDING and self.candidate.status == Status.LOPEND
        if deelname and in_training:
            makers["afronden"] = lambda data: CompleteForm(data, initial={"version": self.candidate.version})
        return makers

    def perform_gegevens(self, data):
        services.nwt_save(
            candidate_id=self.candidate.pk,
            expected_version=data["version"],
            actor=self.request.user,
            participation=data["participation"],
            school=data["school"],
            unit=data["unit"],
        )
        return _("De NWT-gegevens zijn opgeslagen.")

    def perform_afronden(self, data):
        services.nwt_complete(
            candidate_id=self.candidate.pk,
            expected_version=data["version"],
            actor=self.request.user,
            completed_on=data["completed_on"],
            appointed=data["appointed"],
            unit=data["unit"],
            reason=data["reason"],
        )
        return _("De afronding van de NWT en de uitkomst zijn vastgelegd.")


@login_required
def schools(request):
    if not any(t.code == rules.TRACK_CODE for t in lichting_tracks_for(request.user)):
        raise PermissionDenied
    year = request.GET.get("jaar", "")
    lichting_year = int(year) if year.isdigit() and len(year) == 4 else None
    return render(
        request,
        "nwt/schools.html",
        {"schools": selectors.schools_overview(lichting_year=lichting_year), "year": lichting_year},
    )


def panel_context(request, candidate):
    """The NWT panel on the candidate page."""
    return {
        "nwt": selectors.participant(candidate),
        "nwt_can_edit": user_edits_track(request.user, candidate.instroomspoor),
    }
