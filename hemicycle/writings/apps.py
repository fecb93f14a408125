from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WritingsConfig(AppConfig):
    name = "hemicycle.writings"
    verbose_name = _("Écrits du groupe")
