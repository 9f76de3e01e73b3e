"""Who did what to which record, from where: appended by the services in the same transaction as the change.

The request's address and user reach the services through a context variable set by `AuditContextMiddleware`,
so service signatures stay about the domain. Audit rows hold identifiers only, never personal data.
"""

from __future__ import annotations

import contextvars
from typing import Any

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
    """An unsaved audit row, for services that write many at once."""
    if obj is not None:
        object_type, object_id = obj._meta.label_lower, obj.pk
    return AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        address=_request_address.get(),
        detail=detail or {},
    )


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
