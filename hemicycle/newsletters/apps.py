from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    name = "hemicycle.newsletters"
    verbose_name = _("Lettres d'information")

    def ready(self) -> None:
        from hemicycle.core.demo import demo_step_register
        from hemicycle.core.modules import (
            DashboardPanel,
            Module,
            dashboard_panel_register,
            module_register,
        )
        from hemicycle.core.privacy import personal_data_exporter_register, processing_register
        from hemicycle.newsletters import demo, panels, privacy, services

        module_register(Module("newsletters", _("Lettres d'information"),
                               "newsletters:index", order=62))
        module_register(Module("press", _("Presse"), "newsletters:press-index", order=63))
        dashboard_panel_register(DashboardPanel(
            "newsletters", "newsletters/_panel.html", panels.newsletters, order=62))
        personal_data_exporter_register("newsletter_subscriptions",
                                        services.subscriber_personal_data)
        processing_register("newsletters", privacy.processings, order=20)
        demo_step_register("newsletters", _("Lettres d'information et presse"),
                           demo.demo_newsletters, order=70)
