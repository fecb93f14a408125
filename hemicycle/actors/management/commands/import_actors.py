"""`hemicycle import_actors FILE --workspace SLUG --format rna|csv [--dry-run]`
(also `hemicycle import-actors …`): the actors import, from the command line."""

import sys

from django.core.management.base import BaseCommand, CommandError

from hemicycle.accounts.models import Workspace
from hemicycle.actors.rna import UnreadableFile
from hemicycle.actors.services import actors_import_file
from hemicycle.audit.context import acting_as


class Command(BaseCommand):
    help = "Importe des acteurs d'un fichier du RNA ou d'un tableur (CSV, XLSX)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="fichier du RNA (CSV ;) ou tableur CSV / XLSX")
        parser.add_argument("--workspace", required=True, help="identifiant de l'espace")
        parser.add_argument("--format", choices=["rna", "csv"], default="rna",
                            help="rna : fichier du Répertoire national des associations ; "
                                 "csv : tableur (colonnes reconnues par leur titre)")
        parser.add_argument("--dry-run", action="store_true",
                            help="simuler : compter sans rien enregistrer")
        parser.add_argument("--keep-dissolved", action="store_true",
                            help="importer aussi les associations dissoutes (marquées)")

    def handle(self, *args, file: str, workspace: str, format: str, dry_run: bool,
               keep_dissolved: bool, **options) -> None:
        ws = Workspace.objects.filter(slug=workspace).first()
        if ws is None:
            raise CommandError(f"Espace inconnu : « {workspace} ».")
        bar = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if bar and total:
                filled = int(30 * done / total)
                sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] "
                                 f"{100 * done // total:3d} %")

        try:
            with acting_as(None, "commande import_actors"):
                batch, report = actors_import_file(
                    workspace=ws, path=file, fmt=format, dry_run=dry_run,
                    skip_dissolved=not keep_dissolved, on_progress=progress)
        except (UnreadableFile, OSError, UnicodeError) as error:
            raise CommandError(f"Fichier illisible : {file} ({error}).") from error
        if bar:
            sys.stderr.write("\n")
        counts = report.as_counts()
        prefix = "Simulation — " if dry_run else ""
        self.stdout.write(
            f"{prefix}créés : {counts['created']} ; mis à jour : {counts['updated']} ; "
            f"inchangés : {counts['unchanged']} ; doublons possibles : {counts['duplicates']} ; "
            f"ignorés : {counts['skipped']} ; erreurs : {counts['errors']}")
        if counts["undecided"]:
            where = "" if dry_run else f" : les choisir sur la page de l'import {batch.code}"
            self.stdout.write(
                f"cantons à préciser : {counts['undecided']} (communes partagées entre "
                f"plusieurs cantons, sans position dans le fichier){where}")
        for line, message in [e for e in report.errors if e[1]][:20]:
            self.stdout.write(f"  ligne {line} : {message}")
