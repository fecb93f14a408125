"""`hemicycle ingest PATH... --workspace SLUG [--sitting CODE] [--role ROLE]`: import files
(or folders, or ZIP archives) into a workspace, with a progress bar; `--resume CODE` picks
up an interrupted import. Exits with status 1 if a file could not be read."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hemicycle.accounts.models import Workspace
from hemicycle.council.models import IngestionBatch, IngestionItem, Sitting
from hemicycle.council.services.ingestion import ingestion_batch_create, ingestion_batch_run

ROLES = ["", "report", "bundle", "minutes", "annex"]


class Command(BaseCommand):
    help = "Importe des documents du conseil (PDF, DOCX, ODT, HTML, texte, ZIP)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="fichiers ou dossiers")
        parser.add_argument("--workspace", required=True, help="identifiant de l'espace")
        parser.add_argument("--sitting", default="", help="code de la séance")
        parser.add_argument("--role", default="", choices=ROLES,
                            help="type de documents (deviné par défaut)")
        parser.add_argument("--resume", default="", help="code d'un import interrompu")

    def handle(self, *args, **options):
        workspace = Workspace.objects.select_related("assembly").filter(
            slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"espace inconnu : {options['workspace']}")
        if options["resume"]:
            batch = IngestionBatch.objects.filter(workspace=workspace,
                                                  code=options["resume"]).first()
            if batch is None:
                raise CommandError(f"import inconnu : {options['resume']}")
        else:
            batch = self._create(workspace, options)
        self.stdout.write(f"Import {batch.code} : {batch.files_total} fichier(s)")
        batch = ingestion_batch_run(batch, progress=self._progress)
        if self._tty:
            self.stdout.write("")
        errors = batch.items.filter(status=IngestionItem.Status.ERROR)
        for item in errors:
            self.stderr.write(f"ERREUR {item.filename} : {item.error}")
        self.stdout.write(
            f"{batch.files_done}/{batch.files_total} fichier(s), {batch.pages_done} page(s), "
            f"{batch.reports_created} rapport(s) créé(s), {batch.errors} erreur(s)")
        if errors.exists():
            sys.exit(1)

    def _create(self, workspace, options) -> IngestionBatch:
        sitting = None
        if options["sitting"]:
            try:
                sitting = Sitting.objects.filter(workspace=workspace,
                                                 code=options["sitting"]).first()
            except Exception:  # not a UUID
                sitting = None
            if sitting is None:
                raise CommandError(f"séance inconnue : {options['sitting']}")
        files = []
        for raw in options["paths"]:
            path = Path(raw)
            if path.is_dir():
                files += [(p.name, p.read_bytes()) for p in sorted(path.rglob("*"))
                          if p.is_file() and not p.name.startswith(".")]
            elif path.is_file():
                files.append((path.name, path.read_bytes()))
            else:
                raise CommandError(f"fichier introuvable : {raw}")
        if not files:
            raise CommandError("aucun fichier à importer")
        return ingestion_batch_create(workspace=workspace, files=files, sitting=sitting,
                                      role=options["role"])

    @property
    def _tty(self) -> bool:
        return hasattr(self.stdout, "isatty") and self.stdout.isatty()

    def _progress(self, batch: IngestionBatch, item: IngestionItem) -> None:
        width = 30
        filled = width * batch.files_done // max(batch.files_total, 1)
        bar = "#" * filled + "-" * (width - filled)
        line = (f"[{bar}] {batch.files_done}/{batch.files_total} fichiers, "
                f"{batch.pages_done} pages — {item.filename[:40]}")
        if self._tty:
            self.stdout.write("\r" + line.ljust(100), ending="")
            self.stdout.flush()
        else:
            self.stdout.write(line)
