from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuriesConfig(AppConfig):
    name = "hemicycle.juries"
    verbose_name = _("Jurys citoyens")

    def ready(self) -> None:
        from hemicycle.core.demo import demo_step_register
        from hemicycle.core.modules import (
            DashboardPanel,
            Module,
            dashboard_panel_register,
            module_register,
        )
        from hemicycle.core.privacy import personal_data_exporter_register
        from hemicycle.juries import demo, panels

        module_register(Module("juries", _("Appels et jurys"), "juries:campaign-list",
                               order=40))
        dashboard_panel_register(DashboardPanel(
            "juries-campaigns", "juries/_panel_campaigns.html", panels.campaigns, order=40))
        dashboard_panel_register(DashboardPanel(
            "juries-seats", "juries/_panel_jury_seats.html", panels.jury_seats, order=5,
            capability="score"))
        personal_data_exporter_register("juries", panels.personal_data)
        demo_step_register("juries", "Appel à projets AIL et jury citoyen", demo.demo_juries,
                           order=40)
