"""Error pages outside the views: API paths get the API's JSON error shape, other paths Django's pages."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from intake.api.exceptions import error_body

API_PREFIX = "/api/"


def page_not_found(request, exception):
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body(404, "not_found", _("Niet gevonden.")), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(API_PREFIX):
        body = error_body(500, "server_error", _("Er ging iets mis aan onze kant. Probeer het later opnieuw."))
        return JsonResponse(body, status=500)
    return defaults.server_error(request)
