import sys
import time

from django.core.management.base import BaseCommand, CommandError

from hemicycle.territory.services import GEO_DEPARTEMENTS, territory_load


class Command(BaseCommand):
    help = ("Load France's territory from the shipped data (idempotent): régions, "
            "départements, EPCI, communes; cantons and outlines for the chosen départements.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--departements", default="",
            help=f"Comma-separated, among {','.join(GEO_DEPARTEMENTS)} (default: all six).",
        )

    def handle(self, *args, **options):
        codes = [code.strip() for code in options["departements"].split(",") if code.strip()]

        def progress(message: str) -> None:
            print(f"  {message}", file=sys.stderr, flush=True)

        started = time.monotonic()
        try:
            counts = territory_load(departements=codes or None, progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Territoire chargé en {time.monotonic() - started:.1f} s : "
            f"{counts['regions']} régions, {counts['departements']} départements, "
            f"{counts['epci']} EPCI, {counts['communes']} communes "
            f"({counts['commune_outlines']} avec contour), {counts['cantons']} cantons, "
            f"{counts['commune_cantons']} liens commune–canton."
        )
