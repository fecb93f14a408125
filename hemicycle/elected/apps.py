from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectedConfig(AppConfig):
    name = "hemicycle.elected"
    verbose_name = _("Élu·e·s")

    def ready(self) -> None:
        from hemicycle.core.modules import (
            DashboardPanel,
            Module,
            dashboard_panel_register,
            module_register,
        )
        from hemicycle.core.privacy import personal_data_exporter_register
        from hemicycle.elected import panels

        module_register(Module("elected", _("Élu·e·s"), "elected:member-list", order=20))
        personal_data_exporter_register("elected_records", panels.personal_data)
        dashboard_panel_register(DashboardPanel(
            "elected-group", "elected/_panel_group.html", panels.group, order=20))
