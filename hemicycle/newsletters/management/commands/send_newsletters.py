import time

from django.core.management.base import BaseCommand, CommandError

from hemicycle.newsletters.campaigns import campaigns_due
from hemicycle.newsletters.models import Campaign
from hemicycle.newsletters.tasks import campaign_send_task


class Command(BaseCommand):
    help = ("Send the campaigns that are due and finish those left unfinished (after a "
            "crash or a restart). --campaign CODE sends one; --loop keeps watching.")

    def add_arguments(self, parser):
        parser.add_argument("--campaign", help="the code (UUID) of one campaign")
        parser.add_argument("--loop", action="store_true", help="check again every minute")

    def handle(self, *args, **options):
        while True:
            if options["campaign"]:
                campaign = Campaign.objects.filter(code=options["campaign"]).first()
                if campaign is None:
                    raise CommandError(f"No campaign {options['campaign']}")
                campaigns = [campaign]
            else:
                campaigns = campaigns_due()
            for campaign in campaigns:
                # Run in this process, whatever the task backend: this command is a worker.
                result = campaign_send_task.call(campaign_id=campaign.pk)
                state = "finished" if result.get("finished") else "not finished"
                self.stdout.write(f"{campaign.code} {campaign.subject[:40]!r}: "
                                  f"{result.get('sent', 0)} sent, {result.get('failed', 0)} "
                                  f"failed, {state}")
            if not options["loop"]:
                return
            time.sleep(60)
