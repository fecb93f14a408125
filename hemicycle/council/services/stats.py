"""How the group voted, per year and policy area: counts of its decided votes, agreement
with the council's outcome, share of reports with a decided position. One grouped query;
the group's votes are read from the writings app's Position (one per report)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from hemicycle.accounts.models import Workspace
from hemicycle.council.models import Body, Report, Vote

VOTE = "group_positions__vote"
# The group agrees with the outcome when it voted for an adopted report or against a
# rejected one; it disagrees the other way round. Abstentions, withdrawn or postponed
# reports count for neither.
AGREE = (Q(**{VOTE: Vote.FOR}, decision=Report.Decision.ADOPTED)
         | Q(**{VOTE: Vote.AGAINST}, decision=Report.Decision.REJECTED))
DISAGREE = (Q(**{VOTE: Vote.FOR}, decision=Report.Decision.REJECTED)
            | Q(**{VOTE: Vote.AGAINST}, decision=Report.Decision.ADOPTED))


@dataclass
class Tally:
    reports: int = 0
    votes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Vote.values, 0))
    agree: int = 0
    disagree: int = 0

    def add(self, other: Tally) -> None:
        self.reports += other.reports
        for vote, count in other.votes.items():
            self.votes[vote] += count
        self.agree += other.agree
        self.disagree += other.disagree

    @property
    def decided(self) -> int:
        return sum(self.votes.values())

    @property
    def decided_share(self) -> int | None:
        """Percent of reports with a decided position."""
        return round(100 * self.decided / self.reports) if self.reports else None

    @property
    def agreement(self) -> int | None:
        """Percent of agreement with the outcome, where both are known."""
        known = self.agree + self.disagree
        return round(100 * self.agree / known) if known else None


@dataclass
class VoteStats:
    cells: dict[tuple[int, str], Tally]  # (year, policy area) → tally
    by_year: dict[int, Tally]
    by_area: dict[str, Tally]
    total: Tally


def vote_stats(workspace: Workspace, *, body: Body | None = None,
               year: int | None = None) -> VoteStats:
    """The group's votes on the workspace's reports (those of a sitting), grouped by the
    sitting's year and the report's policy area."""
    reports = Report.objects.filter(workspace=workspace, sitting__isnull=False)
    if body is not None:
        reports = reports.filter(sitting__body=body)
    if year is not None:
        reports = reports.filter(sitting__starts_at__year=year)
    counts = {vote: Count("id", filter=Q(**{VOTE: vote})) for vote in Vote.values}
    rows = (reports.annotate(year=ExtractYear("sitting__starts_at"))
            .values("year", "policy_area")
            .annotate(n=Count("id"), agree=Count("id", filter=AGREE),
                      disagree=Count("id", filter=DISAGREE), **counts)
            .order_by("year", "policy_area"))
    cells: dict[tuple[int, str], Tally] = {}
    for row in rows:
        tally = Tally(reports=row["n"], votes={v: row[v] for v in Vote.values},
                      agree=row["agree"], disagree=row["disagree"])
        key = (row["year"], row["policy_area"].strip())
        cells.setdefault(key, Tally()).add(tally)  # "Routes" and "Routes " are one
    by_year: dict[int, Tally] = {}
    by_area: dict[str, Tally] = {}
    total = Tally()
    for (row_year, area), tally in cells.items():
        by_year.setdefault(row_year, Tally()).add(tally)
        by_area.setdefault(area, Tally()).add(tally)
        total.add(tally)
    by_area = dict(sorted(by_area.items(), key=lambda item: (-item[1].reports, item[0])))
    return VoteStats(cells=cells, by_year=dict(sorted(by_year.items())), by_area=by_area,
                     total=total)


def stats_years(workspace: Workspace) -> list[int]:
    """The years that have sittings, newest first (the year filter)."""
    dates = Report.objects.filter(workspace=workspace, sitting__isnull=False).dates(
        "sitting__starts_at", "year", order="DESC")
    return [d.year for d in dates]


def vote_stats_csv(stats: VoteStats) -> str:
    """One line per year and policy area, for a spreadsheet (`;`, as French Excel
    expects)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("année"), _("domaine"), _("rapports"), _("position arrêtée"),
                     *[str(label).lower() for label in Vote.labels],
                     _("accord avec le résultat"), _("désaccord avec le résultat")])
    for (year, area), tally in stats.cells.items():
        writer.writerow([year, area or _("Non classé"), tally.reports, tally.decided,
                         *[tally.votes[v] for v in Vote.values], tally.agree,
                         tally.disagree])
    return out.getvalue()
