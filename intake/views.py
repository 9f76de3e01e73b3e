"""The recruiter workspace: thin views over intake's selectors, forms and services.

A candidate outside the user's scope is a 404 (the user cannot tell it exists); an action the user's role does not
allow on a candidate they can see is a 403. Views that htmx updates in part render a fragment for htmx requests and
the whole page otherwise, so every page also works without JavaScript.
"""

from __future__ import annotations

import secrets
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from . import bulk, imports, privacy_views, selectors, services, track_panels
from .audit import audit_record
from .choices import Phase, Status, Step, TransitionKind
from .exports import csv_response
from .filtersets import CandidateFilterSet
from .forms import (
    BulkActionForm,
    CandidateCreateForm,
    CandidateEditForm,
    ImportUploadForm,
    NoteForm,
    duplicate_key,
    label_empty_choices,
    transition_forms,
)
from .models import AuditAction, Candidate
from .pipeline import StaleVersionError, TransitionError
from .search_terms import filters_with_term, filters_without_term

PAGE_SIZE = 25
BOARD_PHASES = (Phase.WERVING, Phase.SELECTIE, Phase.KEURING, Phase.OPLEIDING)
# A board column shows the candidates longest in their phase first; the column header gives the full count.
BOARD_CARDS = 40
IMPORT_SESSION_KEY = "intake_import"


def _chain_order(field: str, values) -> Case:
    return Case(*(When(**{field: v}, then=Value(i)) for i, v in enumerate(values)), output_field=IntegerField())


# Sort key in the URL → column label and ordering. Phase and step sort in chain order, not alphabetically.
SORTS = {
    "nummer": (gettext_lazy("Nummer"), ["id"]),
    "naam": (gettext_lazy("Naam"), ["last_name", "first_name", "id"]),
    "spoor": (gettext_lazy("Instroomspoor"), ["instroomspoor__name", "id"]),
    "fase": (gettext_lazy("Fase"), [_chain_order("phase", Phase.values), "id"]),
    "stap": (gettext_lazy("Stap"), [_chain_order("step", Step.values), "id"]),
    "status": (gettext_lazy("Status"), ["status", "id"]),
    "sinds": (gettext_lazy("Dagen in stap"), ["-step_since", "id"]),
    "aangemeld": (gettext_lazy("Aangemeld"), ["applied_on", "id"]),
    "recruiter": (gettext_lazy("Recruiter"), ["recruiter__last_name", "recruiter__username", "id"]),
}
DEFAULT_SORT = "-aangemeld"


def _ordering(sort: str) -> list:
    key = sort.removeprefix("-")
    fields = SORTS[key][1]
    if not sort.startswith("-"):
        return fields
    return [f.desc() if hasattr(f, "desc") else (f[1:] if f.startswith("-") else f"-{f}") for f in fields]


def _columns(sort: str) -> list[dict]:
    current, descending = sort.removeprefix("-"), sort.startswith("-")
    columns = []
    for key, (label, _fields) in SORTS.items():
        active = key == current
        columns.append(
            {
                "label": label,
                "sort": f"-{key}" if active and not descending else key,
                "aria_sort": ("descending" if descending else "ascending") if active else "none",
            }
        )
    return columns


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _htmx_target(request) -> str | None:
    if request.htmx and not request.htmx.history_restore_request:
        return request.htmx.target
    return None


def _vary_on_htmx(response: HttpResponse) -> HttpResponse:
    # The same URL answers with a fragment or a whole page; caches must keep them apart.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


@login_required
def home(request):
    return render(request, "intake/home.html", {"tally": selectors.phase_tally()})


def _filtered(request, *, without: str = ""):
    data = filters_with_term(request.session, request.GET)
    data.pop(without, None)
    visible = selectors.candidates_visible_to(request.user)
    filterset = CandidateFilterSet(data, queryset=visible, request=request)
    filterset.form.label_suffix = ""
    label_empty_choices(filterset.form, _("Alle"))
    return filterset


