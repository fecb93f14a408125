"""The council's demo data: bodies, sittings and reports of the Nord, idempotent."""

import pytest

from hemicycle.core.demo import demo_build
from hemicycle.council.models import Body, Report, Sitting, Watchlist
from hemicycle.council.search import report_search

pytestmark = pytest.mark.django_db


def test_the_demo_builds_the_nord_sittings_once():
    demo = demo_build(territory=False)
    workspace = demo.workspace
    assert Body.objects.filter(workspace=workspace).count() == 5
    assert Sitting.objects.filter(workspace=workspace).count() == 4
    reports = Report.objects.filter(workspace=workspace)
    assert reports.count() == 20
    assert reports.filter(number="DAT/2026/81", decision="adopted").exists()
    assert reports.exclude(summary="").count() == 20
    assert Watchlist.objects.filter(workspace=workspace).count() == 2
    assert demo.counts["council.reports"] == 20
    found = report_search(workspace, "véloroute")
    assert [hit.object.number for hit in found.hits] == ["DVD/2026/131"]

    again = demo_build(territory=False)
    assert again.counts["council.reports"] == 0
    assert Report.objects.filter(workspace=workspace).count() == 20
    assert Sitting.objects.filter(workspace=workspace).count() == 4
