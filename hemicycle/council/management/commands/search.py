"""`hemicycle search "QUERY" --workspace SLUG [--json]`: the search box, for scripts.
`hemicycle search --rebuild --workspace SLUG` indexes the workspace again."""

import json

from django.core.management.base import BaseCommand, CommandError

from hemicycle.accounts.models import Workspace
from hemicycle.council.search import Filters, report_search, search_rebuild


class Command(BaseCommand):
    help = "Cherche dans les rapports, les documents et les écrits d'un espace."

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="?", default="")
        parser.add_argument("--workspace", required=True)
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--kind", choices=["report", "document", "writing"], default="",
                            help="un seul type de résultats")
        parser.add_argument("--json", action="store_true", help="une sortie JSON")
        parser.add_argument("--rebuild", action="store_true",
                            help="réindexer tout l'espace (après une mise à jour)")

    def handle(self, *args, **options):
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"espace inconnu : {options['workspace']}")
        if options["rebuild"]:
            count = search_rebuild(workspace)
            self.stdout.write(f"{count} élément(s) réindexé(s)")
            if not options["query"]:
                return
        results = report_search(workspace, options["query"], Filters(kind=options["kind"]),
                                limit=options["limit"], counts=True)
        if results.error:
            raise CommandError(results.error)
        rows = []
        for hit in results.hits:
            obj = hit.object
            rows.append({
                "kind": hit.kind,
                "code": str(obj.code) if hasattr(obj, "code") else "",
                "label": str(getattr(obj, "label", "")),
                "url": getattr(obj, "url", ""),
                "number": getattr(obj, "number", ""),
                "title": getattr(obj, "title", "") or getattr(obj, "filename", ""),
                "snippet": hit.snippet, "rank": hit.rank})
        if options["json"]:
            self.stdout.write(json.dumps({"total": results.total,
                                          "counts": results.kind_counts, "hits": rows},
                                         ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['number'] or row['label'] or '-'}\t{row['title']}")
        self.stdout.write(f"{results.total} résultat(s)")
