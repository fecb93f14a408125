import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hemicycle.audit.models import AuditEvent


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "#1f6f43").save(buffer, "PNG")
    return buffer.getvalue()


def settings_form(**extra):
    return {"name": "Groupe renommé", "short_name": "Renommé",
            "primary_color": "#112233", "secondary_color": "#445566", **extra}


def test_an_admin_renames_the_workspace_and_sets_a_logo(alice_client, workspace, tmp_path,
                                                        settings):
    settings.MEDIA_ROOT = tmp_path
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    response = alice_client.post(f"/w/{workspace.slug}/parametres/", settings_form(logo=logo))
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert workspace.name == "Groupe renommé"
    assert alice_client.get(f"/w/{workspace.slug}/logo/").status_code == 200
    event = AuditEvent.objects.filter(workspace=workspace, action="update").latest("at")
    assert event.changes["name"] == ["Groupe écologiste du Nord", "Groupe renommé"]


def test_a_fake_image_is_refused(alice_client, workspace):
    fake = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", content_type="image/png")
    response = alice_client.post(f"/w/{workspace.slug}/parametres/", settings_form(logo=fake))
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_a_bad_colour_is_refused(alice_client, workspace):
    response = alice_client.post(f"/w/{workspace.slug}/parametres/",
                                 settings_form(primary_color="red;}</style>"))
    assert response.status_code == 200
    workspace.refresh_from_db()
    assert workspace.primary_color == "#1f6f43"


def test_only_admins_open_the_settings(sam_client, bob_client, charlie_client, workspace):
    assert sam_client.get(f"/w/{workspace.slug}/parametres/").status_code == 403
    assert bob_client.get(f"/w/{workspace.slug}/parametres/").status_code == 403
    assert charlie_client.get(f"/w/{workspace.slug}/parametres/").status_code == 404


def test_the_django_admin_is_for_superusers_only(alice_client, alice):
    assert alice_client.get("/admin/").status_code == 302
    alice.is_superuser = alice.is_staff = True
    alice.save()
    assert alice_client.get("/admin/").status_code == 200
