from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "hemicycle.audit"
    verbose_name = _("Historique")

    def ready(self) -> None:
        from hemicycle.accounts.models import Workspace, WorkspaceModel
        from hemicycle.audit import panels, signals
        from hemicycle.core.modules import (
            DashboardPanel,
            Module,
            dashboard_panel_register,
            module_register,
        )

        # Every domain model, present and future, is tracked without opting in.
        for model in apps.get_models():
            if issubclass(model, WorkspaceModel) or model is Workspace:
                signals.connect(model)
        module_register(Module("audit", _("Historique"), "audit:event-list", order=90))
        dashboard_panel_register(DashboardPanel(
            "recent", "audit/_panel_recent.html", panels.recent_activity, order=70))
