from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "hemicycle.actors"
    verbose_name = _("Acteurs locaux")

    def ready(self) -> None:
        from hemicycle.actors import audiences, demo, known_names, panels
        from hemicycle.core.audiences import audience_source_register
        from hemicycle.core.demo import demo_step_register
        from hemicycle.core.known_names import known_name_source_register
        from hemicycle.core.modules import (
            DashboardPanel,
            Module,
            dashboard_panel_register,
            module_register,
        )
        from hemicycle.core.privacy import personal_data_exporter_register

        module_register(Module("actors", _("Acteurs locaux"), "actors:actor-list", order=40))
        dashboard_panel_register(DashboardPanel(
            "actors-follow-ups", "actors/_panel_follow_ups.html", panels.follow_ups, order=30))
        personal_data_exporter_register("actors", panels.personal_data)
        audience_source_register(audiences.SOURCE)
        known_name_source_register(known_names.SOURCE)
        demo_step_register("actors", _("Acteurs locaux"), demo.demo_actors, order=30)
