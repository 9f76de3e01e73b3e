"""What the pages for one candidate's track data share (Dienjaar, NWT, Defensity College): find the candidate
within the user's scope, show the track data to whoever may see the candidate, let only the track's recruiters
change it, and turn a service's refusal into a form error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from . import selectors
from .pipeline import StaleVersionError, TransitionError

FormMaker = Callable[[Any], forms.Form]  # called with the POST data, or None for an unbound form


def run_service(form: forms.Form, perform: Callable[[dict], Any]) -> Any:
    """Calls `perform(form.cleaned_data)` for a valid form and returns its result; a refusal becomes an error on
    the form (on the field it names when the form has that field) and None is returned. A StaleVersionError
    is left to the caller, who shows the current state instead."""
    if not form.is_valid():
        return None
    try:
        return perform(form.cleaned_data)
    except StaleVersionError:
        raise
    except TransitionError as refused:
        form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        return None


class TrackPage(LoginRequiredMixin, View):
    """One candidate's data of one track. Subclasses give the track's context (`track_context`), the forms that
    the current state allows (`form_makers`, by action name) and what each action does (`perform_<action>`,
    returning the message shown on success). Every form posts to the page with its action name."""

    track_code: ClassVar[str]
    template_name: ClassVar[str]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.candidate = get_object_or_404(
            selectors.candidates_visible_to(request.user)
            .filter(instroomspoor__code=self.track_code)
            .select_related("instroomspoor", "lichting", "krijgsmachtdeel"),
            pk=kwargs["pk"],
        )
        self.can_edit = selectors.user_edits_track(request.user, self.candidate.instroomspoor)
        return super().dispatch(request, *args, **kwargs)

    def track_context(self) -> dict:
        raise NotImplementedError

    def form_makers(self, context: dict) -> dict[str, FormMaker]:
        raise NotImplementedError

    def get(self, request, pk):
        context = self.track_context()
        return self.render(context, self.form_makers(context))

    def post(self, request, pk):
        if not self.can_edit:
            raise PermissionDenied
        context = self.track_context()
        makers = self.form_makers(context)
        action = request.POST.get("action", "")
        if action not in makers:
            # The page was loaded before the state changed (e.g. someone else completed the year meanwhile).
            messages.error(request, _("Deze actie is niet meer mogelijk. Hieronder staat de actuele stand."))
            return redirect(request.path)
        form = makers[action](request.POST)
        try:
            message = run_service(form, getattr(self, f"perform_{action}"))
        except StaleVersionError as conflict:
            messages.error(request, conflict.message)
            return redirect(request.path)
        if message:
            messages.success(request, message)
            return redirect(request.path)
        return self.render(context, makers, bound={action: form})

    def render(self, context: dict, makers: dict[str, FormMaker], bound: dict | None = None) -> HttpResponse:
        bound = bound or {}
        page_forms = {name: bound.get(name) or make(None) for name, make in makers.items()} if self.can_edit else {}
        return render(
            self.request,
            self.template_name,
            {
                **context,
                "candidate": self.candidate,
                "can_edit": self.can_edit,
                "can_place": self.can_edit or selectors.user_may_overbook(self.request.user),
                "forms": page_forms,
            },
        )
