from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "hemicycle.publishing"
    verbose_name = _("Publications")

    def ready(self) -> None:
        from hemicycle.core.demo import demo_step_register
        from hemicycle.core.modules import (
            DashboardPanel,
            Module,
            dashboard_panel_register,
            module_register,
        )
        from hemicycle.core.privacy import processing_register
        from hemicycle.core.sharing import share_handler_register
        from hemicycle.publishing import demo, panels, privacy, services

        module_register(Module("publishing", _("Calendrier éditorial"), "publishing:calendar",
                               order=60))
        dashboard_panel_register(DashboardPanel(
            "publishing-upcoming", "publishing/_panel.html", panels.upcoming, order=60))
        demo_step_register("publishing", _("Calendrier éditorial"), demo.demo_publishing,
                           order=60)
        share_handler_register(services.post_from_share)
        processing_register("publishing", privacy.processings, order=30)

        # A press release sent to the press list (its campaign starts sending) or
        # published: the website's press page is refreshed.
        from django.db.models.signals import post_save

        from hemicycle.newsletters.models import Campaign, PressRelease

        post_save.connect(_campaign_saved, sender=Campaign,
                          dispatch_uid="publishing.press_page.campaign")
        post_save.connect(_release_saved, sender=PressRelease,
                          dispatch_uid="publishing.press_page.release")


def _campaign_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    from hemicycle.publishing import services

    if (instance.kind == sender.Kind.PRESS and instance.press_release_id
            and instance.status in (sender.Status.SENDING, sender.Status.SENT)
            and (update_fields is None or "status" in update_fields)):
        services.press_page_request(workspace=instance.workspace)


def _release_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    from hemicycle.publishing import services

    if update_fields and "published_url" in update_fields and instance.published_url:
        services.press_page_request(workspace=instance.workspace)
