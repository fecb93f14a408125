"""Readers of actor files: the RNA (Répertoire national des associations) and any
CSV / XLSX spreadsheet. Pure Python, no Django.

Every reader streams: it yields one row at a time with the number of bytes read so far
(for a progress bar) and never holds the file in memory. The RNA "waldec" export is
one `;`-separated CSV per département, monthly; older ones are Latin-1 / Windows-1252,
newer ones UTF-8 (with or without BOM): the encoding is detected from the first 64 kB.
"""

import csv
import datetime
import io
import operator
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

SNIFF_BYTES = 64 * 1024

# RNA columns → our field names (the file has ~40; these are the ones we use).
RNA_FIELDS = {
    "id": "rna_id", "siret": "siret", "titre": "name", "objet": "description",
    "adrs_codeinsee": "insee_code", "adrs_codepostal": "postal_code",
    "adrs_libcommune": "city", "siteweb": "website", "date_creat": "created_on",
    "date_disso": "dissolved_on", "position": "position",
}
STREET_PARTS = ("adrs_numvoie", "adrs_repetition", "adrs_typevoie", "adrs_libvoie")
# RNA street types, abbreviated in the file.
STREET_TYPES = {"RUE": "rue", "AV": "avenue", "BD": "boulevard", "PL": "place",
                "CHE": "chemin", "IMP": "impasse", "ALL": "allée", "RTE": "route",
                "QUAI": "quai", "SQ": "square", "CRS": "cours", "PASS": "passage"}


class UnreadableFile(Exception):
    """Not a file we can read (binary, empty, no header)."""


@dataclass
class Row:
    line: int  # 1-based line in the file (the header is line 1)
    values: dict[str, str]
    bytes_read: int


def detect_encoding(head: bytes) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if error.start > len(head) - 4:  # a character cut by the sniffing window
            return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is None:
        raise UnreadableFile("binary")
    # charset_normalizer hesitates between Latin encodings on French text; cp1252 is
    # the superset of Latin-1 that Windows exports use (œ, €, ’).
    return "cp1252" if best.encoding in ("latin_1", "iso8859_15", "cp1250") else best.encoding


class _Counter(io.RawIOBase):
    """Counts the bytes read through it, for the progress bar."""

    def __init__(self, raw: BinaryIO):
        self.raw, self.count = raw, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


# The RNA columns rna_record() reads: the other ~25 are never put in a row's dict.
RNA_COLUMNS = (*RNA_FIELDS, *STREET_PARTS)


def read_csv(raw: BinaryIO, delimiter: str | None = None,
             columns: tuple[str, ...] | None = None) -> tuple[list[str], Iterator[Row]]:
    """(header, rows) of a CSV file, streamed. The delimiter is sniffed when not given;
    ``columns``, when given, are the only ones kept in each row's values."""
    head = raw.read(SNIFF_BYTES)
    if not head.strip():
        raise UnreadableFile("empty")
    if b"\x00" in head:
        raise UnreadableFile("binary")
    encoding = detect_encoding(head)
    raw.seek(0)
    counter = _Counter(raw)
    text = io.TextIOWrapper(io.BufferedReader(counter, 256 * 1024), encoding=encoding,
                            errors="replace", newline="")
    first_line = head.decode(encoding, errors="replace").lstrip("\ufeff").split("\n", 1)[0]
    if delimiter is None:
        delimiter = max(";,\t|", key=first_line.count)
    reader = csv.reader(text, delimiter=delimiter)
    header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
    if not any(header):
        raise UnreadableFile("no header")

    if columns is None:
        names, pick = header, None
    else:
        wanted = [(i, name) for i, name in enumerate(header) if name in columns]
        names = [name for _i, name in wanted]
        pick = operator.itemgetter(*[i for i, _name in wanted]) if len(wanted) > 1 else None
        if len(wanted) < 2:  # a file with one useful column: no speed to gain
            names, pick = header, None
    width = len(header)

    def rows() -> Iterator[Row]:
        for number, cells in enumerate(reader, start=2):
            if not any(cells):
                continue
            if pick is not None:
                if len(cells) < width:
                    cells += [""] * (width - len(cells))
                cells = pick(cells)
            yield Row(number, dict(zip(names, map(str.strip, cells), strict=False)),
                      counter.count)

    return header, rows()


def read_xlsx(path: str) -> tuple[list[str], Iterator[Row]]:
    """(header, rows) of the first sheet of a workbook, read-only (streamed)."""
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise UnreadableFile(str(error)) from error
    sheet = book.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(cells, ())]
    if not any(header):
        raise UnreadableFile("no header")
    total = sheet.max_row or 1

    def rows() -> Iterator[Row]:
        for number, values in enumerate(cells, start=2):
            if not any(v not in (None, "") for v in values):
                continue
            yield Row(number, {h: _cell(v) for h, v in zip(header, values, strict=False)},
                      number * 100 // total)
        book.close()

    return header, rows()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_date(value: str) -> datetime.date | None:
    """ "2019-03-12", "12/03/2019"; the RNA's "0001-01-01" means none."""
    value = (value or "").strip()
    if len(value) >= 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit():
        try:  # the RNA's ISO dates: much faster than strptime
            day = datetime.date(int(value[:4]), int(value[5:7]), int(value[8:10]))
        except ValueError:
            return None
        return day if day.year > 1800 else None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.datetime.strptime(value[:10], fmt).date()
        except ValueError:
            continue
        return day if day.year > 1800 else None
    return None


def rna_record(values: dict[str, str]) -> dict:
    """One RNA row as our fields; ``dissolved`` when the position says so or a
    dissolution date is given."""
    record = {ours: values.get(theirs, "") for theirs, ours in RNA_FIELDS.items()}
    kind = STREET_TYPES.get(values.get("adrs_typevoie", "").upper(),
                            values.get("adrs_typevoie", "").lower())
    parts = [values.get("adrs_numvoie", ""), values.get("adrs_repetition", ""), kind,
             values.get("adrs_libvoie", "")]
    record["street"] = " ".join(p for p in parts if p).strip()
    record["name"] = tidy_title(record["name"])
    record["created_on"] = parse_date(record["created_on"])
    record["dissolved_on"] = parse_date(record["dissolved_on"])
    position = record.pop("position").upper()
    record["dissolved"] = position in ("D", "S") or record["dissolved_on"] is not None
    if record["siret"] in ("", "0") or set(record["siret"]) == {"0"}:
        record["siret"] = ""
    if record["website"] and "://" not in record["website"]:
        record["website"] = "https://" + record["website"]
    record["city"] = record["city"].title()
    return record


def tidy_title(title: str) -> str:
    """The RNA writes titles in capitals: "AMIS DU VELO DE LILLE" → "Amis du vélo…"
    cannot be guessed back; we only capitalise words, keeping short French articles."""
    if not title.isupper():
        return title.strip()
    small = {"de", "du", "des", "la", "le", "les", "et", "en", "à", "au", "aux", "d", "l",
             "pour", "sur"}
    words = title.lower().split()
    out = [w if i and w in small else w.capitalize() for i, w in enumerate(words)]
    return " ".join(out).replace("D'", "d'").replace("L'", "l'")
