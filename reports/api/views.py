"""Thin views over `reports.selectors`: validate the filters, read the last snapshot, answer JSON or CSV."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from intake.api.base import ApiView
from intake.api.conditional import conditional_response
from intake.api.permissions import HasScope
from intake.api.renderers import CSVRenderer
from intake.choices import ApiScope

from .. import selectors, services
from ..suppression import Cell
from . import docs
from .serializers import ReportFilterSerializer, ReportSerializer


class ReportsNotComputed(exceptions.APIException):
    # A conflict with the state of the figures rather than a 503: the server works, there is nothing to read
    # yet, and monitoring should not count it as a fault.
    status_code = status.HTTP_409_CONFLICT
    default_code = "not_computed"
    default_detail = _("De cijfers zijn nog niet berekend. Probeer het na de eerste herberekening opnieuw.")


class MayReadReports(HasScope):
    """The token's scope, and an owner who may see chain-wide figures: like the dashboard, managers and
    beheerders only. A recruiter's token stays within the recruiter's candidates, even with `reports:read`."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if selectors.user_may_view_reports(request.user):
            return True
        self.message = _("Rapportages zijn er voor managers en beheerders.")
        return False


class ReportView(ApiView):
    read_scope = ApiScope.REPORTS_READ
    permission_classes = [MayReadReports]
    renderer_classes = [JSONRenderer, CSVRenderer]
    http_method_names = ["get", "head", "options"]
    extra_error_statuses = [409]
    error_texts = {409: docs.NOT_COMPUTED}
    csv_rows_key = "rows"
    name = ""  # the path's name, one of docs.ENDPOINTS

    def get(self, request):
        params = ReportFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = params.filters()
        run = selectors.last_successful_run()
        if run is None:
            raise ReportsNotComputed()
        key = docs.ENDPOINTS[self.name][0]
        self.csv_filename = f"{self.name}-{filters.year}"

        def shape(report: selectors.Report) -> dict:
            # The columns only: a row may carry keys for the dashboard's charts, which are no part of the table.
            rows = [{c.key: row.get(c.key, Cell()) for c in report.columns} for row in report.rows]
            body = {**vars(report), "rows": rows, "report": self.name, "filters": filters}
            return dict(ReportSerializer(body).data)

        def build():
            if request.accepted_renderer.format == CSVRenderer.format:
                services.report_export_record(actor=request.user, key=key, filters=filters, fmt="csv", api=True)
            # Never drill_down: the links lead to candidate lists, and a report answer holds no personal data.
            return Response(selectors.report_cached(key, filters, run=run, shape=shape))

        return conditional_response(request, last_modified=run.finished_at, build=build)

    def csv_header(self, data) -> list[str]:
        return [column["key"] for column in data.get("columns", [])]


def report_view(name: str):
    attributes = {"name": name, "csv_example": docs.csv_example(name)}
    return docs.report_schema(name)(type(f"{name.title().replace('-', '')}Report", (ReportView,), attributes))
