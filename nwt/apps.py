from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NwtConfig(AppConfig):
    name = "nwt"
    verbose_name = _("Nationale Weerbaarheidstraining")
