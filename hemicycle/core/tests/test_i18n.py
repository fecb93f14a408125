"""The interface is written in French; the English catalog must follow every string."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

PACKAGE = Path(__file__).resolve().parents[2]
CATALOG = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"


def read_entries(path: Path) -> dict[str, tuple[str, bool]]:
    """msgid → (msgstr, fuzzy) for a .po file (plural forms keyed by msgid)."""
    entries, text = {}, path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        fuzzy = "#, fuzzy" in block
        msgid = _joined(block, "msgid")
        msgstr = _joined(block, "msgstr") or _joined(block, r"msgstr\[0\]")
        if msgid:
            entries[msgid] = (msgstr, fuzzy)
    return entries


def _joined(block: str, key: str) -> str:
    match = re.search(rf'^{key} ((?:".*"\n?)+)', block, re.MULTILINE)
    if not match:
        return ""
    return "".join(re.findall(r'"(.*)"', match.group(1)))


def test_every_string_of_the_english_catalog_is_translated():
    missing = [msgid for msgid, (msgstr, fuzzy) in read_entries(CATALOG).items()
               if not msgstr or fuzzy]
    assert not missing, f"untranslated or fuzzy in {CATALOG}: {missing[:20]}"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext is not installed")
def test_the_english_catalog_has_every_string_of_the_code(tmp_path):
    before = CATALOG.read_bytes()
    try:
        subprocess.run(
            [sys.executable, "-m", "hemicycle", "makemessages", "-l", "en", "--no-location",
             "--no-obsolete"], cwd=PACKAGE, check=True, capture_output=True,
        )
        after = read_entries(CATALOG)
    finally:
        CATALOG.write_bytes(before)
    known = read_entries(CATALOG)
    new = sorted(set(after) - set(known))
    assert not new, f"run `make messages` and translate: {new[:20]}"


def test_the_interface_speaks_english_when_asked(db):
    client = Client(headers={"accept-language": "en"})
    client.cookies["django_language"] = "en"
    page = client.get("/compte/connexion/")
    assert "Log in" in page.content.decode()
    french = Client().get("/compte/connexion/")
    assert "Se connecter" in french.content.decode()


def test_the_interface_is_french_whatever_the_browser_says(db):
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    assert "Se connecter" in client.get("/compte/connexion/").content.decode()


def test_the_footer_switch_chooses_english(db):
    client = Client()
    client.post("/langue/", {"language": "en", "next": "/compte/connexion/"})
    assert "Log in" in client.get("/compte/connexion/").content.decode()
