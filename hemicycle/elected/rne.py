"""Reading the Répertoire national des élus (RNE) CSV files. Pure Python, no Django.

The Ministry of the Interior publishes one file per kind of mandate on data.gouv.fr.
Two are read here, with their header names exactly as published:

- conseillers départementaux: one row per councillor with "Code du canton" and
  "Libellé du canton" (two councillors per canton);
- conseillers régionaux: "Code de la section départementale" and its "Libellé".

``parse(data)`` takes the file's bytes and returns the rows and the errors, each error
with its line number. It never raises on bad input: the caller decides (the import
refuses a file with any error, so that nothing is half-imported).

Error messages are French because users read them as they are; they are marked with
``gettext_noop`` so that the Django side can translate them (``RneError.template``).
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime


def gettext_noop(message: str) -> str:
    """Marks a message for translation without translating it (read by makemessages)."""
    return message


KIND_DEPARTEMENT = "departement"
KIND_REGION = "region"

# Column names as in the files, keyed by the name we use in code.
COMMON_COLUMNS = {
    "last_name": "Nom de l'élu",
    "first_name": "Prénom de l'élu",
    "gender": "Code sexe",
    "birth_date": "Date de naissance",
    "profession": "Libellé de la catégorie socio-professionnelle",
    "mandate_start": "Date de début du mandat",
    "function": "Libellé de la fonction",
    "function_start": "Date de début de la fonction",
}
DEPARTEMENT_COLUMNS = {
    "assembly_code": "Code du département",
    "division_code": "Code du canton",
    "division_name": "Libellé du canton",
    **COMMON_COLUMNS,
}
REGION_COLUMNS = {
    "assembly_code": "Code de la région",
    "division_code": "Code de la section départementale",
    "division_name": "Libellé de la section départementale",
    **COMMON_COLUMNS,
}

# Lower-case in a surname when not its first word ("Dejean de la Batie").
PARTICLES = {"de", "du", "des", "d", "le", "la"}


@dataclass(frozen=True)
class RneRow:
    line: int  # the line of the file where the row starts (the header is line 1)
    assembly_code: str  # "59" (département) or "28" (région)
    last_name: str  # readable form, see readable_name()
    first_name: str
    gender: str  # "F", "M" or ""
    birth_date: date
    profession: str
    canton_code: str  # "59001" (territory code); "" in a régional file
    canton_name: str
    section_code: str  # "14" (a département code); "" in a départemental file
    section_name: str
    mandate_start: date | None
    function: str
    function_start: date | None

    @property
    def key(self) -> str:
        return rne_key(self.last_name, self.first_name, self.birth_date)


@dataclass(frozen=True)
class RneError:
    line: int  # 0 when about the whole file
    template: str  # French, with %(name)s placeholders
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.template % self.params


@dataclass
class RneFile:
    kind: str = ""  # KIND_DEPARTEMENT or KIND_REGION, "" when the header is unusable
    rows: list[RneRow] = field(default_factory=list)
    errors: list[RneError] = field(default_factory=list)


# --- names and keys --------------------------------------------------------------------


def normalise(text: str) -> str:
    """Lower case, no accents, letters and digits only: "GRÉAUME" and "Gréaume" match."""
    text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def rne_key(last_name: str, first_name: str, birth_date: date) -> str:
    """A person's identity across imports: normalised names and birth date."""
    return f"{normalise(last_name)}|{normalise(first_name)}|{birth_date.isoformat()}"


def readable_name(text: str) -> str:
    """A readable form of a name the RNE writes in capitals, accents kept.

    Each word is capitalised ("GRÉAUME" → "Gréaume", "PARMENTIER-LECOCQ" →
    "Parmentier-Lecocq", "L'ORPHELIN" → "L'Orphelin"); the particles de, du, des, d',
    le, la stay lower case when they follow a space and are not the first word
    ("DEJEAN DE LA BATIE" → "Dejean de la Batie", but "DE GIBON" → "De Gibon" and
    "LE VERN" → "Le Vern"). Names already in mixed case ("Jean Luc") are kept as they are.
    """
    text = " ".join(text.split())
    if text != text.upper():
        return text
    parts = re.split(r"([\s\-'’]+)", text)
    out = []
    for index, part in enumerate(parts):
        if index % 2:  # a separator
            out.append(part)
            continue
        word = part.lower()
        after_space = index > 0 and parts[index - 1].strip() == ""
        if not (after_space and word in PARTICLES):
            word = word[:1].upper() + word[1:]
        out.append(word)
    return "".join(out)


# --- values ----------------------------------------------------------------------------


def parse_date(text: str) -> date | None:
    """DD/MM/YYYY as in the RNE, or ISO YYYY-MM-DD; None when empty; ValueError if bad."""
    text = text.strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def canton_code(raw: str, departement: str) -> str:
    """The territory's 5-character canton code: RNE "5901" in the Nord → "59001".

    The RNE writes the département code followed by the canton number without padding;
    the territory tables pad the number to 3 digits (2-digit départements) so that the
    code has 5 characters. ValueError when the code does not fit that pattern.
    """
    raw, departement = raw.strip(), departement.strip()
    number = raw[len(departement):] if raw.startswith(departement) else ""
    if not departement or not number.isdigit() or len(departement) + len(number) > 6:
        raise ValueError(raw)
    return departement + number.zfill(max(5 - len(departement), len(number)))


def section_code(raw: str) -> str:
    raw = raw.strip()
    return raw.zfill(2) if raw.isdigit() else raw


# --- the file --------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) as published, or a Windows spreadsheet's cp1252."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # never fails: every byte is a character


