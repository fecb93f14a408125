"""The website's press page: a WordPress page listing the press releases that went out,
each with its PDF, made once then updated; refreshed when a release is sent and from a
button. Against the REAL WordPress (wordpress_server.py) and a fake one for the errors."""

import httpx
import pytest
from django.test import TestCase
from django.urls import reverse

from hemicycle.newsletters import press
from hemicycle.newsletters.sending import campaign_launch
from hemicycle.publishing import services
from hemicycle.publishing.clients.base import PublishError
from hemicycle.publishing.models import Channel, PressPage
from hemicycle.publishing.tests.conftest import make_channel

pytestmark = pytest.mark.django_db


def wp_get(site, route: str, **params):
    response = httpx.get(site.url, params={"rest_route": route, "context": "edit", **params},
                         auth=(site.username, site.app_password), timeout=30)
    response.raise_for_status()
    return response.json()


def send_release(workspace, user, title: str, body: str = "Le groupe se félicite."):
    """Write a release and send it to the press list (the campaign starts sending);
    the on-commit callbacks run the press page task, as the worker would."""
    release = press.press_release_create(workspace=workspace, by=user, title=title, body=body,
                                         contact="Service presse — 03 20 00 00 00")
    with TestCase.captureOnCommitCallbacks(execute=True):
        campaign_launch(campaign=press.press_release_mailing(release=release, by=user), by=user)
    return release


def test_sending_press_releases_builds_then_updates_one_press_page_on_the_real_wordpress(
        wordpress_site, workspace, alice, alice_client):
    channel = make_channel(workspace, Channel.Kind.WORDPRESS, wordpress_site.url,
                           account=wordpress_site.username, secret=wordpress_site.app_password)
    # A draft release that was never sent stays off the page.
    press.press_release_create(workspace=workspace, by=alice, title="Brouillon interne",
                               body="Pas encore.")
    first = send_release(workspace, alice, "Cantines bio : le vœu adopté")
    page = PressPage.objects.get(channel=channel)
    assert page.remote_id and not page.last_error and page.release_count == 1
    remote = wp_get(wordpress_site, f"/wp/v2/pages/{page.remote_id}")
    assert remote["title"]["raw"] == "Communiqués de presse" and remote["status"] == "publish"
    assert remote["slug"] == "communiques-de-presse" and page.remote_url == remote["link"]
    content = remote["content"]["raw"]
    assert "Cantines bio : le vœu adopté" in content and "Brouillon interne" not in content
    pdf = page.media[str(first.code)]
    assert pdf["url"] in content
    media = wp_get(wordpress_site, f"/wp/v2/media/{pdf['id']}")
    assert media["mime_type"] == "application/pdf"
    assert httpx.get(pdf["url"], timeout=30).content.startswith(b"%PDF")

    # A second release: the same page, both listed, the first PDF not uploaded again.
    second = send_release(workspace, alice, "Collège de Wattrelos : nos questions")
    page.refresh_from_db()
    assert page.release_count == 2 and page.media[str(first.code)]["id"] == pdf["id"]
    content = wp_get(wordpress_site, f"/wp/v2/pages/{page.remote_id}")["content"]["raw"]
    assert content.index("Collège de Wattrelos") < content.index("Cantines bio")
    assert page.media[str(second.code)]["url"] in content

    # The button refreshes it again; still one page with that address.
    response = alice_client.post(reverse("publishing:press-page-refresh", args=[workspace.slug]))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.media[str(second.code)]["id"] == PressPage.objects.get().media[
        str(second.code)]["id"]
    same = wp_get(wordpress_site, "/wp/v2/pages", slug="communiques-de-presse",
                  status="publish,draft")
    assert [p["id"] for p in same] == [int(page.remote_id)]
    shown = alice_client.get(reverse("publishing:press-page", args=[workspace.slug]))
    assert page.remote_url in shown.content.decode()

    # The stored id lost: the page is found again by its address, not duplicated.
    PressPage.objects.filter(pk=page.pk).update(remote_id="")
    again = services.press_page_refresh(workspace=workspace)
    assert again.remote_id == page.remote_id


