"""Read and write Pabulib `.pb` files (https://pabulib.org/format), pure Python.

A `.pb` file has three `;`-separated sections, each with a title line (META, PROJECTS,
VOTES) and a header line; fields are quoted the CSV way. We keep every column (extra
ones included) so a file read then written comes back the same, and we turn it into
the engine's `budgeting.Election` with `election_from_pb`.

Errors are `PabulibError` (a ValueError) with a French message and the line number,
because the command and the import screen show them as they are.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from hemicycle.juries import budgeting

SECTIONS = ("META", "PROJECTS", "VOTES")
VOTE_TYPES = ("approval", "choose-1", "cumulative", "scoring", "ordinal")


class PabulibError(ValueError):
    """A malformed `.pb` file: the message is in French and names the line."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        super().__init__(f"ligne {line} : {message}" if line else message)


@dataclass
class PbFile:
    """The three sections as text, in file order; projects and votes keep every column
    (extra ones too), keyed by their id."""

    meta: dict[str, str] = field(default_factory=dict)
    project_columns: list[str] = field(default_factory=lambda: ["project_id", "cost"])
    projects: dict[str, dict[str, str]] = field(default_factory=dict)
    vote_columns: list[str] = field(default_factory=lambda: ["voter_id", "vote"])
    votes: dict[str, dict[str, str]] = field(default_factory=dict)
    # line number of each project and vote row, for error messages after parsing
    lines: dict[tuple[str, str], int] = field(default_factory=dict, repr=False)

    @property
    def vote_type(self) -> str:
        return self.meta.get("vote_type", "approval").strip().lower()

    @property
    def rule(self) -> str:
        return self.meta.get("rule", "unknown").strip().lower()

    def selected(self) -> list[str] | None:
        """The official winners (`selected` column ≥ 1), or None without that column."""
        if "selected" not in self.project_columns:
            return None
        return [pid for pid, row in self.projects.items()
                if row.get("selected", "0").strip() not in ("", "0")]


def read(path: str | Path) -> PbFile:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise PabulibError(f"le fichier {path} n'est pas en UTF-8 ({error.reason})") from error
    except FileNotFoundError as error:
        raise PabulibError(f"fichier introuvable : {path}") from error
    except OSError as error:
        raise PabulibError(f"impossible de lire {path} ({error.__class__.__name__})") from error
    return parse(text)


def parse(text: str) -> PbFile:
    """Parse the text of a `.pb` file; raise PabulibError on anything malformed."""
    pb = PbFile()
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    section, header = None, None
    seen: set[str] = set()
    try:
        for raw in reader:
            line = reader.line_num
            row = [cell.strip() for cell in raw]
            if not any(row):
                continue
            title = row[0].upper() if len([c for c in row if c]) == 1 else ""
            if title in SECTIONS:
                if title in seen:
                    raise PabulibError(f"section {title} en double", line)
                section, header = title, None
                seen.add(title)
                continue
            if section is None:
                raise PabulibError("le fichier doit commencer par la section META", line)
            if header is None:
                header = _header(section, row, line)
                if section == "PROJECTS":
                    pb.project_columns = header
                elif section == "VOTES":
                    pb.vote_columns = header
                continue
            _add_row(pb, section, header, row, line)
    except csv.Error as error:
        raise PabulibError(f"CSV illisible ({error})", reader.line_num) from error
    for title in SECTIONS:
        if title not in seen:
            raise PabulibError(f"section {title} absente")
    _check_meta(pb)
    return pb


def _header(section: str, row: list[str], line: int) -> list[str]:
    header = [cell.lower() for cell in row]
    first = {"META": "key", "PROJECTS": "project_id", "VOTES": "voter_id"}[section]
    if header[0] != first:
        raise PabulibError(f"l'en-tête de {section} doit commencer par « {first} »", line)
    if section == "PROJECTS" and "cost" not in header:
        raise PabulibError("l'en-tête de PROJECTS n'a pas de colonne « cost »", line)
    if section == "VOTES" and "vote" not in header:
        raise PabulibError("l'en-tête de VOTES n'a pas de colonne « vote »", line)
    if len(set(header)) != len(header):
        raise PabulibError(f"colonnes en double dans l'en-tête de {section}", line)
    return header


