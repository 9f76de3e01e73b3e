from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Rapportages")

    def ready(self):
        from intake import roles

        # Managers maintain the plan figures; registered so that every reload of the roles keeps the grant.
        roles.register_grants(
            roles.MANAGER_GROUP,
            [("reports", f"{action}_planfigure") for action in ("view", "add", "change", "delete")],
        )
