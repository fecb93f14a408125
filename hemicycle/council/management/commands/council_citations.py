"""`hemicycle council_citations --workspace SLUG`: link every report of a workspace to the
organisations of the directory it names (ingestion does it for new reports; run this
after a large import into the directory)."""

from django.core.management.base import BaseCommand, CommandError

from hemicycle.accounts.models import Workspace
from hemicycle.council.services.citations import citations_rebuild


class Command(BaseCommand):
    help = "Relie les rapports d'un espace aux structures de l'annuaire qu'ils citent."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", required=True)

    def handle(self, *args, **options):
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"espace inconnu : {options['workspace']}")

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"\r{done}/{total} rapports", ending="")

        count = citations_rebuild(workspace, progress=progress)
        self.stderr.write("")
        self.stdout.write(f"{count} citation(s) de structures de l'annuaire")
