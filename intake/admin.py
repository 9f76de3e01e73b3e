from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import services
from .admin_tools import CsvImportAdmin, ReadOnlyAdmin
from .audit import audit_record
from .choices import ApiScope
from .exports import csv_response
from .filtersets import candidate_id_of
from .lichtingen.imports import LichtingImporter
from .models import (
    ApiToken,
    AuditAction,
    AuditEntry,
    Candidate,
    DeadLetter,
    DefensityStudent,
    Instroomspoor,
    Krijgsmachtdeel,
    Lichting,
    LichtingPlacement,
    PendingTask,
    PhaseTally,
    Reason,
    Regio,
    StatusEvent,
)


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


@admin.register(Regio)
class RegioAdmin(admin.ModelAdmin):
    list_display = ["name", "postcode_from", "postcode_to"]
    filter_horizontal = ["recruiters"]


@admin.register(Lichting)
class LichtingAdmin(CsvImportAdmin):
    importer = LichtingImporter
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


@admin.register(LichtingPlacement)
class LichtingPlacementAdmin(ReadOnlyAdmin):
    """Read only: placements are written by the placement service, overbookings with the manager's reason."""

    list_display = ["candidate", "lichting", "actor", "recorded_at", "override_reason"]
    list_filter = ["lichting__instroomspoor"]
    list_select_related = ["candidate", "lichting", "actor"]


@admin.register(DefensityStudent)
class DefensityStudentAdmin(ReadOnlyAdmin):
    """Read only: Defensity College data changes on its page, through its services."""

    list_display = ["candidate", "institution", "study", "level", "ended_on"]
    list_filter = ["level"]
    list_select_related = ["candidate"]


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
    # The admin's search is a GET (`?q=`): only the candidate number, never a name or e-mail address, may go there.
    search_fields = ["id"]
    search_help_text = _(
        "Zoek op kandidaatnummer (K0000123). Zoeken op naam of e-mail kan in de kandidatenlijst, die de zoekterm "
        "buiten de URL houdt."
    )
    # The lichting has a capacity: placements go through the placement page, not through this form.
    readonly_fields = ["phase", "step", "status", "step_since", "version", "lichting"]
    raw_id_fields = ["recruiter"]
    inlines = [StatusEventInline]
    show_full_result_count = False

    @admin.display(description=_("kandidaatnummer"))
    def number(self, obj):
        return obj.number

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        candidate_id = candidate_id_of(search_term)
        return (queryset.none() if candidate_id is None else queryset.filter(pk=candidate_id)), False

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


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Visible to beheerders; reading the trail is itself recorded, and so is exporting it."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "address"]
    list_filter = ["action", "object_type", ("at", admin.DateFieldListFilter)]
    search_fields = ["object_id", "actor__username"]
    list_select_related = ["actor"]
    date_hierarchy = "at"
    actions = ["export_csv"]
    show_full_result_count = False

    def changelist_view(self, request, extra_context=None):
        audit_record(
            actor=request.user,
            action=AuditAction.AUDIT_VIEW,
            object_type="intake.auditentry",
            detail={"filters": sorted(request.GET.keys())},
        )
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Exporteer geselecteerde regels als CSV"))
    def export_csv(self, request, queryset):
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            object_type="intake.auditentry",
            detail={"rows": queryset.count()},
        )
        return csv_response(
            "audittrail.csv",
            ["tijdstip", "gebruiker_id", "actie", "soort_object", "object_id", "adres"],
            queryset.values_list("at", "actor_id", "action", "object_type", "object_id", "address").iterator(),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeadLetter)
class DeadLetterAdmin(admin.ModelAdmin):
    list_display = ["failed_at", "task_name", "task_id", "retries"]
    readonly_fields = ["task_name", "task_id", "args", "kwargs", "error", "retries", "failed_at"]

    def has_add_permission(self, request):
        return False


@admin.register(PendingTask)
class PendingTaskAdmin(admin.ModelAdmin):
    list_display = ["created_at", "task_name", "args", "last_error"]
    readonly_fields = ["task_name", "args", "created_at", "last_error"]

    def has_add_permission(self, request):
        return False


class ApiTokenCreateForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = ApiToken
        fields = ["name", "owner", "scopes", "expires_at"]

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        if expires_at is not None and expires_at <= timezone.now():
            raise forms.ValidationError(
                _("Kies een moment in de toekomst, of laat leeg voor een token zonder einddatum.")
            )
        return expires_at


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created here and revoked with the list action; they are never edited, and their key is shown
    once, in the message after creation."""

    form = ApiTokenCreateForm
    list_display = ["name", "key_prefix", "owner", "scopes", "state", "created_at", "expires_at", "last_used_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["owner"]
    search_fields = ["name", "key_prefix", "owner__username"]
    actions = ["revoke"]
    fields = [
        "name",
        "owner",
        "scopes",
        "key_prefix",
        "expires_at",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]
    readonly_fields = fields

    @admin.display(description=_("status"))
    def state(self, obj):
        if obj.is_revoked:
            return _("Ingetrokken")
        if obj.is_expired:
            return _("Verlopen")
        return _("Actief")

    def get_fields(self, request, obj=None):
        return ApiTokenCreateForm.Meta.fields if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A revoked token stays, so the record of who had access and when is complete.
        return False

    def has_revoke_permission(self, request):
        return request.user.has_perm("intake.change_apitoken")

    def save_model(self, request, obj, form, change):
        token, key = services.api_token_create(
            name=form.cleaned_data["name"],
            owner=form.cleaned_data["owner"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.cleaned_data["expires_at"],
            created_by=request.user,
        )
        # The admin logs the addition with this object; give it the saved token's identity.
        obj.pk, obj.key_prefix = token.pk, token.key_prefix
        messages.warning(
            request,
            format_html(
                '{} <code class="api-token-key">{}</code><br>{}',
                _("Het nieuwe token is:"),
                key,
                _("Kopieer het nu: het wordt niet bewaard en is later niet meer op te vragen."),
            ),
        )

    @admin.action(description=_("Geselecteerde tokens intrekken"), permissions=["revoke"])
    def revoke(self, request, queryset):
        token_ids = list(queryset.values_list("pk", flat=True))
        for token_id in token_ids:
            services.api_token_revoke(token_id=token_id, actor=request.user)
        self.message_user(request, _("%(count)d token(s) ingetrokken.") % {"count": len(token_ids)})
