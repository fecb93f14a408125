"""SCDL *Délibérations* CSV (schema 2.1.x, schema.data.gouv.fr/scdl/deliberations): read and
write.

Pure Python, no Django. ``read_csv`` accepts what real files do: ";" or "," (or tab), a
byte-order mark, UTF-8 or Windows-1252, dates such as "2021/07/02 00:00:00+00" or
"24/03/2022", extra columns (kept in ``Deliberation.extra``), lower-case headers, and
multi-line quoted fields (their line breaks become spaces). A row it cannot fully read
is still returned, with a French :class:`Problem` saying what is wrong and where.
``write_csv`` writes the 17 columns in the schema's order, comma-separated UTF-8,
ISO dates.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path

COLUMNS = (
    "COLL_NOM", "COLL_SIRET", "DELIB_ID", "DELIB_DATE", "DELIB_MATIERE_CODE",
    "DELIB_MATIERE_NOM", "DELIB_OBJET", "BUDGET_ANNEE", "BUDGET_NOM", "PREF_ID", "PREF_DATE",
    "VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION", "DELIB_URL",
)
REQUIRED = COLUMNS[:7]
_DATES = ("DELIB_DATE", "PREF_DATE")
_INTEGERS = ("VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION")


@dataclass
class Deliberation:
    """One row; attribute names are the columns in lower case."""

    coll_nom: str = ""
    coll_siret: str = ""
    delib_id: str = ""
    delib_date: date | None = None
    delib_matiere_code: str = ""
    delib_matiere_nom: str = ""
    delib_objet: str = ""
    budget_annee: str = ""
    budget_nom: str = ""
    pref_id: str = ""
    pref_date: date | None = None
    vote_effectif: int | None = None
    vote_reel: int | None = None
    vote_pour: int | None = None
    vote_contre: int | None = None
    vote_abstention: int | None = None
    delib_url: str = ""
    extra: dict[str, str] = field(default_factory=dict)  # columns outside the schema


@dataclass(frozen=True)
class Problem:
    line: int  # 1-based line of the file where the row starts (1 = the header)
    column: str  # "" for the whole row or file
    message: str  # French, for the import report


@dataclass
class ScdlFile:
    rows: list[Deliberation]
    problems: list[Problem]
    delimiter: str
    encoding: str
    extra_columns: list[str]
    missing_columns: list[str]


# --- reading ---------------------------------------------------------------------------------


def read_csv(source: bytes | str | Path) -> ScdlFile:
    """Read an SCDL Délibérations file given as bytes, a path, or already decoded text
    (a ``str`` holding a line break is taken as the content, otherwise as a path)."""
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source):
        source = Path(source).read_bytes()
    text, encoding = (source, "text") if isinstance(source, str) else _decode(source)
    text = text.lstrip("\ufeff")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, [])
    names = [_column_name(name) for name in header]
    known = [name for name in names if name in COLUMNS]
    extra = [raw.strip() for name, raw in zip(names, header, strict=True)
             if name not in COLUMNS and raw.strip()]
    missing = [name for name in COLUMNS if name not in known]
    problems = [Problem(1, name, f"colonne obligatoire absente : {name}")
                for name in REQUIRED if name in missing]
    rows, line = [], reader.line_num + 1
    for values in reader:
        if any(value.strip() for value in values):
            rows.append(_row(values, names, header, line, problems))
        line = reader.line_num + 1
    return ScdlFile(rows, problems, delimiter, encoding, extra, missing)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace"), "cp1252"


def sniff_delimiter(text: str) -> str:
    """The separator of the header line: the most frequent of ";", "," and tab."""
    header = text.split("\n", 1)[0]
    header = re.sub(r'"[^"]*"', "", header)  # quoted names may hold anything
    counts = {delimiter: header.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _column_name(raw: str) -> str:
    return raw.strip().strip('"').strip().upper()


def _row(values: list[str], names: list[str], header: list[str], line: int,
         problems: list[Problem]) -> Deliberation:
    row = Deliberation()
    if len(values) > len(names):
        problems.append(Problem(line, "", f"{len(values)} valeurs pour {len(names)} colonnes"))
    for name, raw_name, value in zip(names, header, values, strict=False):
        value = " ".join(value.split())  # multi-line quoted fields, stray spaces
        if name in _DATES:
            parsed = parse_date(value)
            if value and parsed is None:
                problems.append(Problem(line, name, f"date illisible : « {value} »"))
            setattr(row, name.lower(), parsed)
        elif name in _INTEGERS:
            number = parse_int(value)
            if value and number is None:
                problems.append(Problem(line, name, f"nombre entier attendu : « {value} »"))
            setattr(row, name.lower(), number)
        elif name in COLUMNS:
            setattr(row, name.lower(), value)
        elif raw_name.strip():
            row.extra[raw_name.strip()] = value
    for name in REQUIRED:
        if name in names and not _text(getattr(row, name.lower())):
            problems.append(Problem(line, name, f"valeur obligatoire vide : {name}"))
    if row.coll_siret and not re.fullmatch(r"\d{14}", row.coll_siret.replace(" ", "")):
        problems.append(Problem(line, "COLL_SIRET",
                                f"SIRET de 14 chiffres attendu : « {row.coll_siret} »"))
    return row


_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_FRENCH = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(value: str) -> date | None:
    """"2022-03-24", "2021/07/02 00:00:00+00", "2022-03-24T00:00:00Z", "24/03/2022",
    "20220324" → a date; anything else → None."""
    value = value.strip()
    for pattern, order in ((_ISO, (1, 2, 3)), (_FRENCH, (3, 2, 1)), (_COMPACT, (1, 2, 3))):
        match = pattern.match(value)
        if match:
            year, month, day = (int(match.group(k)) for k in order)
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


def parse_int(value: str) -> int | None:
    """"123", " 123 ", "123.0" → 123; anything else → None."""
    value = value.strip().replace("\u00a0", "").replace(" ", "")
    match = re.fullmatch(r"(\d+)(?:[.,]0+)?", value)
    return int(match.group(1)) if match else None


def _text(value: object) -> str:
    return "" if value is None else str(value)


# --- writing ---------------------------------------------------------------------------------


def write_csv(rows: Iterable[Deliberation], *, delimiter: str = ",",
              extra_columns: Iterable[str] = ()) -> str:
    """The rows as SCDL CSV text (the schema's 17 columns, then ``extra_columns``)."""
    extra_columns = list(extra_columns)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([*COLUMNS, *extra_columns])
    for row in rows:
        values = []
        for name in COLUMNS:
            value = getattr(row, name.lower())
            values.append(value.isoformat() if isinstance(value, date) else _text(value))
        writer.writerow(values + [row.extra.get(name, "") for name in extra_columns])
    return out.getvalue()


def as_dict(row: Deliberation) -> dict[str, object]:
    """A row keyed by its SCDL column names (extra columns included)."""
    data = {f.name.upper(): getattr(row, f.name) for f in fields(row) if f.name != "extra"}
    return {**data, **row.extra}
