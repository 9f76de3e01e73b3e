from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Candidate, Instroomspoor, Krijgsmachtdeel, Lichting, PhaseTally, Reason, StatusEvent


@admin.register(Instroomspoor)
class InstroomspoorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "personnel_category", "starts_in_lichtingen", "is_active"]
    filter_horizontal = ["recruiters"]


@admin.register(Krijgsmachtdeel)
class KrijgsmachtdeelAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(Reason)
class ReasonAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "phase", "outflow_type", "is_active"]
    list_filter = ["kind", "phase", "is_active"]
    search_fields = ["label", "code"]


@admin.register(Lichting)
class LichtingAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "instroomspoor",
        "krijgsmachtdeel",
        "start_date",
        "end_date",
        "location",
        "capacity",
    ]
    list_filter = ["instroomspoor", "krijgsmachtdeel"]
    date_hierarchy = "start_date"


class StatusEventInline(admin.TabularInline):
    model = StatusEvent
    fields = [
        "sequence",
        "kind",
        "to_phase",
        "to_step",
        "to_status",
        "verdict",
        "reason",
        "note",
        "actor",
        "occurred_at",
        "recorded_at",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["sequence"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "first_name",
        "last_name",
        "instroomspoor",
        "krijgsmachtdeel",
        "phase",
        "step",
        "status",
        "applied_on",
    ]
    list_filter = ["instroomspoor", "krijgsmachtdeel", "phase", "status"]
    list_select_related = ["instroomspoor", "krijgsmachtdeel"]
    search_fields = ["last_name", "email"]
    # The lichting has a capacity: placements go through the placement page, not through this form.
    readonly_fields = ["phase", "step", "status", "step_since", "version", "lichting"]
    raw_id_fields = ["recruiter"]
    inlines = [StatusEventInline]
    show_full_result_count = False

    @admin.display(description=_("kandidaatnummer"))
    def number(self, obj):
        return obj.number

    def save_model(self, request, obj, form, change):
        # The admin writes through the same services as every other interface, so the event log stays complete.
        if change:
            fields = {name: form.cleaned_data[name] for name in form.changed_data if name in services.EDITABLE_FIELDS}
            services.candidate_update(candidate_id=obj.pk, expected_version=obj.version, actor=request.user, **fields)
        else:
            fields = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS if name in form.cleaned_data}
            created = services.candidate_register(
                actor=request.user, instroomspoor=obj.instroomspoor, applied_on=obj.applied_on, **fields
            )
            obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PhaseTally)
class PhaseTallyAdmin(admin.ModelAdmin):
    list_display = ["instroomspoor", "phase", "status", "count", "computed_at"]
    list_filter = ["instroomspoor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
