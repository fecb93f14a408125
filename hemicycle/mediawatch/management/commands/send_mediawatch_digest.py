"""`hemicycle send_mediawatch_digest [--workspace SLUG] [--due-only]`: today's media-watch
digest now to every subscriber not served today (``--due-only``: only those whose chosen
time has come, as the task does). Never twice a day to the same person."""

from django.core.management.base import BaseCommand, CommandError

from hemicycle.accounts.models import Workspace
from hemicycle.audit.context import acting_as
from hemicycle.mediawatch import services


class Command(BaseCommand):
    help = "Envoie la revue de presse du jour aux abonné·e·s (une seule fois par jour)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--workspace", help="identifiant de l'espace (tous par défaut)")
        parser.add_argument("--due-only", action="store_true",
                            help="seulement les abonné·e·s dont l'heure d'envoi est passée")

    def handle(self, *args, workspace: str | None, due_only: bool = False, **options) -> None:
        ws = None
        if workspace:
            ws = Workspace.objects.filter(slug=workspace).first()
            if ws is None:
                raise CommandError(f"Espace inconnu : « {workspace} ».")
        with acting_as(None, "commande send_mediawatch_digest"):
            sent = services.digests_send(workspace=ws, everyone=not due_only)
        self.stdout.write(self.style.SUCCESS(f"{sent} revue(s) de presse envoyée(s)."))
