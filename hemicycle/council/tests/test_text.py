"""Text extraction: real PDFs, their artefacts, other formats, OCR, and bad files."""

import io
import json
import os
import zipfile
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from hemicycle.council import text

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def lannion() -> text.Document:
    return text.extract(DATA / "pv_cm_lannion_2021-07-05.pdf", ocr="never")


def test_it_reads_the_51_pages_of_the_lannion_minutes(lannion):
    assert lannion.kind == "pdf"
    assert lannion.page_count == 51
    assert lannion.text.count("ADOPTÉ À L'UNANIMITÉ") >= 20
    assert "Monsieur Yvon BRIAND expose :" in lannion.pages[2]
    assert lannion.flags == []


def test_running_footers_are_removed(lannion):
    # "Ville de Lannion Conseil Municipal du 5 juillet 2021 <page>" closes every page
    assert "Conseil Municipal du 5 juillet 2021" not in lannion.text


def test_scanned_annexes_are_listed_not_silently_empty(lannion):
    # Pages 4 to 8 are the scanned convention with the URHAJ: an image and a footer.
    assert lannion.textless_pages[:5] == [4, 5, 6, 7, 8]
    assert lannion.warnings == ["Pages numérisées sans texte : 4 à 8, 17, 23, 30 à 33, 35, 50."]


def test_pdfium_soft_hyphen_becomes_a_clean_anne_marie():
    document = text.extract(DATA / "couthenans_CR_reunion_20220121.pdf")
    assert "\ufffe" not in document.text
    assert "Anne-Marie MUNINGER" in document.text


@pytest.mark.parametrize("name, pages", [
    ("couthenans_CR_conseil_municipal_07_10_2022.pdf", 2),
    ("couthenans_CR_conseil_municipal_24_02_2023.pdf", 3),
    ("couthenans_CR_reunion_20210604.pdf", 6),
    ("couthenans_CR_reunion_20211126.pdf", 2),
    ("couthenans_CR_reunion_20220121.pdf", 2),
])
def test_it_reads_the_couthenans_minutes(name, pages):
    document = text.extract(DATA / name)
    assert document.page_count == pages
    assert "Présents" in document.pages[0]
    assert "\r" not in document.text and "  " not in document.text
    assert not document.warnings


def test_page_numbers_are_removed_as_furniture():
    document = text.extract(DATA / "couthenans_CR_reunion_20210604.pdf")
    assert "Page 2/6" not in document.text


def test_a_word_broken_at_a_line_end_is_joined_and_its_line_kept():
    cleaned = text.clean_text("les collec-\ntivités territoriales et la com-\nmune.")
    assert cleaned == "les collectivités\nterritoriales et la commune."


def test_a_hyphen_of_a_compound_word_is_kept():
    assert text.clean_text("Anne-\nMarie et Jean-\nPierre") == "Anne-Marie\net Jean-Pierre"
    assert text.clean_text("le vice-\nprésident") == "le vice-président"
    # the document itself says "porte-parole", never "porteparole"
    assert text.clean_text("le porte-parole et le porte-\nparole") == (
        "le porte-parole et le porte-parole")


def test_artefacts_of_pdf_text_are_cleaned():
    raw = "Prix\u00a0: 87\u202f458\u00a0€\r\n\uf0b7 \ufb01nancement  \u00adpublic\u200b\x07 "
    assert text.clean_text(raw) == "Prix : 87 458 €\n• financement public"


BODY = ["Le Département soutient les collèges.", "La commune de Cassel a sollicité une aide.",
        "Les travaux débuteront au printemps.", "Le comité de pilotage s'est réuni.",
        "La convention est conclue pour trois ans."]


def test_headers_repeated_on_every_page_go_but_report_numbers_and_votes_stay():
    pages = [f"Conseil départemental du Nord – séance du 16/12/2024\nRAPPORT N° DAT/2024/{n}\n"
             f"{BODY[n]}\n{BODY[n - 1]}\nADOPTÉ À L'UNANIMITÉ\n{n + 1}" for n in range(5)]
    cleaned = text.clean_pages(pages)
    assert cleaned[2] == ("RAPPORT N° DAT/2024/2\nLes travaux débuteront au printemps.\n"
                          "La commune de Cassel a sollicité une aide.\nADOPTÉ À L'UNANIMITÉ")


