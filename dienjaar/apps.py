from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DienjaarConfig(AppConfig):
    name = "dienjaar"
    verbose_name = _("Dienjaar Defensie")

    def ready(self):
        from . import rules

        rules.register()
