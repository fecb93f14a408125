"""Statistics of the group's votes: charts, table, CSV. Thin views over
services/stats.py; the charts are inline SVG drawn by charts.py."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from hemicycle.accounts.access import workspace_view
from hemicycle.council import charts
from hemicycle.council.forms import StatsForm
from hemicycle.council.models import Attendance, Vote
from hemicycle.council.services import attendance as attendance_service
from hemicycle.council.services import stats as stats_service

VOTE_COLORS = {Vote.FOR: "#2e7d4f", Vote.AGAINST: "#c0392b", Vote.ABSTAIN: "#d99a00",
               Vote.NOT_VOTING: "#7f8c8d"}
AGREE_COLOR, DISAGREE_COLOR = "#2e6db4", "#e67e22"
ATTENDANCE_COLORS = {Attendance.State.PRESENT: "#2e7d4f", Attendance.State.PROXY: "#2e6db4",
                     Attendance.State.EXCUSED: "#d99a00", Attendance.State.ABSENT: "#c0392b"}


def _stats(request: HttpRequest) -> tuple[StatsForm, stats_service.VoteStats]:
    years = stats_service.stats_years(request.workspace)
    form = StatsForm(request.GET or None, workspace=request.workspace, years=years)
    return form, stats_service.vote_stats(request.workspace, **form.filters())


def _vote_chart(chart_id: str, title: str, groups: dict) -> str:
    return charts.stacked_bars(
        chart_id=chart_id, title=title, categories=[str(k) for k in groups],
        description=_("Votes décidés du groupe : pour, contre, abstention, ne prend pas "
                      "part au vote."),
        series=[charts.Series(str(label), VOTE_COLORS[value],
                              [t.votes[value] for t in groups.values()])
                for value, label in Vote.choices])


@workspace_view("read")
def stats(request: HttpRequest) -> HttpResponse:
    form, data = _stats(request)
    areas = {(area or _("Non classé")): tally for area, tally in data.by_area.items()}
    context = {
        "form": form, "stats": data, "areas": areas, "votes": Vote.choices,
        "legend": [(label, VOTE_COLORS[value]) for value, label in Vote.choices],
        "agree_legend": [(_("Accord"), AGREE_COLOR), (_("Désaccord"), DISAGREE_COLOR)],
        "query": request.GET.urlencode(),
    }
    if data.total.reports:
        context["charts"] = {
            "years": _vote_chart("chart-years", _("Votes du groupe par année"),
                                 data.by_year),
            "areas": _vote_chart("chart-areas", _("Votes du groupe par domaine"), areas),
            "agreement": charts.stacked_bars(
                chart_id="chart-agreement", percent=True,
                title=_("Accord du groupe avec le résultat du vote, par année"),
                description=_("Part des votes pour un rapport adopté ou contre un rapport "
                              "rejeté, parmi les votes pour ou contre."),
                categories=[str(y) for y in data.by_year],
                series=[charts.Series(_("Accord"), AGREE_COLOR,
                                      [t.agree for t in data.by_year.values()]),
                        charts.Series(_("Désaccord"), DISAGREE_COLOR,
                                      [t.disagree for t in data.by_year.values()])]),
        }
    attendance = attendance_service.attendance_by_member(request.workspace,
                                                         **form.filters())
    context["attendance"] = attendance
    context["attendance_states"] = Attendance.State.choices
    context["attendance_legend"] = [(label, ATTENDANCE_COLORS[value])
                                    for value, label in Attendance.State.choices]
    if attendance:
        context.setdefault("charts", {})["attendance"] = charts.stacked_bars(
            chart_id="chart-attendance", percent=True,
            title=_("Présence des élu·es du groupe aux séances"),
            description=_("Part des séances dont la présence est relevée où l’élu·e était "
                          "présent·e, représenté·e, excusé·e ou absent·e."),
            categories=[str(row.member) for row in attendance],
            series=[charts.Series(str(label), ATTENDANCE_COLORS[value],
                                  [row.counts[value] for row in attendance])
                    for value, label in Attendance.State.choices])
    return render(request, "council/stats_detail.html", context)


@workspace_view("read")
def stats_csv(request: HttpRequest) -> HttpResponse:
    _form, data = _stats(request)
    # A byte-order mark, so that Excel reads the accents.
    response = HttpResponse("\ufeff" + stats_service.vote_stats_csv(data),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="votes-du-groupe.csv"'
    return response
