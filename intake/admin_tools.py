"""Admin pieces shared by intake and the track apps."""

from typing import ClassVar

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .csv_import import CsvImporter


class ReadOnlyAdmin(admin.ModelAdmin):
    """For data that only its services write (track data, snapshots): the admin shows it, nothing more."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV-bestand"))


class CsvImportAdmin(admin.ModelAdmin):
    """An admin with an "Importeren uit CSV" page next to its list, for beheerders who may add and change rows."""

    importer: ClassVar[type[CsvImporter]]
    change_list_template = "admin/csv_import_change_list.html"

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        view = self.admin_site.admin_view(self.import_view)
        return [path("importeren/", view, name="%s_%s_import" % info), *super().get_urls()]

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        importer = self.importer()
        form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
        result = None
        if request.method == "POST" and form.is_valid():
            result = importer.run_bytes(form.cleaned_data["file"].read())
            if result.ok:
                messages.success(request, result.summary())
                opts = self.model._meta
                return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        return render(
            request,
            "admin/csv_import.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("%(models)s importeren uit CSV") % {"models": self.model._meta.verbose_name_plural},
                "form": form,
                "result": result,
                "template_line": importer.template(),
            },
        )
