from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NwtConfig(AppConfig):
    name = "nwt"
    verbose_name = _("Nationale Weerbaarheidstraining")

    def ready(self):
        from intake.demo import register_extension
        from intake.track_panels import TrackPanel, register_panel

        from . import demo, filters, rules, views

        rules.register()
        filters.register()
        register_extension(demo.seed)
        register_panel(rules.TRACK_CODE, TrackPanel("nwt/panel.html", views.panel_context))
