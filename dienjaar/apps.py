from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DienjaarConfig(AppConfig):
    name = "dienjaar"
    verbose_name = _("Dienjaar Defensie")

    def ready(self):
        from intake import roles
        from intake.demo import register_extension
        from intake.track_panels import TrackPanel, register_panel

        from . import demo, filters, rules, views

        rules.register()
        filters.register()
        register_extension(demo.seed)
        for group in roles.ROLES:
            roles.register_grants(group, [("dienjaar", "view_dienjaardeelname")])
        register_panel(rules.TRACK_CODE, TrackPanel("dienjaar/panel.html", views.panel_context))
