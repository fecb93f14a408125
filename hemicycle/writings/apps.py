from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WritingsConfig(AppConfig):
    name = "hemicycle.writings"
    verbose_name = _("Écrits du groupe")

    def ready(self) -> None:
        from hemicycle.core.demo import demo_step_register
        from hemicycle.core.modules import (
            DashboardPanel,
            Module,
            dashboard_panel_register,
            module_register,
        )
        from hemicycle.core.privacy import personal_data_exporter_register
        from hemicycle.writings import demo, panels, search_index  # noqa: F401 (signals)

        module_register(Module("writings", _("Écrits"), "writings:writing-index", order=35))
        dashboard_panel_register(DashboardPanel(
            "writings", "writings/_panel_dashboard.html", panels.dashboard, order=35))
        personal_data_exporter_register("writings", panels.personal_data)
        # After the council's demo step (order 30), whose reports it works on.
        demo_step_register("writings", _("Écrits du groupe"), demo.demo_writings, order=40)
