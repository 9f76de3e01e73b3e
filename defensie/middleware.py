import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render

from intake.api.exceptions import error_body

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection into a clear 503 page instead of a traceback or a bare 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError) or (
            isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
        ):
            logger.error("Database unavailable while serving %s: %s", request.path, exception)
            return render(request, "503.html", status=503)
        return None


class RequestSizeLimitMiddleware:
    """Refuses a request body larger than MAX_REQUEST_BYTES before anything reads it (no huge uploads)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            megabytes = settings.MAX_REQUEST_BYTES // (1024 * 1024) or 1
            message = "Het verzoek is te groot (maximaal %d MB)." % megabytes
            if request.path.startswith("/api/"):
                return JsonResponse(error_body(413, "too_large", message), status=413)
            return render(request, "413.html", {"message": message}, status=413)
        return self.get_response(request)
