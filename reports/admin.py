from django.contrib import admin

from .models import PlanFigure, ReportRun


@admin.register(PlanFigure)
class PlanFigureAdmin(admin.ModelAdmin):
    list_display = ["year", "personnel_category", "instroomspoor", "krijgsmachtdeel", "target", "published_realised"]
    list_filter = ["year", "personnel_category", "instroomspoor", "krijgsmachtdeel"]
    list_select_related = ["instroomspoor", "krijgsmachtdeel"]
    ordering = ["-year", "personnel_category", "instroomspoor__name"]


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "status", "requested_by", "as_of", "stage", "finished_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in ReportRun._meta.fields]

    def has_add_permission(self, request):
        return False
