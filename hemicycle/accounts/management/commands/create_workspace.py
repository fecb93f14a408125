from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandError

from hemicycle.accounts.services import workspace_create
from hemicycle.audit.context import acting_as
from hemicycle.territory.models import Assembly
from hemicycle.territory.services import assembly_for


class Command(BaseCommand):
    help = ("Create a group's workspace in an assembly and its first admin, e.g. "
            "create_workspace --assembly departement:59 --name 'Groupe écologiste' "
            "--short-name Écologistes --slug ecolo-nord --admin secretariat@example.org")

    def add_arguments(self, parser):
        kinds = "|".join(Assembly.Kind.values)
        parser.add_argument("--assembly", required=True,
                            help=f"KIND:CODE with KIND in {kinds} (e.g. region:28, "
                                 "commune:59350, epci:200093201)")
        parser.add_argument("--name", required=True)
        parser.add_argument("--short-name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--admin", required=True, help="e-mail of the first admin")

    def handle(self, *args, **options):
        kind, _, code = options["assembly"].partition(":")
        if kind not in Assembly.Kind.values or not code:
            raise CommandError(f"--assembly must be KIND:CODE, KIND in {Assembly.Kind.values}")
        try:
            assembly = assembly_for(kind, code)
        except ObjectDoesNotExist as error:
            raise CommandError(f"No {kind} with code {code}: run `hemicycle load_territory` "
                               "first, or check the code.") from error
        try:
            with acting_as(label="commande create_workspace"):
                workspace, invitation = workspace_create(
                    assembly=assembly, name=options["name"], short_name=options["short_name"],
                    slug=options["slug"], admin_email=options["admin"])
        except ValidationError as error:
            raise CommandError("; ".join(
                f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items()
            )) from error
        how = (f"invitation sent to {invitation.email}" if invitation
               else f"{options['admin']} is its admin")
        self.stdout.write(self.style.SUCCESS(
            f"Workspace {workspace.slug} created in {assembly}: {how}."))