def _filter_value(filterset: CandidateFilterSet, name: str):
    """A filter's valid value; an invalid filter elsewhere in the form does not hide it."""
    filterset.is_valid()
    return filterset.form.cleaned_data.get(name)


def _search_redirect(request) -> HttpResponseRedirect:
    """The filter form is POSTed (and an old link may still carry `?q=`): answer with the same list whose URL holds
    the filters and only the key of the search term, kept in the session (see `search_terms`). htmx follows the
    redirect itself and pushes the URL it ends at."""
    params = request.POST if request.method == "POST" else request.GET
    query = filters_without_term(request.session, params)
    response = HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)
    response.status_code = 303
    return response


def _searches_in_session(view):
    """Lets a filtered page take its filter form by POST, keeping the search term out of the URL."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" or "q" in request.GET:
            return _search_redirect(request)
        return view(request, *args, **kwargs)

    return require_http_methods(["GET", "HEAD", "POST"])(wrapper)


@login_required
@_searches_in_session
def candidate_list(request):
    filterset = _filtered(request)
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort.removeprefix("-") not in SORTS:
        sort = DEFAULT_SORT
    # Counted without the phase filter, so that each count also works as a link to that phase.
    counted = _filtered(request, without="phase")
    filters = counted.in_effect()
    if selectors.is_search(filters):
        matches = selectors.search_matches(counted.qs)
        phase_counts = selectors.search_phase_counts(matches)
    else:
        matches, phase_counts = None, selectors.phase_counts(request.user, counted.qs, filters)
    current_phase = _filter_value(filterset, "phase")
    found = _found(filterset, phase_counts, current_phase)
    listed = filterset.qs
    if matches is not None:
        # The page of a search with up to SEARCH_COUNT_LIMIT matches is read by the ids its count found (all the
        # filters but the phase applied), not by searching again: an e-mail fragment such as "julian.e" has the
        # trigram index hand 33,000 candidates to the recheck for 539 matches, 90 ms each time.
        listed = Candidate.objects.filter(
            pk__in=[pk for pk, phase in matches.items() if not current_phase or phase == current_phase]
        )
    candidates = listed.select_related("instroomspoor", "recruiter").order_by(*_ordering(sort))
    paginator = Paginator(candidates, PAGE_SIZE)
    # The counts per phase add up to the list's length: the paginator need not count a million rows again. A
    # search with more matches than it counts pages through the first ones.
    paginator.count = selectors.SEARCH_COUNT_LIMIT if found is None else found
    page = paginator.get_page(request.GET.get("page"))
    may_change = request.user.has_perm(selectors.CHANGE_CANDIDATE)
    context = {
        "filterset": filterset,
        "recruiters": selectors.recruiters(),
        "page": page,
        "columns": _columns(sort),
        "sort": sort,
        "phase_counts": phase_counts,
        "current_phase": current_phase,
        "found": found,
        "search_count_limit": selectors.SEARCH_COUNT_LIMIT,
        "may_change": may_change,
        "may_add": request.user.has_perm(selectors.ADD_CANDIDATE),
        "bulk_form": BulkActionForm() if may_change else None,
    }
    partial = _htmx_target(request) == "resultaten"
    template = "intake/_candidate_results.html" if partial else "intake/candidate_list.html"
    return _vary_on_htmx(render(request, template, context))


def _found(filterset: CandidateFilterSet, phase_counts: list, current_phase: str | None) -> int | None:
    """The list's length, from the counts per phase; None for a search with more matches than it counts."""
    counts = dict(phase_counts)
    if not current_phase:
        return None if None in counts.values() else sum(counts.values())
    if counts[current_phase] is None:
        # Too many matches in all phases together to count, but the chosen phase alone may have fewer.
        return selectors.search_count(filterset.qs)
    return counts[current_phase]


