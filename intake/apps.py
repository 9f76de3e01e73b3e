from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Instroom")

    def ready(self):
        from .defensity import demo, filters, rules, views
        from .demo import register_extension
        from .track_panels import TrackPanel, register_panel

        rules.register()
        filters.register()
        register_extension(demo.seed)
        register_panel(rules.TRACK_CODE, TrackPanel("intake/defensity/panel.html", views.panel_context))
