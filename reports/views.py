from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import exports, selectors, services
from .charts import chart_data
from .forms import ReportFilterForm

EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx),
}


def _require_viewer(request):
    if not selectors.user_may_view_reports(request.user):
        raise PermissionDenied(_("Rapportages zijn er voor managers en beheerders."))


def _reports(request, filters, run, keys):
    drill_down = selectors.user_may_see_candidates(request.user, filters)
    built = {}
    for key in keys:
        extra = {"drill_down": drill_down} if key in selectors.DRILL_DOWN_REPORTS else {}
        built[key] = selectors.REPORTS[key](filters, run=run, **extra)
    return built


@login_required
def dashboard(request):
    _require_viewer(request)
    form = ReportFilterForm(request.GET or None)
    filters = form.filters()
    run = selectors.last_successful_run()
    reports = _reports(request, filters, run, selectors.REPORTS)
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "run": run,
            "stale": selectors.staleness(run),
            "latest": selectors.latest_run(),
            "reports": reports,
            "charts": chart_data(reports),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def export(request, key, fmt):
    _require_viewer(request)
    if key not in selectors.REPORTS or fmt not in EXPORT_FORMATS:
        raise Http404(_("Deze export bestaat niet."))
    filters = ReportFilterForm(request.GET or None).filters()
    report = _reports(request, filters, selectors.last_successful_run(), [key])[key]
    content_type, render_file = EXPORT_FORMATS[fmt]
    response = HttpResponse(render_file(report), content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{key}-{filters.year}-{stamp}.{fmt}"'
    return response


@login_required
@require_POST
def recompute(request):
    _require_viewer(request)
    _run, created = services.report_run_request(requested_by=request.user)
    if created:
        messages.success(request, _("De herberekening is gestart."))
    else:
        messages.info(request, _("Er loopt al een herberekening; de voortgang staat hieronder."))
    return redirect("reports:dashboard")


@login_required
def progress(request):
    _require_viewer(request)
    run = selectors.latest_run()
    if run is None:
        return JsonResponse({"status": None})
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "stage": run.stage,
            "percent": run.percent_done,
            "finished_at": date_format(timezone.localtime(run.finished_at), "DATETIME_FORMAT")
            if run.finished_at
            else None,
        }
    )
