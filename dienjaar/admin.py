from django.contrib import admin

from intake.admin_tools import ReadOnlyAdmin

from .models import DienjaarDeelname


@admin.register(DienjaarDeelname)
class DienjaarDeelnameAdmin(ReadOnlyAdmin):
    """Read only: Dienjaar data changes on the Dienjaar page, through its services, which check eligibility."""

    list_display = ["candidate", "variant", "desired_start", "work_experience_years", "completed_on"]
    list_filter = ["variant"]
    list_select_related = ["candidate"]
