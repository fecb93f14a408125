"""`hemicycle send_council_digest`: the daily e-mail of reports waiting in each user's
"À traiter" list that they were not told about yet (run once a day by cron)."""

from django.core.management.base import BaseCommand

from hemicycle.council.services.watch import council_digest_send_all


class Command(BaseCommand):
    help = "Envoie le récapitulatif quotidien des rapports à traiter."

    def handle(self, *args, **options):
        sent = council_digest_send_all()
        self.stdout.write(f"{sent['users']} courriel(s) envoyé(s), {sent['items']} rapport(s)")
