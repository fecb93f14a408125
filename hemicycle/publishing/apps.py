from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "hemicycle.publishing"
    verbose_name = _("Publications")

    def ready(self) -> None:
        from hemicycle.core.demo import demo_step_register
        from hemicycle.core.modules import (
            DashboardPanel,
            Module,
            dashboard_panel_register,
            module_register,
        )
        from hemicycle.core.sharing import share_handler_register
        from hemicycle.publishing import demo, panels, services

        module_register(Module("publishing", _("Calendrier éditorial"), "publishing:calendar",
                               order=60))
        dashboard_panel_register(DashboardPanel(
            "publishing-upcoming", "publishing/_panel.html", panels.upcoming, order=60))
        demo_step_register("publishing", _("Calendrier éditorial"), demo.demo_publishing,
                           order=60)
        share_handler_register(services.post_from_share)
