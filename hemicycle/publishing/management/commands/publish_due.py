"""Send the scheduled posts and retries that are due.

Run it every minute from cron or a systemd timer, or as a long-running process beside
the task worker: ``hemicycle publish_due --loop`` (checks every 30 seconds).
"""

import time

from django.core.management.base import BaseCommand

from hemicycle.audit.context import acting_as
from hemicycle.publishing.services import publish_due


class Command(BaseCommand):
    help = "Publie les publications programmées arrivées à échéance et les nouveaux essais."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Tourne en continu.")
        parser.add_argument("--interval", type=int, default=30, help="Secondes entre deux passes.")

    def handle(self, *args, loop: bool = False, interval: int = 30, **options):
        while True:
            with acting_as(label="publish_due"):
                counts = publish_due()
            self.stdout.write(
                f"publiées : {counts['published']}, nouvel essai prévu : {counts['retrying']}, "
                f"échecs : {counts['failed']}")
            if not loop:
                return
            time.sleep(interval)
