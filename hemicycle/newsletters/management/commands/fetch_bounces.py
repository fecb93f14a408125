from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hemicycle.newsletters.services import (
    BounceMailboxError,
    bounces_apply,
    bounces_fetch_imap,
)


class Command(BaseCommand):
    help = ("Apply bounce reports (RFC 3464 DSNs): from the IMAP mailbox set by "
            "NEWSLETTER_IMAP_HOST…, or from .eml files given as arguments. Exits non-zero "
            "when the mailbox cannot be read.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help=".eml files")

    def handle(self, *args, **options):
        if options["files"]:
            marked = sum(bounces_apply(raw=Path(name).read_bytes()) for name in options["files"])
            self.stdout.write(f"{len(options['files'])} files read, {marked} addresses marked")
            return
        try:
            result = bounces_fetch_imap()
        except BounceMailboxError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{result['read']} messages read, {result['reports']} bounce "
                          f"reports, {result['marked']} addresses marked")
