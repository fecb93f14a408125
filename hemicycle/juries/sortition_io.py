"""Reading a pool of volunteers and its quotas from CSV files. Pure Python, no Django.

Two formats, told apart by the quota file's header:

- Panelot / Flanigan et al. replication: ``categories.csv`` with ``category,feature,min,max``
  (the *category* is the feature, the *feature* its value) and ``respondents.csv`` with one
  column per category and no id column: a respondent's id is their row number (1 for the
  first respondent, under the header).
- sortition-algorithms (Sortition Foundation): ``feature,value,min,max[,min_flex,max_flex]``
  (also ``category,name,…`` as in OpenDLP) and a people CSV with an id column
  (``nationbuilder_id``, ``unique_id``, ``id``… or the one given). min_flex and max_flex
  are checked but not used.

Values match whatever their case and surrounding spaces, as in sortition-algorithms; the
quota file's spelling is kept. Errors are ``CsvError`` (a ValueError) with a French
message naming the file and the line.
"""

from __future__ import annotations

import csv
from pathlib import Path

from hemicycle.juries.sortition import Instance, Person, Quotas

ID_COLUMNS = ("nationbuilder_id", "unique_id", "id", "person_id", "identifiant")
VALUE_COLUMNS = ("value", "name", "category value", "category_value", "category-value")


class CsvError(ValueError):
    def __init__(self, message: str, path: str | Path, line: int | None = None) -> None:
        where = Path(path).name + (f", ligne {line}" if line else "")
        super().__init__(f"{where} : {message}")
        self.path, self.line = str(path), line


def _rows(path: str | Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header (stripped) and (line number, row) pairs; blank lines skipped."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            header = [h.strip() for h in next(reader, [])]
            rows = []
            for record in reader:
                if not any(cell.strip() for cell in record):
                    continue
                if len(record) > len(header):
                    raise CsvError(f"{len(record)} cellules pour {len(header)} colonnes",
                                   path, reader.line_num)
                record += [""] * (len(header) - len(record))
                rows.append((reader.line_num, dict(zip(header, record, strict=True))))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CsvError(f"fichier illisible ({error})", path) from error
    if not header or not any(header):
        raise CsvError("fichier vide", path)
    return header, rows


def _integer(row: dict[str, str], column: str, path: str | Path, line: int) -> int:
    raw = row[column].strip()
    try:
        return int(raw)
    except ValueError:
        raise CsvError(f"« {raw} » n'est pas un nombre entier (colonne « {column} »)",
                       path, line) from None


def read_quotas(path: str | Path) -> tuple[Quotas, str]:
    """The quotas {(feature, value): (min, max)} and the format: "panelot" or
    "sortition-algorithms"."""
    header, rows = _rows(path)
    lower = {h.lower(): h for h in header}
    value_column = next((lower[c] for c in VALUE_COLUMNS if c in lower), None)
    if "category" in lower and "feature" in lower and value_column is None:
        kind, feature_column, value_column = "panelot", lower["category"], lower["feature"]
    else:
        kind = "sortition-algorithms"
        feature_column = lower.get("feature") or lower.get("category")
    missing = [name for name, col in (("feature", feature_column), ("value", value_column),
                                      ("min", lower.get("min")), ("max", lower.get("max")))
               if col is None]
    if missing:
        raise CsvError("colonnes manquantes : " + ", ".join(f"« {m} »" for m in missing)
                       + " (attendu : category,feature,min,max ou feature,value,min,max)",
                       path, 1)
    quotas: Quotas = {}
    for line, row in rows:
        feature, value = row[feature_column].strip(), row[value_column].strip()
        if not feature and not row[lower["min"]].strip() and not row[lower["max"]].strip():
            continue  # a note, as in the OpenDLP sample
        if not feature or not value:
            raise CsvError("caractéristique ou valeur vide", path, line)
        lo = _integer(row, lower["min"], path, line)
        hi = _integer(row, lower["max"], path, line)
        flex = [_integer(row, lower[c], path, line) for c in ("min_flex", "max_flex")
                if c in lower and row[lower[c]].strip()]
        if lo < 0 or any(v < 0 for v in flex):
            raise CsvError(f"nombre négatif pour « {value} » ({feature})", path, line)
        if lo > hi:
            raise CsvError(f"le minimum ({lo}) dépasse le maximum ({hi}) pour « {value} » "
                           f"({feature})", path, line)
        key = (feature, value)
        if any(f == feature and v.casefold() == value.casefold() for f, v in quotas):
            raise CsvError(f"« {value} » ({feature}) apparaît deux fois", path, line)
        quotas[key] = (lo, hi)
    if not quotas:
        raise CsvError("aucun quota", path)
    return quotas, kind


def read_people(path: str | Path, quotas: Quotas, *, id_column: str | None = None,
                row_ids: bool = False, household_columns: tuple[str, ...] = ()) -> list[Person]:
    """The pool, in file order. Ids are row numbers if ``row_ids``, else the ``id_column``
    (by default the first of ID_COLUMNS present). A household is the tuple of the
    ``household_columns`` (compared without case or surrounding spaces)."""
    header, rows = _rows(path)
    lower = {h.lower(): h for h in header}
    features = sorted({f for f, _ in quotas})
    columns = {f: f if f in header else lower.get(f.lower()) for f in features}
    if not row_ids:
        id_column = id_column or next((lower[c] for c in ID_COLUMNS if c in lower), None)
    missing = [f for f in features if columns[f] is None]
    missing += [c for c in household_columns if c not in header]
    if not row_ids and (id_column is None or id_column not in header):
        missing.append(id_column or "identifiant (" + ", ".join(ID_COLUMNS) + ")")
    if missing:
        raise CsvError("colonnes manquantes : " + ", ".join(f"« {m} »" for m in missing),
                       path, 1)
    spelling = {f: {v.strip().casefold(): v for g, v in quotas if g == f} for f in features}
    people, seen = [], set()
    for number, (line, row) in enumerate(rows, start=1):
        pid = str(number) if row_ids else row[id_column].strip()
        if not pid:
            raise CsvError("identifiant vide", path, line)
        if pid in seen:
            raise CsvError(f"identifiant « {pid} » en double", path, line)
        seen.add(pid)
        values = {}
        for f in features:
            raw = row[columns[f]].strip()
            if raw.casefold() not in spelling[f]:
                known = ", ".join(sorted(spelling[f].values()))
                raise CsvError(f"la valeur « {raw} » de « {f} » n'est pas dans les quotas "
                               f"(valeurs connues : {known})", path, line)
            values[f] = spelling[f][raw.casefold()]
        household = None
        if household_columns:
            household = "|".join(row[c].strip().casefold() for c in household_columns)
        people.append(Person(pid, values, household))
    if not people:
        raise CsvError("aucune personne", path)
    return people


def read_instance(categories: str | Path, respondents: str | Path, k: int, *,
                  id_column: str | None = None,
                  household_columns: tuple[str, ...] = ()) -> Instance:
    """Both files; the people file's format follows the quota file's."""
    quotas, kind = read_quotas(categories)
    people = read_people(respondents, quotas, id_column=id_column,
                         row_ids=kind == "panelot" and id_column is None,
                         household_columns=household_columns)
    return Instance(people, quotas, k)
