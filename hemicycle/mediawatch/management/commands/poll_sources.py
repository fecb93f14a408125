"""`hemicycle poll_sources [--workspace SLUG] [--all]`: poll the due media-watch sources now."""

from django.core.management.base import BaseCommand, CommandError

from hemicycle.accounts.models import Workspace
from hemicycle.audit.context import acting_as
from hemicycle.mediawatch import services
from hemicycle.mediawatch.models import Source


class Command(BaseCommand):
    help = "Relève les sources de la veille médiatique qui sont dues."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--workspace", help="identifiant de l'espace (tous par défaut)")
        parser.add_argument("--all", action="store_true",
                            help="toutes les sources actives, même pas encore dues")
        parser.add_argument("--schedule", action="store_true",
                            help="puis programmer le relevé périodique par le task worker")

    def handle(self, *args, workspace: str | None, all: bool, schedule: bool, **options):
        ws = None
        if workspace:
            ws = Workspace.objects.filter(slug=workspace).first()
            if ws is None:
                raise CommandError(f"Espace inconnu : « {workspace} ».")
        if all:
            sources = Source.objects.filter(active=True).select_related("workspace")
            sources = sources.filter(workspace=ws) if ws else sources
        else:
            sources = services.sources_due(workspace=ws)
        with acting_as(None, "commande poll_sources"):
            reports = services.sources_poll(sources=sources)
        for report in reports:
            if report.status == "error":
                self.stdout.write(f"  ! {report.source} : {report.error}")
        new = sum(r.new for r in reports)
        duplicates = sum(r.duplicates for r in reports)
        errors = sum(r.status == "error" for r in reports)
        self.stdout.write(self.style.SUCCESS(
            f"{len(reports)} source(s) relevée(s) : {new} nouvel(s) article(s), "
            f"{duplicates} doublon(s), {errors} erreur(s)."))
        if schedule and services.poll_schedule():
            self.stdout.write("Relevé périodique programmé.")
