"""`hemicycle search "QUERY" --workspace SLUG [--json]`: the search box, for scripts."""

import json

from django.core.management.base import BaseCommand, CommandError

from hemicycle.accounts.models import Workspace
from hemicycle.council.search import report_search


class Command(BaseCommand):
    help = "Cherche dans les rapports et les documents d'un espace."

    def add_arguments(self, parser):
        parser.add_argument("query")
        parser.add_argument("--workspace", required=True)
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--json", action="store_true", help="une sortie JSON")

    def handle(self, *args, **options):
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"espace inconnu : {options['workspace']}")
        results = report_search(workspace, options["query"], limit=options["limit"])
        if results.error:
            raise CommandError(results.error)
        rows = [{
            "kind": hit.kind, "code": str(hit.object.code),
            "number": getattr(hit.object, "number", ""),
            "title": getattr(hit.object, "title", "") or getattr(hit.object, "filename", ""),
            "snippet": hit.snippet, "rank": hit.rank,
        } for hit in results.hits]
        if options["json"]:
            self.stdout.write(json.dumps({"total": results.total, "hits": rows},
                                         ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['number'] or '-'}\t{row['title']}")
        self.stdout.write(f"{results.total} résultat(s)")