def _add_row(pb: PbFile, section: str, header: list[str], row: list[str], line: int) -> None:
    if section == "META":
        if len(row) < 2:
            raise PabulibError("une ligne de META doit avoir une clé et une valeur", line)
        # a value holding unquoted ';' is tolerated: we glue it back
        pb.meta[row[0].lower()] = ";".join(row[1:]).strip()
        return
    if len(row) > len(header) and any(row[len(header):]):
        raise PabulibError(f"{len(row)} champs pour {len(header)} colonnes", line)
    values = dict(zip(header, row + [""] * (len(header) - len(row)), strict=True))
    key = values[header[0]]
    if not key:
        raise PabulibError(f"identifiant vide dans {section}", line)
    table = pb.projects if section == "PROJECTS" else pb.votes
    if key in table:
        raise PabulibError(f"identifiant « {key} » en double dans {section}", line)
    table[key] = values
    pb.lines[(section, key)] = line


def _check_meta(pb: PbFile) -> None:
    if "budget" not in pb.meta:
        raise PabulibError("META n'a pas de clé « budget »")
    number(pb.meta["budget"], "budget", None)
    if pb.vote_type not in VOTE_TYPES:
        raise PabulibError(f"type de vote inconnu « {pb.vote_type} » "
                           f"(attendu : {', '.join(VOTE_TYPES)})")


def number(text: str, what: str, line: int | None, negative: bool = False) -> Fraction:
    """An exact number from a decimal string ('4000.0', '1716138.17', '1e6')."""
    try:
        value = Fraction(text.strip().replace(" ", ""))
    except (ValueError, ZeroDivisionError):
        raise PabulibError(f"{what} n'est pas un nombre : « {text} »", line) from None
    if value < 0 and not negative:
        raise PabulibError(f"{what} est négatif : « {text} »", line)
    return value


def compact(value: Fraction) -> int | Fraction:
    """Integers as int: arithmetic on int is several times faster than on Fraction."""
    return value.numerator if value.denominator == 1 else value


def ballot(pb: PbFile, voter_id: str) -> dict[str, int | Fraction]:
    """One voter's utilities: 1 per approval, points (cumulative, scoring) or Borda
    points for a ranking (Pabulib's default `scoring_fn`): the first of the k projects
    this voter ranked gets k points, the last 1. That is how the `score` column of the
    ordinal files is computed (Zurich S5R has a ballot shorter than max_length)."""
    row = pb.votes[voter_id]
    line = pb.lines.get(("VOTES", voter_id))
    ids = [p.strip() for p in row["vote"].split(",") if p.strip()]
    for pid in ids:
        if pid not in pb.projects:
            raise PabulibError(f"le vote de « {voter_id} » cite un projet inconnu « {pid} »",
                               line)
    if len(set(ids)) != len(ids):
        raise PabulibError(f"le vote de « {voter_id} » cite deux fois le même projet", line)
    kind = pb.vote_type
    if kind in ("approval", "choose-1"):
        return dict.fromkeys(ids, 1)
    if kind == "ordinal":
        return {pid: len(ids) - rank for rank, pid in enumerate(ids)}
    points = [p.strip() for p in row.get("points", "").split(",") if p.strip()]
    if len(points) != len(ids):
        raise PabulibError(f"le vote de « {voter_id} » a {len(ids)} projets et "
                           f"{len(points)} points", line)
    # scores may be negative (they count in a greedy score, MES ignores them)
    values = [compact(number(p, "un nombre de points", line, kind == "scoring"))
              for p in points]
    return {pid: v for pid, v in zip(ids, values, strict=True) if v}


