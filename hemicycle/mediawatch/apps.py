from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediawatchConfig(AppConfig):
    name = "hemicycle.mediawatch"
    verbose_name = _("Veille médiatique")

    def ready(self) -> None:
        from hemicycle.core.demo import demo_step_register
        from hemicycle.core.modules import (
            DashboardPanel,
            Module,
            dashboard_panel_register,
            module_register,
        )
        from hemicycle.core.privacy import personal_data_exporter_register, processing_register
        from hemicycle.mediawatch import demo, panels, privacy

        module_register(Module("mediawatch", _("Veille médiatique"),
                               "mediawatch:clipping-list", order=65))
        dashboard_panel_register(DashboardPanel(
            "mediawatch-today", "mediawatch/_panel_today.html", panels.today, order=45))
        personal_data_exporter_register("mediawatch_digest", panels.personal_data)
        processing_register("mediawatch", privacy.processings, order=40)
        demo_step_register("mediawatch", _("Veille médiatique"), demo.demo_mediawatch,
                           order=75)
