import pyotp
import pytest
from django.test import override_settings

from hemicycle.accounts import services
from hemicycle.conftest import PASSWORD


def post_login(client, email, password, **extra):
    return client.post("/compte/connexion/", {"email": email, "password": password, **extra})


def test_a_user_logs_in_by_email_case_insensitively(client, alice, workspace):
    response = post_login(client, "Alice@Example.org", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").url == f"/w/{workspace.slug}/"


def test_a_wrong_password_is_refused_with_a_message(client, alice):
    response = post_login(client, alice.email, "nope")
    assert response.status_code == 200
    assert "E-mail ou mot de passe incorrect" in response.content.decode()


@override_settings(LOGIN_MAX_FAILURES=3)
def test_logins_are_rate_limited_after_repeated_failures(client, alice):
    for _ in range(3):
        post_login(client, alice.email, "nope")
    response = post_login(client, alice.email, PASSWORD)
    assert response.status_code == 200
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_clears_the_failures(client, alice):
    post_login(client, alice.email, "nope")
    post_login(client, alice.email, PASSWORD)
    assert not services.login_is_blocked(email=alice.email, ip="127.0.0.1")


def test_the_next_parameter_cannot_redirect_off_site(client, alice):
    response = post_login(client, alice.email, PASSWORD, next="https://evil.example/")
    assert response.url == "/"


def test_logout_needs_a_post(alice_client):
    assert alice_client.get("/compte/deconnexion/").status_code == 405
    assert alice_client.post("/compte/deconnexion/").status_code == 302
    assert alice_client.get("/compte/profil/").status_code == 302


@pytest.fixture
def alice_with_totp(alice):
    services.totp_start(user=alice)
    assert services.totp_confirm(user=alice, code=pyotp.TOTP(alice.totp_secret).now())
    return alice


def test_two_factor_asks_for_a_code_after_the_password(client, alice_with_totp, workspace):
    response = post_login(client, alice_with_totp.email, PASSWORD)
    assert response.url.startswith("/compte/connexion/code/")
    assert "_auth_user_id" not in client.session
    bad = client.post("/compte/connexion/code/", {"code": "000000"})
    assert "Code incorrect" in bad.content.decode()
    code = pyotp.TOTP(alice_with_totp.totp_secret).now()
    good = client.post("/compte/connexion/code/", {"code": code})
    assert good.status_code == 302
    assert client.get(f"/w/{workspace.slug}/").status_code == 200


def test_two_factor_setup_needs_a_valid_code_to_activate(alice_client, alice):
    page = alice_client.get("/compte/double-authentification/")
    assert "<svg" in page.content.decode()  # the QR code
    alice.refresh_from_db()
    assert alice_client.post("/compte/double-authentification/", {"code": "123"}).status_code == 200
    alice.refresh_from_db()
    assert not alice.has_totp
    code = pyotp.TOTP(alice.totp_secret).now()
    alice_client.post("/compte/double-authentification/", {"code": code})
    alice.refresh_from_db()
    assert alice.has_totp


def test_the_code_page_without_a_pending_login_goes_back_to_login(client, db):
    assert client.get("/compte/connexion/code/").url == "/compte/connexion/"


def test_profile_changes_name_and_language(alice_client, alice):
    response = alice_client.post("/compte/profil/", {
        "profile-full_name": "Alice Nouvelle", "profile-language": "en"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.full_name, alice.language) == ("Alice Nouvelle", "en")