def docx_bytes() -> bytes:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_heading("Rapport n° DCULT/2024/12", level=1)
    document.add_paragraph("Objet : soutien aux festivals de l'été 2025.")
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, [("Bénéficiaire", "Commune", "Montant"),
                                        ("Festival Les Nuits Secrètes", "Aulnoye-Aymeries",
                                         "45 000 €")], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("Il est proposé d'approuver ces subventions.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_it_reads_a_docx_with_its_tables_and_page_breaks():
    document = text.extract(docx_bytes(), filename="rapport.docx")
    assert document.kind == "docx"
    assert document.page_count == 2
    assert document.pages[0].split("\n") == [
        "Rapport n° DCULT/2024/12", "Objet : soutien aux festivals de l'été 2025.",
        "Bénéficiaire\tCommune\tMontant", "Festival Les Nuits Secrètes\tAulnoye-Aymeries\t45 000 €"]
    assert document.pages[1] == "Il est proposé d'approuver ces subventions."


ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content
 xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3">
<office:body><office:text>
<text:h text:outline-level="1">Délibération n° 2025-07</text:h>
<text:p>Le conseil<text:s text:c="3"/>attribue<text:tab/>5 000 euros<text:line-break/>à la
 commune de <text:span>Mons-en-Barœul</text:span>.</text:p>
<text:list><text:list-item><text:p>premier point</text:p></text:list-item></text:list>
<table:table><table:table-row><table:table-cell><text:p>ASSPEC</text:p></table:table-cell>
<table:table-cell><text:p>600 €</text:p></table:table-cell></table:table-row></table:table>
<text:p><text:soft-page-break/>Page suivante.</text:p>
</office:text></office:body></office:document-content>"""


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", ODT_CONTENT)
    return out.getvalue()


def test_it_reads_an_odt_with_its_lists_tables_and_page_breaks():
    document = text.extract(odt_bytes(), filename="deliberation.odt")
    assert document.kind == "odt"
    assert document.pages[0].split("\n") == [
        "Délibération n° 2025-07", "Le conseil attribue\t5 000 euros",
        "à la commune de Mons-en-Barœul.", "premier point", "ASSPEC\t600 €"]
    assert document.pages[1] == "Page suivante."


def test_it_reads_the_visible_text_of_an_html_page():
    html = ("<!DOCTYPE html><html><head><meta charset=\"windows-1252\"><title>t</title>"
            "<script>var x = 1;</script></head><body><h1>Conseil municipal</h1>"
            "<p>Subvention de 1&nbsp;200&nbsp;&euro; &agrave; l'association.</p>"
            "<table><tr><td>ACCA</td><td>60 €</td></tr></table></body></html>")
    document = text.extract(html.encode("cp1252"), filename="seance.html")
    assert document.kind == "html"
    assert document.text == ("Conseil municipal\nSubvention de 1 200 € à l'association.\n"
                             "ACCA\t60 €")


@pytest.mark.parametrize("data", [
    "Procès-verbal de la séance\fPage deux".encode("cp1252"),
    b"\xef\xbb\xbf" + "Procès-verbal de la séance\fPage deux".encode(),
    "Procès-verbal de la séance\fPage deux".encode("utf-16"),
])
def test_it_reads_plain_text_in_any_usual_encoding(data):
    document = text.extract(data, filename="pv.txt")
    assert document.pages == ["Procès-verbal de la séance", "Page deux"]


def scanned_pdf() -> bytes:
    """The first page of a report of the département's bundle, as an image-only PDF."""
    truth = json.loads((DATA / "departement_nord_bundle.json").read_text(encoding="utf-8"))
    pdf = pdfium.PdfDocument(DATA / "departement_nord_bundle.pdf")
    image = pdf[truth["reports"][1]["page"] - 1].render(scale=200 / 72).to_pil().convert("L")
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=200)
    return out.getvalue()


def test_a_scanned_page_is_read_by_ocr_in_french():
    if not text.ocr_available():
        if os.environ.get("CI") == "true":
            pytest.fail("OCR must run in CI: scripts/test-prerequisites installs "
                        "tesseract-ocr-fra")
        pytest.skip("Tesseract with French (tesseract-ocr-fra) is not installed here")
    document = text.extract(scanned_pdf(), filename="scan.pdf")
    assert document.ocr_pages == [1]
    assert document.flags == [] and document.textless_pages == []
    words = document.text
    for expected in ("RAPPORT", "DIRECTION", "Commission", "Conseil départemental"):
        assert expected in words


def test_a_scan_without_ocr_is_flagged_scan_no_text(monkeypatch):
    monkeypatch.setattr(text, "ocr_available", lambda: False)
    document = text.extract(scanned_pdf(), filename="scan.pdf")
    assert document.flags == [text.SCAN_NO_TEXT] == ["scan: no text"]
    assert document.textless_pages == [1]
    assert document.is_empty
    assert any("OCR" in warning for warning in document.warnings)


def encrypted_pdf() -> bytes:
    with pikepdf.open(DATA / "couthenans_CR_reunion_20220121.pdf") as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    return out.getvalue()


