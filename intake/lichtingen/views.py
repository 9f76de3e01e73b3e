"""The lichtingen of a track with their places, who is in each, and placing a candidate in one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from intake import selectors, services
from intake.models import Lichting
from intake.pipeline import StaleVersionError
from intake.track_views import run_service

from .forms import PlacementForm


@login_required
def overview(request):
    tracks = selectors.lichting_tracks_for(request.user)
    track = next((t for t in tracks if t.code == request.GET.get("spoor")), tracks[0] if tracks else None)
    lichtingen = selectors.lichtingen_with_fill(track) if track else Lichting.objects.none()
    years = [d.year for d in lichtingen.dates("start_date", "year", order="DESC")] if track else []
    year = request.GET.get("jaar", "")
    if year.isdigit() and int(year) in years:
        lichtingen = lichtingen.filter(start_date__year=int(year))
    return render(
        request,
        "intake/lichtingen/overview.html",
        {"tracks": tracks, "track": track, "lichtingen": lichtingen, "years": years, "year": year},
    )


def _visible_lichting(user, pk: int) -> Lichting:
    tracks = selectors.lichting_tracks_for(user)
    lichtingen = selectors.with_fill(Lichting.objects.filter(instroomspoor__in=tracks))
    return get_object_or_404(lichtingen.select_related("instroomspoor", "krijgsmachtdeel"), pk=pk)


@login_required
def detail(request, pk):
    lichting = _visible_lichting(request.user, pk)
    return render(
        request,
        "intake/lichtingen/detail.html",
        {
            "lichting": lichting,
            "members": selectors.lichting_members(lichting, request.user),
            "overrides": lichting.placements.exclude(override_reason="").select_related("candidate", "actor"),
        },
    )


@login_required
def place(request, candidate_pk):
    candidate = get_object_or_404(
        selectors.candidates_visible_to(request.user).select_related("instroomspoor", "lichting"), pk=candidate_pk
    )
    if not candidate.instroomspoor.starts_in_lichtingen:
        raise Http404(_("Dit instroomspoor start niet in lichtingen."))
    may_override = selectors.user_may_overbook(request.user)
    if not (may_override or selectors.user_edits_track(request.user, candidate.instroomspoor)):
        raise PermissionDenied
    back = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    form = PlacementForm(
        request.POST if request.method == "POST" else None,
        candidate=candidate,
        may_override=may_override,
        initial={"version": candidate.version, "lichting": candidate.lichting_id},
    )
    if request.method == "POST":
        try:
            placed = run_service(
                form,
                lambda data: services.candidate_place_in_lichting(
                    candidate_id=candidate.pk,
                    expected_version=data["version"],
                    lichting_id=data["lichting"].pk if data["lichting"] else None,
                    actor=request.user,
                    override_reason=data.get("override_reason", ""),
                ),
            )
        except StaleVersionError as conflict:
            messages.error(request, conflict.message)
            return redirect(request.get_full_path())
        if placed:
            if placed.lichting:
                messages.success(
                    request,
                    _("%(candidate)s is geplaatst in lichting %(lichting)s.")
                    % {"candidate": placed, "lichting": placed.lichting},
                )
            else:
                messages.success(request, _("%(candidate)s is uit de lichting gehaald.") % {"candidate": placed})
            return redirect(back or reverse("lichtingen:overview") + f"?spoor={candidate.instroomspoor.code}")
    return render(request, "intake/lichtingen/place.html", {"candidate": candidate, "form": form, "next": back})
