"""Token authentication for systems: `Authorization: Bearer <key>`. People in the browser use their session."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from intake import services
from intake.models import ApiToken

KEYWORD = b"bearer"


class ApiTokenAuthentication(BaseAuthentication):
    """Authenticates as the token's owner; `request.auth` is the ApiToken, which the scope permission reads."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Gebruik de header 'Authorization: Bearer <token>'."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Dit token is onbekend.")) from None
        token = services.api_token_use(key=key)
        if token is None:
            raise AuthenticationFailed(_("Dit token is onbekend."))
        if token.is_revoked:
            raise AuthenticationFailed(_("Dit token is ingetrokken."))
        if token.is_expired:
            raise AuthenticationFailed(_("Dit token is verlopen."))
        if not token.owner.is_active:
            raise AuthenticationFailed(_("De eigenaar van dit token is niet meer actief."))
        return token.owner, token

    def authenticate_header(self, request):
        # Makes DRF answer a missing or wrong token with 401 and this challenge instead of 403.
        return 'Bearer realm="instroom-api"'


def token_of(request) -> ApiToken | None:
    """The token a request came with, or None for a person signed in with a session."""
    return request.auth if isinstance(request.auth, ApiToken) else None


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Een API-token, aangemaakt door een beheerder in /beheer/. Elk token heeft scopes: "
            "`reports:read` (alleen geaggregeerde cijfers), `candidates:read`, `candidates:write`.",
        }