def election_from_pb(pb: PbFile) -> budgeting.Election:
    projects = {}
    for pid, row in pb.projects.items():
        cost = number(row["cost"], f"le coût du projet « {pid} »", pb.lines.get(("PROJECTS", pid)))
        projects[pid] = budgeting.Project(pid, compact(cost), row.get("name", ""))
    return budgeting.Election(
        budget=compact(number(pb.meta["budget"], "budget", None)),
        projects=projects,
        ballots=[ballot(pb, vid) for vid in pb.votes],
        kind="approval" if pb.vote_type == "choose-1" else pb.vote_type,
        currency=pb.meta.get("currency", ""),
    )


def dumps(pb: PbFile) -> str:
    """The `.pb` text of `pb`: META first, then PROJECTS and VOTES with their columns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    meta = dict(pb.meta)
    meta.setdefault("num_projects", str(len(pb.projects)))
    meta.setdefault("num_votes", str(len(pb.votes)))
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    writer.writerows(meta.items())
    for title, columns, rows in (("PROJECTS", pb.project_columns, pb.projects),
                                 ("VOTES", pb.vote_columns, pb.votes)):
        writer.writerow([title])
        writer.writerow(columns)
        writer.writerows([row.get(c, "") for c in columns] for row in rows.values())
    return out.getvalue()


def write(pb: PbFile, path: str | Path) -> None:
    Path(path).write_text(dumps(pb), encoding="utf-8")


def pb_from_election(election: budgeting.Election, meta: dict[str, str] | None = None,
                     voter_ids: list[str] | None = None) -> PbFile:
    """A `.pb` file for a campaign's votes (what the Django export calls)."""
    kind = election.kind
    pb = PbFile(meta={"description": "", "country": "France", "unit": "", "instance": "",
                      "num_projects": str(len(election.projects)),
                      "num_votes": str(len(election.ballots)),
                      "budget": _text(election.budget), "vote_type": kind, "rule": "unknown",
                      **({"currency": election.currency} if election.currency else {}),
                      **(meta or {})})
    pb.project_columns = ["project_id", "cost", "votes", "name"]
    support = election.support()
    for pid, project in election.projects.items():
        pb.projects[pid] = {"project_id": pid, "cost": _text(project.cost),
                            "votes": str(support[pid]), "name": project.name}
    pb.vote_columns = ["voter_id", "vote"] + (["points"] if kind in ("cumulative", "scoring")
                                              else [])
    ids = voter_ids or [str(i + 1) for i in range(len(election.ballots))]
    for vid, utilities in zip(ids, election.ballots, strict=True):
        order = sorted(utilities, key=lambda p: -utilities[p]) if kind != "approval" \
            else list(utilities)
        row = {"voter_id": vid, "vote": ",".join(order)}
        if "points" in pb.vote_columns:
            row["points"] = ",".join(_text(utilities[p]) for p in order)
        pb.votes[vid] = row
    return pb


def _text(value: int | Fraction) -> str:
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    return format(float(value), "f").rstrip("0")


def official_rule(pb: PbFile) -> tuple[str, dict] | None:
    """The engine's rule and options for the file's META `rule`, or None when the rule
    is unknown or one we do not implement (greedy-exclusive, greedy-custom)."""
    rule = pb.rule
    if rule == "greedy":
        return "greedy", {}
    if rule == "greedy-no-skip":
        return "greedy", {"skip": False}
    if rule == "greedy-threshold":
        threshold = pb.meta.get("min_project_score_threshold", "0")
        return "greedy", {"threshold": compact(number(threshold, "le seuil", None))}
    if rule in ("equalshares", "equalshares-comparison", "equalshares/add1",
                "equalshares/add1-comparison"):
        return "mes", {"completion": "add1" if "add1" in rule else "none",
                       "comparison": rule.endswith("-comparison")}
    return None
