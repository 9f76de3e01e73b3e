from django.contrib import admin

from intake.admin_tools import CsvImportAdmin, ReadOnlyAdmin

from .imports import SchoolImporter
from .models import NwtDeelname, School


@admin.register(School)
class SchoolAdmin(CsvImportAdmin):
    importer = SchoolImporter
    list_display = ["name", "level", "city", "partner_since"]
    list_filter = ["level"]
    search_fields = ["name", "city"]


@admin.register(NwtDeelname)
class NwtDeelnameAdmin(ReadOnlyAdmin):
    """Read only: NWT data changes on the NWT page, through its services."""

    list_display = ["candidate", "school", "participation", "completed_on", "unit"]
    list_filter = ["participation", "school"]
    list_select_related = ["candidate", "school"]
    raw_id_fields = ["candidate"]
