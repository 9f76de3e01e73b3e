"""One error shape for every API error.

    {"status": 400, "code": "invalid", "detail": "Controleer de invoer.", "fields": {"email": ["…"]}}

`fields` is always there (empty when the error is about no field in particular). A stale version (409) adds
`current_version`, a rate limit (429) adds `retry_after` in seconds, as does the Retry-After header. Errors
are always JSON, also when the request asked for CSV.
"""

import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import set_rollback

from intake.pipeline import StaleVersionError, TransitionError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "stale_version"


def error_body(status_code: int, code: str, detail: str, fields: dict | None = None, **extra) -> dict:
    return {"status": status_code, "code": code, "detail": detail, "fields": fields or {}, **extra}


def api_exception_handler(exc, context):
    exc = _as_api_exception(exc)
    if exc is None:
        return None
    request = context.get("request")
    if request is not None:
        # Render the error as JSON even if the client asked for CSV: an error is not a table.
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type

    body = error_body(exc.status_code, _code(exc), "")
    headers = {}
    if isinstance(exc.detail, dict | list):
        body["fields"], general = _flatten(exc.detail)
        messages = [message for field_messages in body["fields"].values() for message in field_messages]
        # One message says it best on its own; several get a summary pointing at `fields`.
        body["detail"] = " ".join(general) or (messages[0] if len(messages) == 1 else _("Controleer de invoer."))
    else:
        body["detail"] = str(exc.detail)
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if isinstance(exc, exceptions.Throttled):
        retry_after = max(1, math.ceil(exc.wait or 1))
        body["detail"] = _("Te veel verzoeken. Probeer het over %(seconds)d seconden opnieuw.") % {
            "seconds": retry_after
        }
        body["retry_after"] = retry_after
        headers["Retry-After"] = str(retry_after)
    if isinstance(exc, Conflict):
        body["current_version"] = exc.current_version
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


def _as_api_exception(exc) -> exceptions.APIException | None:
    if isinstance(exc, StaleVersionError):
        conflict = Conflict({exc.field: [exc.message]}, code=exc.code)
        conflict.current_version = exc.current_version
        return conflict
    if isinstance(exc, TransitionError):
        if exc.field:
            return exceptions.ValidationError({exc.field: [exc.message]}, code=exc.code)
        return exceptions.ValidationError([exc.message], code=exc.code)
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, exceptions.APIException):
        return exc
    return None


def _code(exc: exceptions.APIException) -> str:
    """The machine-readable code: the error's own code when there is one (a single one), else the default."""
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    flat = set(_leaves(codes))
    return flat.pop() if len(flat) == 1 else exc.default_code


def _leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def _flatten(detail, prefix="") -> tuple[dict[str, list[str]], list[str]]:
    """Field errors as {"field": [messages]}, nested fields joined with dots; errors about the input as a
    whole (DRF's non_field_errors, or a bare list) come back separately for the `detail` text."""
    fields: dict[str, list[str]] = {}
    general: list[str] = []
    if isinstance(detail, list) and not prefix:
        return fields, [str(message) for message in _leaves(detail)]
    if isinstance(detail, dict):
        for name, value in detail.items():
            if name == "non_field_errors" and not prefix:
                general += [str(message) for message in _leaves(value)]
                continue
            nested, _general = _flatten(value, f"{prefix}{name}.")
            fields.update(nested)
    elif isinstance(detail, list) and all(not isinstance(item, dict | list) for item in detail):
        fields[prefix.rstrip(".")] = [str(message) for message in detail]
    else:
        for index, item in enumerate(detail):
            nested, _general = _flatten(item if isinstance(item, dict | list) else [item], f"{prefix}{index}.")
            fields.update(nested)
    return fields, general
