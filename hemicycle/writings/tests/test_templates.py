"""The workspace's document template: letterhead (name, address, logo checked by its
bytes, colours) and signatures, used by the Word and PDF exports of every kind."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from hemicycle.writings import services
from hemicycle.writings.models import Letterhead, Signature, Writing
from hemicycle.writings.tests.test_exports import pdf_text


def settings_url(workspace):
    return reverse("writings:template-settings", args=[workspace.slug])


def url(name, obj):
    return reverse(f"writings:{name}", args=[obj.workspace.slug, obj.code])


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), "#1f6f43").save(buffer, "PNG")
    return buffer.getvalue()


def form(member=None, **extra) -> dict:
    data = {"group_name": "Groupe Écologiste et Citoyen du Nord",
            "address": "Hôtel du Département\n51 rue Gustave Delory\n59047 Lille Cedex",
            "footer": "groupe.ecologiste@example.org · 03 20 00 00 00",
            "primary_color": "#225533", "secondary_color": "#eebb44",
            "signature_name": "Les élu·e·s du groupe écologiste", "signature_title": "",
            "sig-TOTAL_FORMS": "0", "sig-INITIAL_FORMS": "0",
            "sig-MIN_NUM_FORMS": "0", "sig-MAX_NUM_FORMS": "1000"}
    if member is not None:
        data.update({"sig-TOTAL_FORMS": "1", "sig-INITIAL_FORMS": "1", "sig-0-member": member.pk,
                     "sig-0-name": "Nora Benaïssa",
                     "sig-0-title": "Conseillère départementale du canton de Lille-3"})
    data.update(extra)
    return data


def docx_all_text(content: bytes) -> tuple[str, str, int]:
    """(header + footer text, body text, number of pictures in the header)."""
    document = docx.Document(io.BytesIO(content))
    section = document.sections[0]
    header = "\n".join(p.text for p in section.header.paragraphs)
    footer = "\n".join(p.text for p in section.footer.paragraphs)
    body = "\n".join(p.text for p in document.paragraphs)
    pictures = len(section.header.part.related_parts) and sum(
        1 for rel in section.header.part.rels.values() if "image" in rel.reltype)
    return header + "\n" + footer, body, pictures


def test_an_admin_sets_the_letterhead_logo_and_signatures(alice_client, workspace, member):
    page = alice_client.get(settings_url(workspace))
    assert page.status_code == 200 and "Nora Benaïssa" in page.content.decode()
    logo = SimpleUploadedFile("logo.png", png(), content_type="image/png")
    response = alice_client.post(settings_url(workspace), form(member, logo_file=logo))
    assert response.status_code == 302, response.content.decode()[:2000]
    letterhead = Letterhead.objects.get(workspace=workspace)
    assert letterhead.group_name == "Groupe Écologiste et Citoyen du Nord"
    assert bytes(letterhead.logo) == png() and letterhead.logo_type == "image/png"
    signature = Signature.objects.get(member=member)
    assert signature.title == "Conseillère départementale du canton de Lille-3"
    preview = alice_client.get(settings_url(workspace)).content.decode()
    assert "data:image/png;base64," in preview and "51 rue Gustave Delory" in preview


def test_a_logo_that_is_not_an_image_is_refused_whatever_its_name(alice_client, workspace):
    fake = SimpleUploadedFile("logo.png", b"<svg><script>alert(1)</script></svg>",
                              content_type="image/png")
    response = alice_client.post(settings_url(workspace), form(logo_file=fake))
    assert response.status_code == 200
    assert "n’est pas une image PNG ou JPEG lisible" in response.content.decode()
    assert not Letterhead.objects.exists()  # nothing half-written


def test_removing_the_logo(alice_client, workspace):
    services.letterhead_save(workspace=workspace, logo=png())
    alice_client.post(settings_url(workspace), form(remove_logo="on"))
    assert bytes(Letterhead.objects.get().logo) == b""


def test_a_bad_colour_is_refused(alice_client, workspace):
    response = alice_client.post(settings_url(workspace), form(primary_color="vert"))
    assert "Une couleur au format #RRGGBB." in response.content.decode()


@pytest.mark.parametrize("client_name, status", [("sam_client", 403), ("elodie_client", 403),
                                                 ("bob_client", 403), ("charlie_client", 404)])
def test_only_an_admin_opens_or_posts_the_settings(request, workspace, client_name, status):
    client = request.getfixturevalue(client_name)
    assert client.get(settings_url(workspace)).status_code == status
    assert client.post(settings_url(workspace), form()).status_code == status
    assert not Letterhead.objects.exists()


def test_every_kind_exports_with_the_letterhead_and_a_signature(
        sam_client, sam, workspace, report, member):
    services.template_save(
        workspace=workspace, logo=png(),
        letterhead={"group_name": "Groupe Écologiste et Citoyen du Nord",
                    "address": "51 rue Gustave Delory\n59047 Lille Cedex",
                    "footer": "groupe.ecologiste@example.org",
                    "signature_name": "Les élu·e·s du groupe écologiste"},
        signatures=[{"member": member, "name": "Nora Benaïssa",
                     "title": "Conseillère départementale de Lille-3"}])
    for kind in Writing.Kind.values:
        extra = {"report": report, "proposed_text": "95 000 €"} if kind == "amendment" else {}
        if kind == "minutes":
            extra = {"meeting_date": "2024-10-07"}
        speaker = member if kind in ("speech", "oral_question", "amendment") else None
        writing = services.writing_create(workspace=workspace, by=sam, kind=kind,
                                          title=f"Écrit {kind}", body="Texte.",
                                          speaker=speaker, **extra)
        header, body, pictures = docx_all_text(
            sam_client.get(url("writing-docx", writing)).content)
        assert "Groupe Écologiste et Citoyen du Nord" in header, kind
        assert "51 rue Gustave Delory" in header and "groupe.ecologiste@example.org" in header
        assert pictures == 1, kind
        if speaker:
            assert "Nora Benaïssa\nConseillère départementale de Lille-3" in body, kind
        else:
            assert body.rstrip().endswith("Les élu·e·s du groupe écologiste"), kind
        pdf = pdf_text(sam_client.get(url("writing-pdf", writing)).content)
        flat = "".join(pdf.split())
        assert "GroupeÉcologisteetCitoyenduNord" in flat, kind
        assert ("Conseillèredépartementaledelille-3".lower() in flat.lower()) == bool(speaker)


def test_without_a_template_the_exports_use_the_workspace_and_the_speakers_name(
        sam_client, sam, workspace, member):
    writing = services.writing_create(workspace=workspace, by=sam, kind="speech",
                                      title="Intervention", body="Texte.", speaker=member)
    header, body, pictures = docx_all_text(sam_client.get(url("writing-docx", writing)).content)
    assert workspace.name in header and pictures == 0
    assert body.rstrip().endswith("Nora Benaïssa")


def test_the_sample_documents_render(alice_client, workspace):
    services.letterhead_save(workspace=workspace, logo=png(), group_name="Groupe test",
                             signature_name="La présidente du groupe")
    docx_response = alice_client.get(reverse("writings:template-sample-docx",
                                             args=[workspace.slug]))
    header, body, pictures = docx_all_text(docx_response.content)
    assert "Groupe test" in header and pictures == 1 and "La présidente du groupe" in body
    pdf = alice_client.get(reverse("writings:template-sample-pdf", args=[workspace.slug]))
    assert pdf.content.startswith(b"%PDF") and "Groupetest" in "".join(
        pdf_text(pdf.content).split())