# The export's columns: what the list shows, one row per candidate.
EXPORT_COLUMNS = [
    (gettext_lazy("nummer"), "id"),
    (gettext_lazy("voornaam"), "first_name"),
    (gettext_lazy("achternaam"), "last_name"),
    (gettext_lazy("instroomspoor"), "instroomspoor__code"),
    (gettext_lazy("krijgsmachtdeel"), "krijgsmachtdeel__code"),
    (gettext_lazy("fase"), "phase"),
    (gettext_lazy("stap"), "step"),
    (gettext_lazy("status"), "status"),
    (gettext_lazy("in stap sinds"), "step_since"),
    (gettext_lazy("aangemeld op"), "applied_on"),
    (gettext_lazy("recruiter"), "recruiter__username"),
]
# Rows fetched per round trip of the export's server-side cursor: memory stays flat whatever the list's size.
EXPORT_CHUNK = 2000


@login_required
@require_GET
def candidate_export(request):
    """The filtered list as a CSV download, streamed from a database cursor so that exporting every candidate
    never holds the table in memory."""
    filterset = _filtered(request)
    candidates = filterset.qs.order_by("pk").values_list(*(field for _label, field in EXPORT_COLUMNS))
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type=Candidate._meta.label_lower,
        detail={"filters": sorted(k for k, v in request.GET.items() if v)},
    )
    rows = ((f"K{pk:07d}", *rest) for pk, *rest in candidates.iterator(chunk_size=EXPORT_CHUNK))
    return csv_response("kandidaten.csv", [str(label) for label, _field in EXPORT_COLUMNS], rows)


@login_required
@_searches_in_session
def board(request):
    filterset = _filtered(request)
    candidates, filters = filterset.qs, filterset.in_effect()
    if "status" not in filters:
        candidates, filters = candidates.filter(status=Status.LOPEND), {**filters, "status": Status.LOPEND}
    counts = dict(selectors.phase_counts(request.user, candidates, filters))
    columns = []
    for phase in BOARD_PHASES:
        cards = (
            candidates.filter(phase=phase).select_related("instroomspoor").order_by("phase_since", "pk")[:BOARD_CARDS]
        )
        columns.append({"phase": phase, "count": counts[phase], "cards": cards})
    context = {
        "filterset": filterset,
        "recruiters": selectors.recruiters(),
        "columns": columns,
        "board_cards": BOARD_CARDS,
        "may_change": request.user.has_perm(selectors.CHANGE_CANDIDATE),
    }
    return render(request, "intake/board.html", context)


def _visible_candidate(request, pk: int) -> Candidate:
    candidates = selectors.candidates_visible_to(request.user)
    return get_object_or_404(
        candidates.select_related("instroomspoor", "krijgsmachtdeel", "recruiter", "lichting"), pk=pk
    )


def _changeable_candidate(request, pk: int) -> Candidate:
    candidate = _visible_candidate(request, pk)
    if not selectors.user_may_change(request.user, candidate):
        raise PermissionDenied(_("U mag deze kandidaat alleen inzien."))
    return candidate


def _candidate_context(request, candidate: Candidate, *, forms=None, note_form=None, conflict=False) -> dict:
    may_change = selectors.user_may_change(request.user, candidate)
    if may_change and forms is None:
        forms = transition_forms(candidate)
    may_note = may_change and request.user.has_perm(selectors.ADD_NOTE)
    return {
        "candidate": candidate,
        "may_change": may_change,
        "transition_forms": forms if may_change else [],
        "timeline": selectors.candidate_timeline(candidate),
        "notes": selectors.candidate_notes(candidate),
        "note_form": (note_form or NoteForm()) if may_note else None,
        # Track apps' panels, rendered with the context each one builds (plus the candidate).
        "panels": [
            render_to_string(template_name, {"candidate": candidate, **panel_context}, request=request)
            for template_name, panel_context in track_panels.panels_for(request, candidate)
        ],
        # On a conflict: the change that came in between, so the user sees who did what.
        "latest_event": candidate.events.select_related("actor").order_by("-sequence").first() if conflict else None,
        "conflict": conflict,
        "next": _safe_next(request, ""),
        "privacy": privacy_views.privacy_context(request, candidate),
    }


