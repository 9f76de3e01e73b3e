"""Who did what to which record, from where: appended by the services in the same transaction as the change.

The request's address and user reach the services through a context variable set by `AuditContextMiddleware`,
so service signatures stay about the domain. Audit rows hold identifiers only, never personal data.
"""

from __future__ import annotations

import contextvars
from typing import Any

from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone

from .models import AuditEntry

_request_address: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_address", default=None)


def audit_record(
    *, actor, action: str, obj: Any = None, object_type: str = "", object_id: Any = "", detail: dict | None = None
) -> AuditEntry:
    entry = audit_entry(
        actor=actor, action=action, obj=obj, object_type=object_type, object_id=object_id, detail=detail
    )
    entry.save()
    return entry


def audit_entry(
    *, actor, action: str, obj: Any = None, object_type: str = "", object_id: Any = "", detail: dict | None = None
) -> AuditEntry:
    """An unsaved audit row."""
    if obj is not None:
        object_type, object_id = obj._meta.label_lower, obj.pk
    return AuditEntry(**_who_what_where(actor, action, detail), object_type=object_type, object_id=str(object_id))


def audit_values(*, actor, action: str, model: type[models.Model]) -> dict[str, Any]:
    """The audit row of each row of `model` that `bulk_write.insert_per_row` writes it for, for services that
    write many at once."""
    return {
        **_who_what_where(actor, action, None),
        "object_type": model._meta.label_lower,
        "object_id": Cast("pk", models.CharField()),
        "at": timezone.now(),
    }


def _who_what_where(actor, action: str, detail: dict | None) -> dict[str, Any]:
    return {
        "actor_id": actor.pk if getattr(actor, "is_authenticated", False) else None,
        "action": action,
        "address": _request_address.get(),
        "detail": detail or {},
    }


class AuditContextMiddleware:
    """Makes the client's address available to `audit_record` for the duration of a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_address.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            _request_address.reset(token)
