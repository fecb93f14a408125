"""`hemicycle send_deadline_reminders`: e-mail the authors and followers of writings not
filed yet, three days and one day before their filing deadline (run daily by cron; each
reminder goes once)."""

from django.core.management.base import BaseCommand

from hemicycle.council.services.deadlines import deadline_reminders_send


class Command(BaseCommand):
    help = "Rappelle les échéances de dépôt (J-3, J-1) des écrits non déposés."

    def handle(self, *args, **options):
        sent = deadline_reminders_send()
        self.stdout.write(f"{sent['emails']} rappel(s) envoyé(s) pour {sent['writings']} "
                          "écrit(s)")
