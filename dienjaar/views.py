from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from intake.choices import Status
from intake.models import Instroomspoor
from intake.selectors import user_edits_track
from intake.track_forms import DoorstroomForm
from intake.track_views import TrackPage, run_service
from intake.views import duplicates_context

from . import rules, selectors, services
from .forms import CompleteYearForm, DeelnameForm, RegistrationForm, StopEarlyForm
from .services import DEELNAME_FIELDS


@login_required
def register(request):
    if not user_edits_track(request.user, Instroomspoor.objects.get(code=rules.TRACK_CODE)):
        raise PermissionDenied
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    duplicates = []
    if form.is_bound and form.is_valid():
        duplicates = form.duplicates()
        if duplicates and not form.duplicates_confirmed(duplicates):
            messages.warning(request, _("Deze kandidaat bestaat mogelijk al. Controleer dat voordat u aanmeldt."))
        else:
            deelname = run_service(
                form,
                lambda data: services.dienjaar_register(
                    actor=request.user,
                    applied_on=data["applied_on"],
                    **form.deelname_fields(),
                    **form.candidate_fields(),
                ),
            )
            if deelname:
                messages.success(
                    request, _("%(candidate)s is aangemeld voor het Dienjaar.") % {"candidate": deelname.candidate}
                )
                return redirect("dienjaar:deelnemer", pk=deelname.candidate_id)
    return render(request, "dienjaar/register.html", {"form": form, **duplicates_context(request, duplicates)})


class DeelnemerPage(TrackPage):
    """A candidate's Dienjaar: the data that decides eligibility, and the year from start to doorstroom."""

    track_code = rules.TRACK_CODE
    template_name = "dienjaar/deelnemer.html"

    def track_context(self):
        return {"participant": selectors.participant(self.candidate)}

    def form_makers(self, context):
        participant = context["participant"]
        deelname, progress = participant.deelname, participant.progress
        data_version = deelname.version if deelname else 0
        candidate_version = {"version": self.candidate.version}
        makers = {
            "gegevens": lambda data: DeelnameForm.for_row(data, deelname),
        }
        running = progress.started_on and not progress.completed_on and progress.stop is None
        if running and self.candidate.status == Status.IN_DIENST:
            makers["voltooien"] = lambda data: CompleteYearForm(data, initial={"version": data_version})
        if running:
            makers["stoppen"] = lambda data: StopEarlyForm(data, candidate=self.candidate, initial=candidate_version)
        if progress.completed_on:
            makers["doorstroom"] = lambda data: DoorstroomForm.for_candidate(data, self.candidate, progress.doorstroom)
        return makers

    def perform_gegevens(self, data):
        services.dienjaar_update(
            candidate_id=self.candidate.pk,
            expected_version=data["version"],
            actor=self.request.user,
            **{name: data[name] for name in DEELNAME_FIELDS},
        )
        return _("De Dienjaar-gegevens zijn opgeslagen.")

    def perform_voltooien(self, data):
        services.dienjaar_complete_year(
            candidate_id=self.candidate.pk,
            expected_version=data["version"],
            actor=self.request.user,
            completed_on=data["completed_on"],
        )
        return _("Het Dienjaar is vastgelegd als voltooid. Leg nu de doorstroom vast.")

    def perform_stoppen(self, data):
        services.dienjaar_stop_early(
            candidate_id=self.candidate.pk,
            expected_version=data["version"],
            actor=self.request.user,
            stopped_on=data["stopped_on"],
            reason=data["reason"],
        )
        return _("Het voortijdig stoppen is vastgelegd.")

    def perform_doorstroom(self, data):
        services.dienjaar_record_doorstroom(
            candidate_id=self.candidate.pk,
            expected_version=data["version"],
            actor=self.request.user,
            destination=data["destination"],
            decided_on=data["decided_on"],
        )
        return _("De doorstroom is vastgelegd.")


def panel_context(request, candidate):
    """The Dienjaar panel on the candidate page."""
    return {
        "dienjaar": selectors.participant(candidate),
        "dienjaar_can_edit": user_edits_track(request.user, candidate.instroomspoor),
    }
