from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediawatchConfig(AppConfig):
    name = "hemicycle.mediawatch"
    verbose_name = _("Veille médiatique")
