import sys

from django.core.management.base import BaseCommand

from hemicycle.core.demo import DEMO_USERS, demo_build


class Command(BaseCommand):
    help = "Build (idempotently) the demo workspace and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--no-territory", action="store_true",
                            help="Skip loading France's territory (faster, no maps).")

    def handle(self, *args, **options):
        def progress(message: str) -> None:
            print(f"  {message}", file=sys.stderr, flush=True)

        result = demo_build(territory=not options["no_territory"], progress=progress)
        self.stdout.write(self.style.SUCCESS(
            f"Démo prête : {result.workspace.name} ({result.workspace.assembly})"))
        self.stdout.write("Comptes de démonstration (mot de passe commun : "
                          f"{result.password}) :")
        for email, name, role, title in DEMO_USERS:
            self.stdout.write(f"  {role.label:<20} {email:<34} {name}, {title}")
        self.stdout.write("Ouvrez http://127.0.0.1:8000 et connectez-vous.")