def _render_candidate(request, candidate: Candidate, **kwargs) -> HttpResponse:
    """The candidate page, or the part of it that an htmx request replaces."""
    context = _candidate_context(request, candidate, **kwargs)
    target = _htmx_target(request)
    if target == "board-panel":
        template = "intake/_transition_panel.html"
    elif target == "kandidaat":
        template = "intake/_candidate.html"
    else:
        template = "intake/candidate_detail.html"
    return _vary_on_htmx(render(request, template, context))


@login_required
@require_GET
def candidate_detail(request, pk: int):
    candidate = _visible_candidate(request, pk)
    audit_record(actor=request.user, action=AuditAction.VIEW, obj=candidate)
    return _render_candidate(request, candidate)


@login_required
@require_GET
def candidate_transitions(request, pk: int):
    """The transition forms of one candidate, for the panel next to the board."""
    return _render_candidate(request, _changeable_candidate(request, pk))


def _after_change(request, candidate: Candidate) -> HttpResponse:
    detail = reverse("intake:candidate_detail", args=[candidate.pk])
    target = _safe_next(request, detail)
    if not request.htmx:
        return redirect(target)
    if target != detail:
        return HttpResponseClientRedirect(target)
    return _render_candidate(request, _visible_candidate(request, candidate.pk))


def _conflict(request, pk: int, error: StaleVersionError, *, keep=None) -> HttpResponse:
    """Show the candidate as it is now, with the user's input kept for a deliberate second try."""
    messages.error(request, error.message)
    candidate = _visible_candidate(request, pk)
    forms = None
    if keep is not None:
        data = request.POST.copy()
        data[f"{keep}-version"] = str(candidate.version)
        forms = transition_forms(candidate, data, only=keep)
    return _render_candidate(request, candidate, forms=forms, conflict=True)


@login_required
@require_POST
def candidate_transition(request, pk: int):
    candidate = _changeable_candidate(request, pk)
    kind = request.POST.get("kind", "")
    forms = transition_forms(candidate, request.POST, only=kind)
    form = next((f for f in forms if f.kind == kind), None)
    if form is None:
        if request.POST.get(f"{kind}-version") != str(candidate.version):
            return _conflict(request, pk, StaleVersionError(candidate.version))
        messages.error(request, _("Deze overgang is vanuit de huidige stand niet mogelijk."))
        return _render_candidate(request, candidate)
    if form.is_valid():
        try:
            event = services.candidate_transition(candidate_id=pk, actor=request.user, **form.service_kwargs())
        except StaleVersionError as error:
            return _conflict(request, pk, error, keep=form.kind)
        except TransitionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("%(candidate)s: %(kind)s vastgelegd. Nu: %(phase)s, %(step)s (%(status)s).")
                % {
                    "candidate": candidate,
                    "kind": TransitionKind(event.kind).label.lower(),
                    "phase": Phase(event.to_phase).label,
                    "step": Step(event.to_step).label.lower(),
                    "status": Status(event.to_status).label.lower(),
                },
            )
            return _after_change(request, candidate)
    messages.error(request, _("De overgang is niet vastgelegd; verbeter de gemarkeerde velden."))
    return _render_candidate(request, candidate, forms=forms)