def test_an_encrypted_pdf_gives_a_clear_error():
    with pytest.raises(text.ExtractionError) as error:
        text.extract(encrypted_pdf(), filename="cr.pdf")
    assert str(error.value) == "PDF chiffré : impossible d'en lire le texte"
    assert error.value.code == "encrypted"


def test_an_encrypted_pdf_opens_with_its_password():
    document = text.extract(encrypted_pdf(), filename="cr.pdf", password="secret")
    assert "Anne-Marie MUNINGER" in document.text


def test_a_corrupted_pdf_gives_a_clear_error():
    data = (DATA / "couthenans_CR_reunion_20220121.pdf").read_bytes()
    broken = data[:20] + bytes(len(data) - 20)  # the header, then zeros
    with pytest.raises(text.ExtractionError) as error:
        text.extract(broken, filename="cr.pdf")
    assert str(error.value) == "PDF endommagé : impossible de l'ouvrir"
    assert error.value.code == "corrupted"


def test_a_zero_byte_file_gives_a_clear_error(tmp_path):
    empty = tmp_path / "vide.pdf"
    empty.write_bytes(b"")
    with pytest.raises(text.ExtractionError, match="^fichier vide$"):
        text.extract(empty)


def test_a_mislabelled_file_names_its_real_type():
    with pytest.raises(text.ExtractionError) as error:
        text.extract(docx_bytes(), filename="rapport.pdf")
    assert str(error.value) == (
        "ce fichier n'est pas un PDF valide (type détecté : document Word (DOCX))")
    assert error.value.code == "mislabelled"
    with pytest.raises(text.ExtractionError, match=r"n'est pas un document Word \(DOCX\) "
                                                   r"valide \(type détecté : PDF\)"):
        text.extract(encrypted_pdf(), filename="rapport.docx")


def test_the_type_comes_from_the_bytes_not_the_extension():
    document = text.extract(DATA / "couthenans_CR_reunion_20220121.pdf", filename="piece.bin")
    assert document.kind == "pdf"
    assert text.sniff(odt_bytes()) == "odt"
    assert text.sniff(b"<html><body>x</body></html>") == "html"


def test_an_image_or_an_old_word_file_is_refused_with_its_type():
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    with pytest.raises(text.ExtractionError, match=r"type détecté : image PNG"):
        text.extract(png, filename="scan.png")
    with pytest.raises(text.ExtractionError, match="ancien format") as error:
        text.extract(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), filename="cr.doc")
    assert error.value.code == "unsupported"


@pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2,
                    reason="one process here")
def test_a_long_pdf_read_by_two_processes_gives_the_pages_one_process_reads(lannion, forks,
                                                                             monkeypatch):
    assert lannion.page_count >= text.PARALLEL_MIN_PAGES  # read by two processes
    monkeypatch.setattr(text, "PARALLEL_MIN_PAGES", 10**9)
    alone = text.extract(DATA / "pv_cm_lannion_2021-07-05.pdf", ocr="never")
    assert forks == []
    monkeypatch.setattr(text, "PARALLEL_MIN_PAGES", 2)
    shared = text.extract(DATA / "pv_cm_lannion_2021-07-05.pdf", ocr="never")
    assert len(forks) == 1
    assert shared.pages == alone.pages == lannion.pages
    assert shared.textless_pages == alone.textless_pages


@pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2,
                    reason="one process here")
def test_a_pdf_whose_pages_kill_the_second_process_gives_a_clear_error(monkeypatch):
    parent, read = os.getpid(), text._page_text

    def crashing(page):
        if os.getpid() != parent:
            os._exit(11)  # as PDFium dies on a hostile page
        return read(page)

    monkeypatch.setattr(text, "_page_text", crashing)
    monkeypatch.setattr(text, "PARALLEL_MIN_PAGES", 2)
    with pytest.raises(text.ExtractionError, match="PDF endommagé") as error:
        text.extract(DATA / "pv_cm_lannion_2021-07-05.pdf", ocr="never")
    assert error.value.code == "corrupted"


def test_the_closing_line_of_one_page_reports_is_text_not_a_footer():
    pages = [f"Département du Nord – Commission permanente\nRAPPORT N° DVD/2027/{n}\n"
             f"OBJET : Véloroute, tranche {n}\nLe montant s'élève à {n} 000 €.\n"
             f"Il est proposé à la Commission permanente :\n"
             f"- d'approuver le rapport {'ABCDE'[n]} ;\nPage {n + 1}/5" for n in range(5)]
    cleaned = text.clean_pages(pages)
    assert all("Il est proposé à la Commission permanente :" in page for page in cleaned)
    assert not any("Page" in page or "Département du Nord" in page for page in cleaned)
