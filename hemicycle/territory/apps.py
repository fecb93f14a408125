from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "hemicycle.territory"
    verbose_name = _("Territoire")

    def ready(self) -> None:
        from hemicycle.core.modules import Module, module_register

        module_register(Module("territory", _("Territoire"), "territory:home", order=80))
