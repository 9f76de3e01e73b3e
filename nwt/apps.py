from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NwtConfig(AppConfig):
    name = "nwt"
    verbose_name = _("Nationale Weerbaarheidstraining")

    def ready(self):
        from intake import roles
        from intake.demo import register_extension
        from intake.track_panels import TrackPanel, register_panel

        from . import demo, filters, rules, views

        rules.register()
        filters.register()
        register_extension(demo.seed)
        read = [("nwt", "view_school"), ("nwt", "view_nwtdeelname")]
        for group in (roles.RECRUITER_GROUP, roles.MANAGER_GROUP):
            roles.register_grants(group, read)
        # Beheerders keep the partner schools in the admin.
        roles.register_grants(roles.BEHEERDER_GROUP, [*read, ("nwt", "add_school"), ("nwt", "change_school")])
        register_panel(rules.TRACK_CODE, TrackPanel("nwt/panel.html", views.panel_context))