def _header_key(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").replace("’", "'").split()).lower()


def _columns_for(header: list[str]) -> tuple[str, dict[str, int], list[str]]:
    """(kind, our name → column index, missing column names) for a header row."""
    index = {_header_key(name): i for i, name in enumerate(header)}
    if _header_key(REGION_COLUMNS["division_code"]) in index or (
        _header_key(REGION_COLUMNS["assembly_code"]) in index
        and _header_key(DEPARTEMENT_COLUMNS["division_code"]) not in index
    ):
        kind, wanted = KIND_REGION, REGION_COLUMNS
    else:
        kind, wanted = KIND_DEPARTEMENT, DEPARTEMENT_COLUMNS
    found = {ours: index[_header_key(theirs)] for ours, theirs in wanted.items()
             if _header_key(theirs) in index}
    missing = [theirs for ours, theirs in wanted.items() if ours not in found]
    return kind, found, missing


def parse(data: bytes) -> RneFile:
    """The rows and errors of an RNE CSV file (either kind, `,` or `;` separated)."""
    result = RneFile()
    if not data.strip():
        result.errors.append(RneError(0, gettext_noop("Le fichier est vide.")))
        return result
    if b"\x00" in data:
        result.errors.append(RneError(0, gettext_noop(
            "Ce fichier n'est pas un fichier CSV (texte) : est-ce un tableur ou une archive ?")))
        return result
    text = decode(data)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        result.errors.append(RneError(1, gettext_noop("L'en-tête du fichier est illisible.")))
        return result
    kind, columns, missing = _columns_for(header)
    if missing:
        result.errors.append(RneError(1, gettext_noop(
            "Colonnes manquantes dans l'en-tête : %(columns)s. Ce fichier est-il un export "
            "du Répertoire national des élus (conseillers départementaux ou régionaux) ?"),
            {"columns": ", ".join(f"« {name} »" for name in missing)}))
        return result
    result.kind = kind
    seen: dict[str, int] = {}
    line = 2
    try:
        for values in reader:
            row_line, line = line, reader.line_num + 1
            if not any(value.strip() for value in values):
                continue
            row = _parse_row(values, row_line, kind, columns, len(header), result.errors)
            if row is None:
                continue
            if row.key in seen:
                result.errors.append(RneError(row_line, gettext_noop(
                    "Ligne %(line)d : %(name)s apparaît déjà ligne %(other)d."),
                    {"line": row_line, "name": f"{row.first_name} {row.last_name}",
                     "other": seen[row.key]}))
                continue
            seen[row.key] = row_line
            result.rows.append(row)
    except csv.Error as error:
        result.errors.append(RneError(line, gettext_noop(
            "Ligne %(line)d : CSV mal formé (%(error)s)."), {"line": line, "error": str(error)}))
    if not result.rows and not result.errors:
        result.errors.append(RneError(0, gettext_noop("Le fichier ne contient aucun·e élu·e.")))
    return result


def _parse_row(
    values: list[str], line: int, kind: str, columns: dict[str, int], width: int,
    errors: list[RneError],
) -> RneRow | None:
    """One row, or None after adding its errors (all of them, not just the first)."""
    if len(values) != width:
        errors.append(RneError(line, gettext_noop(
            "Ligne %(line)d : %(found)d champs au lieu de %(expected)d (séparateur ou "
            "guillemets en trop ?)."), {"line": line, "found": len(values), "expected": width}))
        return None
    get = {ours: values[index].strip() for ours, index in columns.items()}
    names = DEPARTEMENT_COLUMNS if kind == KIND_DEPARTEMENT else REGION_COLUMNS
    before = len(errors)

    def error(template: str, name: str) -> None:
        errors.append(RneError(line, template,
                               {"line": line, "column": names[name], "value": get[name]}))

    for name in ("last_name", "first_name", "birth_date", "assembly_code", "division_code"):
        if not get[name]:
            error(gettext_noop("Ligne %(line)d : la colonne « %(column)s » est vide."), name)
    dates: dict[str, date | None] = {}
    for name in ("birth_date", "mandate_start", "function_start"):
        try:
            dates[name] = parse_date(get[name])
        except ValueError:
            error(gettext_noop("Ligne %(line)d : « %(value)s » n'est pas une date "
                               "(colonne « %(column)s », attendu JJ/MM/AAAA)."), name)
    gender = get["gender"].upper()
    if gender not in ("F", "M", ""):
        error(gettext_noop("Ligne %(line)d : code sexe « %(value)s » inconnu (F ou M)."),
              "gender")
    canton = section = ""
    if kind == KIND_DEPARTEMENT and get["division_code"]:
        try:
            canton = canton_code(get["division_code"], get["assembly_code"])
        except ValueError:
            error(gettext_noop("Ligne %(line)d : code du canton « %(value)s » inattendu "
                               "(attendu : le code du département suivi d'un numéro)."),
                  "division_code")
    elif kind == KIND_REGION:
        section = section_code(get["division_code"])
    if len(errors) > before:
        return None
    return RneRow(
        line=line,
        assembly_code=get["assembly_code"],
        last_name=readable_name(get["last_name"]),
        first_name=readable_name(get["first_name"]),
        gender=gender,
        birth_date=dates["birth_date"],
        profession=get["profession"],
        canton_code=canton,
        canton_name=get["division_name"] if kind == KIND_DEPARTEMENT else "",
        section_code=section,
        section_name=get["division_name"] if kind == KIND_REGION else "",
        mandate_start=dates["mandate_start"],
        function=get["function"],
        function_start=dates["function_start"],
    )
