"""The WordPress test harness itself: a real WordPress takes posts, media and updates
through its REST API with an application password, as the publishing channel will."""

import io
import os
import secrets
import signal
import subprocess
import sys

import httpx
import pytest
from PIL import Image

from hemicycle.publishing.tests import wordpress_server
from hemicycle.publishing.tests.wordpress_server import WordPressServer, sweep_stale_runs

wordpress_site = wordpress_server.wordpress_site  # the fixture, for this module alone


def unique(text: str) -> str:
    return f"{text} {secrets.token_hex(4)}"


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def client(wordpress_site):
    with httpx.Client(auth=wordpress_site.auth, timeout=30) as client:
        yield client


def test_a_post_created_with_the_application_password_is_published(wordpress_site, client):
    title = unique("Budget départemental : nos amendements")
    response = client.post(
        wordpress_site.api_url("/wp/v2/posts"),
        json={"title": title, "content": "<p>Le groupe a déposé 12 amendements.</p>",
              "status": "publish"},
    )  # fmt: skip

    assert response.status_code == 201, response.text
    post = response.json()
    assert post["status"] == "publish"
    # Anyone can read it, without credentials.
    public = httpx.get(wordpress_site.api_url(f"/wp/v2/posts/{post['id']}"), timeout=30)
    assert public.status_code == 200
    assert public.json()["title"]["rendered"] == title
    assert "12 amendements" in public.json()["content"]["rendered"]


def test_a_post_is_refused_without_or_with_a_wrong_application_password(wordpress_site):
    url = wordpress_site.api_url("/wp/v2/posts")
    wrong_auth = (wordpress_site.username, "abcd efgh ijkl mnop qrst uvwx")
    anonymous = httpx.post(url, json={"title": "Intrus"}, timeout=30)
    wrong = httpx.post(url, json={"title": "Intrus"}, auth=wrong_auth, timeout=30)

    assert anonymous.status_code == 401
    assert wrong.status_code == 401
    # Checking credentials is asking who we are. With plain permalinks WordPress 6.1 does
    # not say "incorrect_password": a wrong application password is just not logged in.
    me = wordpress_site.api_url("/wp/v2/users/me")
    assert httpx.get(me, auth=wrong_auth, timeout=30).json()["code"] == "rest_not_logged_in"
    assert httpx.get(me, auth=wordpress_site.auth, timeout=30).json()["slug"] == "admin"


def test_a_png_uploaded_to_the_media_library_is_served_and_can_illustrate_a_post(
    wordpress_site, client
):
    image = png_bytes()
    response = client.post(
        wordpress_site.api_url("/wp/v2/media"),
        content=image,
        headers={
            "Content-Type": "image/png",
            "Content-Disposition": 'attachment; filename="citation-lille.png"',
        },
    )

    assert response.status_code == 201, response.text
    media = response.json()
    assert media["mime_type"] == "image/png"
    assert (media["media_details"]["width"], media["media_details"]["height"]) == (40, 30)
    served = httpx.get(media["source_url"], timeout=30)
    assert served.status_code == 200
    assert served.content == image

    described = client.post(
        wordpress_site.api_url(f"/wp/v2/media/{media['id']}"),
        json={"alt_text": "Citation de l'élue sur fond vert"},
    )
    assert described.json()["alt_text"] == "Citation de l'élue sur fond vert"
    post = client.post(
        wordpress_site.api_url("/wp/v2/posts"),
        json={"title": unique("Citation"), "status": "draft", "featured_media": media["id"]},
    )
    assert post.status_code == 201
    assert post.json()["featured_media"] == media["id"]


def test_updating_a_post_by_its_id_keeps_a_single_post(wordpress_site, client):
    marker = secrets.token_hex(6)
    created = client.post(
        wordpress_site.api_url("/wp/v2/posts"),
        json={"title": f"Compte rendu {marker}", "content": "Première version",
              "status": "draft"},
    )  # fmt: skip
    post_id = created.json()["id"]

    updated = client.post(
        wordpress_site.api_url(f"/wp/v2/posts/{post_id}"),
        json={"title": f"Compte rendu {marker} (corrigé)", "content": "Seconde version",
              "status": "publish"},
    )  # fmt: skip

    assert updated.status_code == 200, updated.text
    assert updated.json()["id"] == post_id
    found = client.get(
        wordpress_site.api_url("/wp/v2/posts", search=marker, status="publish,draft")
    )
    assert [post["id"] for post in found.json()] == [post_id]
    assert found.json()[0]["title"]["rendered"] == f"Compte rendu {marker} (corrigé)"
    assert "Seconde version" in found.json()[0]["content"]["rendered"]


def test_a_second_site_runs_beside_the_first_and_leaves_nothing_once_stopped(wordpress_site):
    server = WordPressServer()
    try:
        site = server.start()
        run_dir, config_file = server.run_dir, server.config_file
        groups = [process.pid for process, _signal in server.processes]
        assert site.url != wordpress_site.url
        assert httpx.get(site.api_url("/wp/v2/posts"), timeout=30).status_code == 200
    finally:
        server.stop()

    assert not run_dir.exists()
    assert not config_file.exists()
    for group in groups:
        with pytest.raises(ProcessLookupError):
            os.killpg(group, 0)
    # The session's site still answers.
    assert httpx.get(wordpress_site.api_url("/wp/v2/posts"), timeout=30).status_code == 200


def test_what_a_run_killed_outright_left_behind_is_swept_by_the_next(wordpress_site):
    # with-wordpress without a command: prints the site's variables, then waits.
    owner = subprocess.Popen(
        [sys.executable, "-m", "hemicycle.publishing.tests.wordpress_server"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    variables = {}
    for line in owner.stdout:
        key, _, value = line.strip().partition("=")
        variables[key] = value
        if key == "WORDPRESS_APP_PASSWORD":
            break
    url = variables["WORDPRESS_URL"]
    assert httpx.get(url, params={"rest_route": "/wp/v2/posts"}, timeout=30).status_code == 200
    run_dirs = [
        path.parent
        for base in wordpress_server.run_bases()
        for path in base.glob("hemicycle-wp-*/owner.pid")
        if path.read_text() == str(owner.pid)
    ]
    assert len(run_dirs) == 1

    owner.send_signal(signal.SIGKILL)  # no clean-up of its own
    owner.wait()
    owner.stdout.close()
    assert httpx.get(url, params={"rest_route": "/wp/v2/posts"}, timeout=30).status_code == 200
    sweep_stale_runs()

    assert not run_dirs[0].exists()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, timeout=5)
    # The session's site, whose owner is alive, is left alone.
    assert httpx.get(wordpress_site.api_url("/wp/v2/posts"), timeout=30).status_code == 200
