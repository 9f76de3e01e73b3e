from django.utils.translation import gettext as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .authentication import token_of

# A view whose data any authenticated caller may read, whatever the token's scopes (reference data).
ANY_SCOPE = "*"


def reads(view, method: str) -> bool:
    """Whether `method` on `view` only reads: a safe method, or an action the view names in `read_actions` that
    is POSTed only to keep its input out of the URL (a search by name)."""
    return method in SAFE_METHODS or getattr(view, "action", None) in getattr(view, "read_actions", ())


def required_scope(view, method: str) -> str | None:
    """The scope a token needs for `method` on `view`: its `read_scope` for reading, else its `write_scope`. A
    view that names none is closed to tokens, so a forgotten declaration fails safe."""
    return getattr(view, "read_scope" if reads(view, method) else "write_scope", None)


class HasScope(BasePermission):
    """Tokens need the view's scope for the method. People signed in with a session need no scope: their role
    limits them through the querysets (`candidates_visible_to`), as in the HTML pages."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        token = token_of(request)
        if token is None:
            return True
        scope = required_scope(view, request.method)
        if scope == ANY_SCOPE or (scope and token.has_scope(scope)):
            return True
        self.message = (
            _("Dit token heeft de scope %(scope)s niet.") % {"scope": scope}
            if scope
            else _("Dit token geeft geen toegang tot deze bewerking.")
        )
        return False
