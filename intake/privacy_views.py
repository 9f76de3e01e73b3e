"""Pages for AVG requests on one candidate: the data-subject export, erasure and consent to keep longer."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from . import privacy, selectors
from .pipeline import TransitionError


class ConsentForm(forms.Form):
    until = forms.DateField(label=gettext_lazy("Bewaren tot en met"), widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _candidate(request, pk):
    return get_object_or_404(selectors.candidates_visible_to(request.user), pk=pk)


@login_required
@permission_required(selectors.HANDLE_DATA_REQUESTS, raise_exception=True)
@require_GET
def data_export(request, pk: int):
    data = privacy.candidate_export_personal_data(candidate=_candidate(request, pk), actor=request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="inzage-{data["kandidaat"]["kandidaatnummer"]}.json"'
    return response


@login_required
@permission_required(selectors.HANDLE_DATA_REQUESTS, raise_exception=True)
@require_POST
def erase(request, pk: int):
    candidate = _candidate(request, pk)
    try:
        privacy.candidate_erase(candidate_id=candidate.pk, actor=request.user)
    except TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De persoonsgegevens van %(number)s zijn gewist.") % {"number": candidate.number})
    return redirect("intake:candidate_detail", pk=candidate.pk)


@login_required
@require_POST
def consent(request, pk: int):
    candidate = get_object_or_404(selectors.candidates_changeable_by(request.user), pk=pk)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vul een geldige datum in."))
        return redirect("intake:candidate_detail", pk=candidate.pk)
    try:
        privacy.candidate_record_retention_consent(
            candidate_id=candidate.pk,
            expected_version=form.cleaned_data["version"],
            actor=request.user,
            until=form.cleaned_data["until"],
        )
    except TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Toestemming vastgelegd: bewaren tot en met %(date)s.")
            % {"date": form.cleaned_data["until"].strftime("%d-%m-%Y")},
        )
    return redirect("intake:candidate_detail", pk=candidate.pk)


def privacy_context(request, candidate) -> dict:
    """What the candidate page shows about retention; empty for users who can do nothing with it."""
    may_change = selectors.user_may_change(request.user, candidate)
    handles_requests = request.user.has_perm(selectors.HANDLE_DATA_REQUESTS)
    if not (may_change or handles_requests):
        return {}
    keep_through = privacy.candidate_keep_through(candidate)
    return {
        "keep_through": keep_through,
        "consent_form": ConsentForm(initial={"version": candidate.version, "until": keep_through})
        if may_change and keep_through and candidate.anonymised_at is None
        else None,
        "handles_requests": handles_requests,
        "today": datetime.date.today(),
    }
