"""`hemicycle purge_actors --workspace SLUG [--warn] [--purge]`: the retention rule for
people of the directory (list by default; run it from cron)."""

from django.core.management.base import BaseCommand, CommandError

from hemicycle.accounts.models import Workspace
from hemicycle.actors.services import (
    retention_due,
    retention_purge,
    retention_warn,
    retention_years,
)
from hemicycle.audit.context import acting_as


class Command(BaseCommand):
    help = "Liste, avertit puis anonymise les personnes sans échange depuis N années."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--workspace", required=True, help="identifiant de l'espace")
        parser.add_argument("--warn", action="store_true", help="marquer comme averties")
        parser.add_argument("--purge", action="store_true",
                            help="anonymiser les personnes averties depuis 30 jours")

    def handle(self, *args, workspace: str, warn: bool, purge: bool, **options) -> None:
        ws = Workspace.objects.filter(slug=workspace).first()
        if ws is None:
            raise CommandError(f"Espace inconnu : « {workspace} ».")
        due = retention_due(ws)
        # Codes only: no personal data in logs.
        self.stdout.write(f"{due.count()} personne(s) sans échange depuis "
                          f"{retention_years()} ans.")
        with acting_as(None, "commande purge_actors"):
            if warn:
                self.stdout.write(f"Averties : {retention_warn(ws)}")
            if purge:
                self.stdout.write(f"Anonymisées : {retention_purge(ws)}")
