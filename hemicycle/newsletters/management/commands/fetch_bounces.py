from pathlib import Path

from django.core.management.base import BaseCommand

from hemicycle.newsletters.services import bounces_apply, bounces_fetch_imap


class Command(BaseCommand):
    help = ("Apply bounce reports (RFC 3464 DSNs): from the IMAP mailbox set by "
            "NEWSLETTER_IMAP_HOST…, or from .eml files given as arguments.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help=".eml files")

    def handle(self, *args, **options):
        if options["files"]:
            marked = sum(bounces_apply(raw=Path(name).read_bytes()) for name in options["files"])
            self.stdout.write(f"{len(options['files'])} files read, {marked} addresses marked")
            return
        result = bounces_fetch_imap()
        self.stdout.write(f"{result['read']} messages read, {result['marked']} addresses marked")
