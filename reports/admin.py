from django.contrib import admin

from . import services
from .models import PlanFigure, ReportRun


@admin.register(PlanFigure)
class PlanFigureAdmin(admin.ModelAdmin):
    list_display = ["year", "personnel_category", "instroomspoor", "krijgsmachtdeel", "target", "published_realised"]
    list_filter = ["year", "personnel_category", "instroomspoor", "krijgsmachtdeel"]
    list_select_related = ["instroomspoor", "krijgsmachtdeel"]
    ordering = ["-year", "personnel_category", "instroomspoor__name"]

    # Plan and realisation and the forecast read the plan figures live next to their cached snapshot figures.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.report_cache_clear()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.report_cache_clear()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.report_cache_clear()


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "status", "requested_by", "as_of", "stage", "finished_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in ReportRun._meta.fields]

    def has_add_permission(self, request):
        return False
