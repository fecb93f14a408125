import io

import docx
import pypdfium2
from django.urls import reverse

from hemicycle.council.models import Vote
from hemicycle.writings import services


def url(name, obj):
    return reverse(f"writings:{name}", args=[obj.workspace.slug, obj.code])


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    parts += [p.text for p in document.sections[0].header.paragraphs]
    return "\n".join(parts)


def pdf_text(content: bytes) -> str:
    pdf = pypdfium2.PdfDocument(content)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def test_an_amendment_exports_to_word_with_the_letterhead_and_the_diff(sam_client, sam, report):
    writing = services.writing_create(
        workspace=report.workspace, by=sam, kind="amendment", title="Amendement n° 1 — AIL",
        report=report, original_text="une enveloppe de 87 458 €",
        proposed_text="une enveloppe de 95 000 €", body="Exposé des motifs : **hausse**.")
    response = sam_client.get(url("writing-docx", writing))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="amendement-n-1-ail.docx"'
    text = docx_text(response.content)
    assert "Groupe écologiste du Nord" in text  # the header
    assert "Amendement n° 1 — AIL" in text
    assert "Texte proposé" in text and "une enveloppe de 95 000 €" in text
    assert "hausse" in text
    document = docx.Document(io.BytesIO(response.content))
    struck = [run.text for p in document.paragraphs for run in p.runs if run.font.strike]
    assert "87 458" in "".join(struck)


def test_a_speech_exports_to_pdf(sam_client, sam, report, member):
    writing = services.writing_create(
        workspace=report.workspace, by=sam, kind="speech", title="Intervention sur les AIL",
        report=report, speaker=member, body="Madame la Présidente, chers collègues.")
    response = sam_client.get(url("writing-pdf", writing))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="intervention-sur-les-ail.pdf"')
    text = pdf_text(response.content)
    assert "Intervention sur les AIL" in text
    assert "Madame la Présidente" in text
    assert "Nora Benaïssa" in text
    assert "Groupe écologiste du Nord" in text


def test_a_note_exports_to_word_and_pdf_with_its_table(sam_client, sam, report):
    note = services.note_save(report=report, by=sam, body=services.note_prefill(report),
                              status="ready")
    word = sam_client.get(url("note-docx", note))
    assert word.status_code == 200
    assert "Collectif Vélo Lille" in docx_text(word.content)
    pdf = sam_client.get(url("note-pdf", note))
    assert "Chiffres clés" in pdf_text(pdf.content)


def test_the_vote_sheet_exports_with_every_report(alice_client, alice, sitting, report):
    services.position_decide(report=report, by=alice, vote=Vote.AGAINST)
    pdf = alice_client.get(url("vote-sheet-pdf", sitting))
    assert pdf.status_code == 200
    assert pdf["Content-Disposition"].startswith('attachment; filename="feuille-de-vote-')
    text = pdf_text(pdf.content)
    assert "DAT/2024/112" in "".join(text.split())  # a narrow column may wrap it
    assert "Contre" in text
    word = alice_client.get(url("vote-sheet-docx", sitting))
    assert "Contre" in docx_text(word.content)


def test_an_outsider_cannot_export(charlie_client, sitting):
    assert charlie_client.get(url("vote-sheet-pdf", sitting)).status_code == 404
