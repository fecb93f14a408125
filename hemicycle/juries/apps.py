from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuriesConfig(AppConfig):
    name = "hemicycle.juries"
    verbose_name = _("Jurys citoyens")
