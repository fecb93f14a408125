"""The navigation and the dashboard, filled by the modules that are installed.

Each app registers its entry in its AppConfig.ready(): a module appears in the menu
the day it lands, with no edit to the shell. Plain lists, no plugin framework.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Module:
    key: str
    label: str  # lazy translation
    url_name: str  # reversed with the workspace slug
    order: int = 50
    capability: str = "read"


@dataclass(frozen=True)
class DashboardPanel:
    key: str
    template: str
    # Returns the panel's context, or None to hide it.
    context: Callable[[HttpRequest], dict | None]
    order: int = 50
    # Shown only to members with this capability (a juror has "score", not "read").
    capability: str = "read"


MODULES: list[Module] = []
DASHBOARD_PANELS: list[DashboardPanel] = []


def module_register(module: Module) -> None:
    if all(m.key != module.key for m in MODULES):
        MODULES.append(module)
        MODULES.sort(key=lambda m: m.order)


def dashboard_panel_register(panel: DashboardPanel) -> None:
    if all(p.key != panel.key for p in DASHBOARD_PANELS):
        DASHBOARD_PANELS.append(panel)
        DASHBOARD_PANELS.sort(key=lambda p: p.order)