# --- a fake WordPress, for what a real one will not do on demand --------------------------


def _fake_wordpress(fake, pages: dict, *, password_ok=True):
    def route(request):
        path = request.query["rest_route"]
        if not password_ok:
            return 401, {"code": "incorrect_password", "message": "Mot de passe incorrect."}
        if request.method == "POST" and path == "/wp/v2/media":
            media_id = 50 + len([r for r in fake.requests
                                 if r.query.get("rest_route") == "/wp/v2/media"])
            return 201, {"id": media_id, "source_url": f"{fake.url}/wp-content/{media_id}.pdf"}
        if request.method == "GET" and path == "/wp/v2/pages":
            return 200, [{"id": i, **p} for i, p in pages.items()
                         if p.get("slug") == request.query.get("slug")]
        if request.method == "POST" and path == "/wp/v2/pages":
            page_id = 300 + len(pages)
            pages[page_id] = request.json()
            return 201, {"id": page_id, "link": f"{fake.url}/?page_id={page_id}"}
        if request.method == "POST" and path.startswith("/wp/v2/pages/"):
            page_id = int(path.rsplit("/", 1)[1])
            if page_id not in pages:
                return 404, {"code": "rest_post_invalid_id", "message": "ID d’article non valide."}
            pages[page_id].update(request.json())
            return 200, {"id": page_id, "link": f"{fake.url}/?page_id={page_id}"}
        return 404, {"code": "rest_no_route"}

    fake.on("GET", "/", route)
    fake.on("POST", "/", route)


def test_a_page_deleted_on_the_site_is_made_again_and_a_refused_password_is_shown(
        workspace, alice, alice_client, fake):
    pages = {}
    _fake_wordpress(fake, pages)
    make_channel(workspace, Channel.Kind.WORDPRESS, fake.url, account="equipe", secret="pw")
    send_release(workspace, alice, "Budget 2027 : nos amendements")
    page = PressPage.objects.get()
    assert list(pages) == [300] and "Budget 2027" in pages[300]["content"]
    pages.clear()  # deleted on the site
    services.press_page_refresh(workspace=workspace)
    page.refresh_from_db()
    assert page.remote_id == "300" and list(pages) == [300]

    fake.routes.clear()
    _fake_wordpress(fake, pages, password_ok=False)
    with pytest.raises(PublishError):
        services.press_page_refresh(workspace=workspace)
    page.refresh_from_db()
    assert "refusé les identifiants" in page.last_error
    assert PressPage.objects.get().locked_at is None  # the lock is let go
    response = alice_client.post(reverse("publishing:press-page-refresh", args=[workspace.slug]),
                                 follow=True)
    text = response.content.decode()
    assert "n’a pas pu être mise à jour" in text and "Mot de passe incorrect" in text


def test_releases_under_embargo_wait_and_a_workspace_without_website_is_told_so(
        workspace, alice, alice_client, bob_client):
    import datetime

    from django.utils import timezone

    release = send_release(workspace, alice, "Annonce sous embargo")
    press.press_release_update(release=release,
                               embargo_until=timezone.now() + datetime.timedelta(days=2))
    assert services.press_page_releases(workspace) == []
    assert services.press_page_refresh(workspace=workspace) is None
    page = alice_client.get(reverse("publishing:press-page", args=[workspace.slug]))
    assert "Aucun site WordPress n’est configuré" in page.content.decode()
    # Observers see the page but may not refresh it.
    assert bob_client.get(reverse("publishing:press-page", args=[workspace.slug])
                          ).status_code == 200
    assert bob_client.post(reverse("publishing:press-page-refresh", args=[workspace.slug])
                           ).status_code == 403


def test_an_outsider_never_sees_the_press_page(charlie_client, workspace):
    response = charlie_client.get(reverse("publishing:press-page", args=[workspace.slug]))
    assert response.status_code in (403, 404)
