"""What every API view shares. A new endpoint (a report, the NWT schools) subclasses `ApiView` or mixes
`ApiViewMixin` into a generic view or viewset, and names the scope a token needs:

    class FunnelReport(ApiView):
        read_scope = ApiScope.REPORTS_READ
        renderer_classes = [JSONRenderer, CSVRenderer]
"""

from rest_framework import exceptions
from rest_framework.views import APIView

from .permissions import reads
from .renderers import CSVRenderer


class ApiViewMixin:
    # `read_scope` / `write_scope`: the ApiScope a token needs for safe / other methods (permissions.ANY_SCOPE
    # for data every caller may read); a view without them is closed to tokens.

    # Any id or code in the URL reaches the view, which answers an unknown one with a JSON 404 (DRF's default
    # stops at a dot, for format suffixes we do not use, and leaves `/candidates/0.5` to Django's HTML 404).
    lookup_value_regex = "[^/]+"

    def get_renderers(self):
        renderers = super().get_renderers()
        if reads(self, self.request.method):
            return renderers
        # CSV is for reading tables; a write answers in JSON.
        return [renderer for renderer in renderers if not isinstance(renderer, CSVRenderer)]

    def initial(self, request, *args, **kwargs):
        # DRF checks permissions before throttles, so a caller without valid credentials is refused before
        # being counted and could guess tokens at full speed. Here the caller is counted first: a wrong or
        # missing token counts against the anonymous budget of its IP address.
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            # Before content negotiation, so that TRACE /x?format=csv is a 405, not a 404 for a missing renderer.
            raise exceptions.MethodNotAllowed(request.method)
        self.format_kwarg = self.get_format_suffix(**kwargs)
        request.accepted_renderer, request.accepted_media_type = self.perform_content_negotiation(request)
        request.version, request.versioning_scheme = self.determine_version(request, *args, **kwargs)
        try:
            self.perform_authentication(request)
        except exceptions.AuthenticationFailed:
            self.check_throttles(request)
            raise
        self.check_throttles(request)
        self.check_permissions(request)


class ApiView(ApiViewMixin, APIView):
    pass
