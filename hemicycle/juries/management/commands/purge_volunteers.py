"""Erase the personal data of volunteers of campaigns that are over (GDPR retention).

Run daily by cron or a systemd timer: `hemicycle purge_volunteers [--days 30]`. A
campaign is over N days after its decision date (or its closing date when it has none);
its volunteers keep only their pseudonym and features, for the published draw report.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from hemicycle.juries.models import Campaign
from hemicycle.juries.services.draws import volunteers_purge


class Command(BaseCommand):
    help = "Efface les données personnelles des volontaires des appels terminés."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=30,
                            help="délai après la décision (ou la clôture), en jours")

    def handle(self, *args, days: int, **options) -> None:
        limit = timezone.localdate() - timedelta(days=days)
        over = Campaign.objects.filter(
            Q(decision_on__lt=limit) | Q(decision_on=None, closes_on__lt=limit))
        total = sum(volunteers_purge(campaign=campaign) for campaign in over)
        self.stdout.write(f"{total} volontaires effacés ({over.count()} appels terminés).")
