"""Workflows of the editorial calendar, by noun: channels, posts (and their images and the
"Share" hook), sending (one publication to one channel, retries, ``publish_due``), quote
cards. Everything is re-exported here: ``from hemicycle.publishing import services``.
"""

from hemicycle.publishing.services.cards import quote_card_create, quote_card_render
from hemicycle.publishing.services.channels import (
    channel_client,
    channel_save,
    channel_session,
    channel_session_save,
    channel_test,
    error_message,
)
from hemicycle.publishing.services.posts import (
    DUPLICATE_DAYS,
    ChannelText,
    post_check,
    post_duplicates,
    post_from_share,
    post_image_add,
    post_publish_now,
    post_quote_card_attach,
    post_save,
    post_schedule,
    post_transition,
)
from hemicycle.publishing.services.press import (
    press_page_channel,
    press_page_refresh,
    press_page_releases,
    press_page_request,
)
from hemicycle.publishing.services.sending import (
    MAX_ATTEMPTS,
    PUBLIC_IMAGE_SALT,
    post_refresh_status,
    public_image_url,
    publication_claim,
    publication_publish,
    publications_due,
    publish_due,
    site_is_public,
)

__all__ = [
    "DUPLICATE_DAYS", "MAX_ATTEMPTS", "PUBLIC_IMAGE_SALT", "ChannelText", "channel_client",
    "channel_save", "channel_session", "channel_session_save", "channel_test",
    "error_message", "post_check", "post_duplicates", "post_from_share", "post_image_add",
    "post_publish_now", "post_quote_card_attach", "post_refresh_status", "post_save",
    "post_schedule", "post_transition", "press_page_channel", "press_page_refresh",
    "press_page_releases", "press_page_request", "public_image_url", "publication_claim",
    "publication_publish", "publications_due", "publish_due", "quote_card_create",
    "quote_card_render", "site_is_public",
]