@login_required
@require_POST
def candidate_note(request, pk: int):
    candidate = _changeable_candidate(request, pk)
    if not request.user.has_perm(selectors.ADD_NOTE):
        raise PermissionDenied(_("U mag geen notities toevoegen."))
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.candidate_note_add(candidate_id=pk, author=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(request, _("Notitie toegevoegd."))
            return _after_change(request, candidate)
    messages.error(request, _("De notitie is niet opgeslagen; verbeter de gemarkeerde velden."))
    return _render_candidate(request, candidate, note_form=form)


def _shown(candidate: Candidate, name: str) -> str:
    display = getattr(candidate, f"get_{name}_display", None)
    value = display() if display else getattr(candidate, name)
    return "" if value is None else str(value)


@login_required
def candidate_edit(request, pk: int):
    candidate = _changeable_candidate(request, pk)
    differences = []  # when someone else changed the candidate meanwhile: the fields where theirs and yours differ
    if request.method == "POST":
        form = CandidateEditForm(request.POST, instance=candidate)
        if form.is_valid():
            changes = form.changes()
            if not changes:
                messages.info(request, _("Er was niets gewijzigd."))
                return redirect("intake:candidate_detail", pk=pk)
            try:
                services.candidate_update(
                    candidate_id=pk, expected_version=form.cleaned_data["version"], actor=request.user, **changes
                )
            except StaleVersionError as error:
                messages.error(request, error.message)
                current = _visible_candidate(request, pk)
                yours = form.instance  # the form put the user's values on it
                differences = [
                    {"label": form[name].label, "current": _shown(current, name), "yours": _shown(yours, name)}
                    for name in CandidateEditForm.Meta.fields
                    if _shown(current, name) != _shown(yours, name)
                ]
                data = request.POST.copy()
                data["version"] = str(current.version)
                form = CandidateEditForm(data, instance=current)
            except (TransitionError, ValidationError) as error:
                form.add_error(None, error.message if isinstance(error, TransitionError) else error)
            else:
                messages.success(
                    request, _("De gegevens van %(candidate)s zijn opgeslagen.") % {"candidate": candidate}
                )
                return redirect("intake:candidate_detail", pk=pk)
        else:
            messages.error(request, _("De gegevens zijn niet opgeslagen; verbeter de gemarkeerde velden."))
    else:
        form = CandidateEditForm(instance=candidate)
    context = {"candidate": candidate, "form": form, "differences": differences}
    return render(request, "intake/candidate_edit.html", context)


@login_required
def candidate_create(request):
    if not request.user.has_perm(selectors.ADD_CANDIDATE):
        raise PermissionDenied(_("U mag geen kandidaten registreren."))
    duplicates = []
    form = CandidateCreateForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            duplicates = form.duplicates()
            if not duplicates or form.duplicates_confirmed(duplicates):
                try:
                    candidate = services.candidate_register(actor=request.user, **form.service_fields())
                except TransitionError as error:
                    form.add_error("applied_on" if error.field == "occurred_at" else None, error.message)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("Kandidaat %(candidate)s is aangemaakt.") % {"candidate": candidate})
                    return redirect("intake:candidate_detail", pk=candidate.pk)
            else:
                messages.warning(
                    request, _("Deze kandidaat bestaat mogelijk al. Controleer dat voordat u hem aanmaakt.")
                )
        if form.errors:
            messages.error(request, _("De kandidaat is niet aangemaakt; verbeter de gemarkeerde velden."))
    return render(request, "intake/candidate_create.html", {"form": form, **duplicates_context(request, duplicates)})


def duplicates_context(request, duplicates: list) -> dict:
    """What `intake/_duplicates.html` shows. A possible duplicate in a track the user cannot see is named (to
    prevent a second record) but not linked."""
    visible = set(
        selectors.candidates_visible_to(request.user)
        .filter(pk__in=[c.pk for c in duplicates])
        .values_list("pk", flat=True)
    )
    return {"duplicates": [(c, c.pk in visible) for c in duplicates], "duplicate_key": duplicate_key(duplicates)}


@login_required
@require_POST
def candidate_bulk(request):
    if not request.user.has_perm(selectors.CHANGE_CANDIDATE):
        raise PermissionDenied(_("U mag kandidaten alleen inzien."))
    back = _safe_next(request, reverse("intake:candidate_list"))
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    if data["action"] == BulkActionForm.ASSIGN:
        outcomes = bulk.candidates_bulk_assign_recruiter(
            actor=request.user, selection=data["selected"], recruiter=data["recruiter"]
        )
    else:
        outcomes = bulk.candidates_bulk_transition(
            actor=request.user,
            selection=data["selected"],
            kind=TransitionKind(data["action"]),
            occurred_at=data["occurred_at"],
            reason=data["reason"],
            record_geschikt=data["record_geschikt"],
        )
    done = [o for o in outcomes if o.ok]
    refused = [o for o in outcomes if not o.ok]
    action = dict(BulkActionForm.ACTIONS)[data["action"]]
    if done:
        messages.success(
            request,
            ngettext(
                "%(action)s: %(count)d kandidaat bijgewerkt (%(names)s).",
                "%(action)s: %(count)d kandidaten bijgewerkt (%(names)s).",
                len(done),
            )
            % {"action": action, "count": len(done), "names": ", ".join(o.label for o in done)},
        )
    if refused:
        messages.error(
            request,
            ngettext(
                "%(count)d kandidaat niet bijgewerkt; er is niets aan gewijzigd:",
                "%(count)d kandidaten niet bijgewerkt; aan hen is niets gewijzigd:",
                len(refused),
            )
            % {"count": len(refused)},
        )
        for outcome in refused:
            messages.error(request, f"{outcome.label}: {outcome.error}")
    return redirect(back)


