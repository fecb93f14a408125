"""`hemicycle newsletters_purge [--workspace SLUG] [--dry-run] [--schedule]`: delete the
subscription requests never confirmed within the link's validity (CONFIRM_DAYS).

The task worker does this by itself every day (tasks.subscription_purge_task); the
command is for a check by hand, or to start that cycle (--schedule)."""

from django.core.management.base import BaseCommand, CommandError

from hemicycle.accounts.models import Workspace
from hemicycle.audit.context import acting_as
from hemicycle.newsletters import conf, services
from hemicycle.newsletters.tasks import subscription_purge_schedule


class Command(BaseCommand):
    help = (f"Supprime les demandes d'inscription non confirmées sous {conf.CONFIRM_DAYS} "
            "jours (lettres d'information).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--workspace", help="identifiant de l'espace (tous par défaut)")
        parser.add_argument("--dry-run", action="store_true",
                            help="compter seulement, sans rien supprimer")
        parser.add_argument("--schedule", action="store_true",
                            help="puis programmer la purge quotidienne par le task worker")

    def handle(self, *args, workspace: str | None, dry_run: bool, schedule: bool, **options):
        ws = None
        if workspace:
            ws = Workspace.objects.filter(slug=workspace).first()
            if ws is None:
                raise CommandError(f"Espace inconnu : « {workspace} ».")
        with acting_as(None, "commande newsletters_purge"):
            report = services.subscription_purge_unconfirmed(ws, dry_run=dry_run)
        verb = "à supprimer" if dry_run else "supprimée(s)"
        self.stdout.write(self.style.SUCCESS(
            f"{report['purged']} demande(s) non confirmée(s) {verb} "
            f"({report['lists']} liste(s), {report['workspaces']} espace(s))"
            + (" — simulation, rien n'a été supprimé." if dry_run else ".")))
        if schedule and not dry_run and subscription_purge_schedule():
            self.stdout.write("Purge quotidienne programmée.")
