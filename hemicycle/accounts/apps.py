from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hemicycle.accounts"
    verbose_name = _("Comptes et espaces")

    def ready(self) -> None:
        from hemicycle.accounts import panels, privacy
        from hemicycle.core.modules import (
            DashboardPanel,
            Module,
            dashboard_panel_register,
            module_register,
        )
        from hemicycle.core.privacy import personal_data_exporter_register

        module_register(Module("members", _("Équipe"), "accounts:member-list", order=95))
        module_register(Module("settings", _("Paramètres"), "accounts:workspace-settings",
                               order=99, capability="manage"))
        dashboard_panel_register(DashboardPanel(
            "team", "accounts/_panel_team.html", panels.team, order=60))
        personal_data_exporter_register("account", privacy.account_data)
        personal_data_exporter_register("actions", privacy.actions_data)