@login_required
def candidate_import(request):
    """Upload a CSV file and see the preview: every row with its errors, or the button to import them all."""
    if not request.user.has_perm(selectors.ADD_CANDIDATE):
        raise PermissionDenied(_("U mag geen kandidaten registreren."))
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    result, token = None, ""
    if request.method == "POST":
        if form.is_valid():
            text = imports.decode_upload(form.cleaned_data["file"].read())
            result = imports.candidates_import(actor=request.user, text=text, commit=False)
            if result.ok:
                token = secrets.token_urlsafe(16)
                request.session[IMPORT_SESSION_KEY] = {"token": token, "text": text}
                messages.info(
                    request,
                    ngettext(
                        "De regel is in orde. Controleer hem en importeer.",
                        "Alle %(count)d regels zijn in orde. Controleer ze en importeer.",
                        len(result.rows),
                    )
                    % {"count": len(result.rows)},
                )
            else:
                _import_failed(request, result)
        else:
            messages.error(request, _("Kies een geldig CSV-bestand."))
    return render(request, "intake/candidate_import.html", _import_context(form, result, token))


def _import_failed(request, result: imports.ImportResult) -> None:
    if result.file_errors:
        messages.error(request, _("Het bestand kan niet worden gelezen; er is niets geïmporteerd."))
    else:
        messages.error(
            request,
            ngettext(
                "%(count)d regel bevat fouten; niets geïmporteerd. Verbeter het bestand en upload het opnieuw.",
                "%(count)d regels bevatten fouten; niets geïmporteerd. Verbeter het bestand en upload het opnieuw.",
                len(result.error_rows),
            )
            % {"count": len(result.error_rows)},
        )


def _import_context(form, result, token) -> dict:
    return {
        "form": form,
        "result": result,
        "token": token,
        "columns": [
            (column, required, imports.CODED_FIELDS[name].values if name in imports.CODED_FIELDS else [])
            for column, name, required in imports.COLUMNS
        ],
    }


@login_required
@require_POST
def candidate_import_confirm(request):
    if not request.user.has_perm(selectors.ADD_CANDIDATE):
        raise PermissionDenied(_("U mag geen kandidaten registreren."))
    stored = request.session.get(IMPORT_SESSION_KEY) or {}
    if not stored or stored.get("token") != request.POST.get("token"):
        messages.error(request, _("Deze voorvertoning is verlopen; upload het bestand opnieuw."))
        return redirect("intake:candidate_import")
    result = imports.candidates_import(actor=request.user, text=stored["text"], commit=True)
    if not result.imported:
        # Something changed since the preview (a duplicate registered meanwhile, say): nothing was imported.
        _import_failed(request, result)
        return render(request, "intake/candidate_import.html", _import_context(ImportUploadForm(), result, ""))
    del request.session[IMPORT_SESSION_KEY]
    messages.success(
        request,
        ngettext("%(count)d kandidaat geïmporteerd.", "%(count)d kandidaten geïmporteerd.", len(result.rows))
        % {"count": len(result.rows)},
    )
    # Newest first, so the imported candidates are on top.
    return redirect(reverse("intake:candidate_list") + "?" + urlencode({"sort": "-nummer"}))


@login_required
@require_GET
def import_template(request):
    response = HttpResponse(imports.import_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kandidaten-sjabloon.csv"'
    return response
