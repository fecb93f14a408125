from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hemicycle.core"
    verbose_name = _("Interface")

    def ready(self) -> None:
        from hemicycle.core.modules import Module, module_register

        module_register(Module("dashboard", _("Tableau de bord"), "core:dashboard", order=0))
