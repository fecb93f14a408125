"""`hemicycle import_elected FILE --workspace SLUG [--dry-run]`: the RNE import, from the CLI."""

from django.core.management.base import BaseCommand, CommandError

from hemicycle.accounts.models import Workspace
from hemicycle.audit.context import acting_as
from hemicycle.elected.services import ImportReport, elected_import_rne


class Command(BaseCommand):
    help = "Importe les élu·e·s d'un fichier CSV du Répertoire national des élus."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="fichier CSV (conseillers départementaux ou régionaux)")
        parser.add_argument("--workspace", required=True, help="identifiant de l'espace")
        parser.add_argument("--dry-run", action="store_true",
                            help="simuler : afficher le rapport sans rien enregistrer")

    def handle(self, *args, file: str, workspace: str, dry_run: bool, **options) -> None:
        ws = Workspace.objects.select_related("assembly").filter(slug=workspace).first()
        if ws is None:
            raise CommandError(f"Espace inconnu : « {workspace} ».")
        with acting_as(None, "commande import_elected"):
            report = elected_import_rne(workspace=ws, file=file, dry_run=dry_run)
        if report.errors:
            raise CommandError("Fichier refusé, rien n'a été enregistré :\n"
                               + "\n".join(f"  - {error}" for error in report.errors))
        self.print_report(report)

    def print_report(self, report: ImportReport) -> None:
        out = self.stdout.write
        for label, items in (("Ajouts", report.created), ("Fins de mandat", report.ended),
                             ("Avertissements", report.warnings)):
            if items:
                out(f"{label} ({len(items)}) :")
                for item in items:
                    out(f"  + {item}" if label == "Ajouts" else f"  - {item}")
        if report.updated:
            out(f"Mises à jour ({len(report.updated)}) :")
            for update in report.updated:
                out(f"  ~ {update.member}")
                for change in update.changes:
                    out(f"      {change.field} : {change.old} → {change.new}")
        out(f"Inchangé·e·s : {len(report.unchanged)}")
        out(self.style.SUCCESS(report.headline()))
