from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectedConfig(AppConfig):
    name = "hemicycle.elected"
    verbose_name = _("Élu·e·s")
