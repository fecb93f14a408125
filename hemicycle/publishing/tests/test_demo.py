"""The demo's channels (never contacted), posts and quote card."""

import pytest

from hemicycle.core.demo import demo_build
from hemicycle.publishing import services
from hemicycle.publishing.models import Channel, Post, QuoteCard

pytestmark = pytest.mark.django_db


def test_the_demo_makes_channels_posts_and_a_card_once(fake):
    demo = demo_build(territory=False)
    workspace = demo.workspace
    channels = Channel.objects.filter(workspace=workspace)
    assert {c.kind for c in channels} == {"wordpress", "mastodon", "bluesky"}
    assert all(c.is_placeholder and ".invalid" in c.base_url for c in channels)
    statuses = set(Post.objects.filter(workspace=workspace).values_list("status", flat=True))
    assert statuses == {"draft", "to_validate", "scheduled"}
    scheduled = Post.objects.get(workspace=workspace, status="scheduled")
    assert scheduled.images.get().quote_card == QuoteCard.objects.get(workspace=workspace)
    assert {p.channel.kind for p in scheduled.publications.select_related("channel")} == {
        "wordpress", "mastodon", "bluesky"}
    assert demo.counts["publishing.posts"] == 3
    again = demo_build(territory=False)
    assert again.counts["publishing.posts"] == 0 and again.counts["publishing.channels"] == 0
    assert Post.objects.filter(workspace=workspace).count() == 3


def test_the_demo_channels_fail_clearly_instead_of_calling_anyone():
    demo = demo_build(territory=False)
    for channel in Channel.objects.filter(workspace=demo.workspace):
        ok, message = services.channel_test(channel=channel)
        assert not ok and "Canal de démonstration" in message
