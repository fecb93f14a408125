"""The WordPress channel against a REAL WordPress (Debian's package, on loopback, see
wordpress_server.py): a post with its image, then an update of the same post."""

import io

import httpx
import pytest
from django.core.files.base import ContentFile
from django.test import TestCase
from PIL import Image

from hemicycle.publishing import services
from hemicycle.publishing.models import Channel, Post
from hemicycle.publishing.tests.conftest import make_channel

pytestmark = pytest.mark.django_db


def png() -> ContentFile:
    output = io.BytesIO()
    Image.new("RGB", (120, 80), (31, 111, 67)).save(output, format="PNG")
    return ContentFile(output.getvalue(), name="collegiens.png")


def publish_now(post, by) -> Post:
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.post_publish_now(post=post, by=by)
    post.refresh_from_db()
    return post


def wp_get(site, route: str, **params) -> dict:
    response = httpx.get(site.url, params={"rest_route": route, "context": "edit", **params},
                         auth=(site.username, site.app_password), timeout=30)
    response.raise_for_status()
    return response.json()


def test_a_post_with_its_image_reaches_wordpress_and_an_update_changes_the_same_post(
        wordpress_site, workspace, alice):
    channel = make_channel(workspace, Channel.Kind.WORDPRESS, wordpress_site.url,
                           account=wordpress_site.username, secret=wordpress_site.app_password,
                           status="publish", categories=["Actualités du groupe"],
                           tags=["Cantines"])
    assert services.channel_test(channel=channel)[0]
    post = services.post_save(
        workspace=workspace, by=alice, title="Cantines : notre vœu adopté",
        body="Le vœu est adopté.\n\nMerci aux parents d’élèves.",
        link="https://ecologistes-nord.example/voeu",
        texts=[services.ChannelText(channel, "Le vœu est adopté.\n\nMerci aux parents d’élèves.")])
    services.post_image_add(post=post, image=png(), alt_text="Des collégiens à la cantine")
    post = publish_now(post, alice)
    publication = post.publications.get()
    assert post.status == Post.Status.PUBLISHED, publication.last_error
    remote = wp_get(wordpress_site, f"/wp/v2/posts/{publication.remote_id}")
    assert remote["status"] == "publish"
    assert remote["title"]["raw"] == "Cantines : notre vœu adopté"
    assert "Merci aux parents d’élèves." in remote["content"]["raw"]
    assert publication.remote_url == remote["link"]
    media = wp_get(wordpress_site, f"/wp/v2/media/{remote['featured_media']}")
    assert media["alt_text"] == "Des collégiens à la cantine"
    categories = [wp_get(wordpress_site, f"/wp/v2/categories/{c}")["name"]
                  for c in remote["categories"]]
    assert "Actualités du groupe" in categories

    # Edited and published again: the same WordPress post changes, no second one appears.
    services.post_save(workspace=workspace, by=alice, post=post, title="Cantines : vœu adopté",
                       body="Texte corrigé.", can_publish=True,
                       texts=[services.ChannelText(channel, "Texte corrigé.")])
    assert post.status == Post.Status.VALIDATED
    post = publish_now(post, alice)
    again = post.publications.get()
    assert again.remote_id == publication.remote_id and post.status == Post.Status.PUBLISHED
    remote = wp_get(wordpress_site, f"/wp/v2/posts/{again.remote_id}")
    assert remote["title"]["raw"] == "Cantines : vœu adopté"
    assert "Texte corrigé." in remote["content"]["raw"]
    assert remote["featured_media"] == media["id"]  # the image was not uploaded twice
    same_title = wp_get(wordpress_site, "/wp/v2/posts", search="Cantines", status="publish,draft")
    assert int(again.remote_id) in [p["id"] for p in same_title]
    assert len([p for p in same_title if "vœu adopté" in p["title"]["raw"]]) == 1


def test_a_wrong_application_password_is_explained_in_french(wordpress_site, workspace):
    channel = make_channel(workspace, Channel.Kind.WORDPRESS, wordpress_site.url,
                           account=wordpress_site.username, secret="abcd efgh ijkl mnop qrst uvwx")
    ok, message = services.channel_test(channel=channel)
    assert not ok and "refusé les identifiants" in message
