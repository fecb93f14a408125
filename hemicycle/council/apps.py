from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "hemicycle.council"
    verbose_name = _("Séances")

    def ready(self) -> None:
        from hemicycle.core.demo import demo_step_register
        from hemicycle.core.modules import (
            DashboardPanel,
            Module,
            dashboard_panel_register,
            module_register,
        )
        from hemicycle.core.privacy import personal_data_exporter_register
        from hemicycle.council import demo, demo_followup, panels

        module_register(Module("council", _("Séances"), "council:sitting-list", order=30))
        dashboard_panel_register(DashboardPanel(
            "council", "council/_panel.html", panels.council, order=15))
        dashboard_panel_register(DashboardPanel(
            "council_deadlines", "council/_panel_deadlines.html", panels.deadlines, order=16))
        personal_data_exporter_register("council", panels.personal_data)
        demo_step_register("council", _("Séances et rapports"), demo.demo_council, order=30)
        demo_step_register("council_followup", _("Suivi des rapports"),
                           demo_followup.demo_followup, order=45)
