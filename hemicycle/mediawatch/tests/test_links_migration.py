"""Migration 0002 turns the JSON links of clippings into relations: by code, else by an
unambiguous label, in the clipping's own workspace only. The conversion function runs
here on the current tables, the old ``links`` column played by a plain attribute."""

import importlib

import pytest

from hemicycle.actors.models import Actor
from hemicycle.council.models import Report
from hemicycle.mediawatch.models import Clipping
from hemicycle.mediawatch.tests.conftest import COLLEGES

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "hemicycle.mediawatch.migrations.0002_clipping_relations_digest_time")


class _OldClippings:
    """What ``Clipping.objects.exclude(links=[])`` gave before 0003."""

    def __init__(self, rows):
        self.rows = rows

    def exclude(self, **kwargs):
        return self

    def iterator(self):
        return iter(self.rows)


class _Apps:
    def __init__(self, clippings):
        self.clippings = clippings

    def get_model(self, app_label, name):
        if name == "Clipping":
            return type("Clipping", (), {"objects": _OldClippings(self.clippings)})
        return {"Actor": Actor, "Report": Report}[name]


def test_json_links_become_relations_in_the_same_workspace_only(
        workspace, other_workspace, clippings):
    fcpe = Actor.objects.create(workspace=workspace, name="FCPE du Nord")
    Actor.objects.create(workspace=workspace, name="Union locale")
    Actor.objects.create(workspace=workspace, name="union locale")  # ambiguous label
    foreign = Actor.objects.create(workspace=other_workspace, name="Comité des fêtes")
    report = Report.objects.create(workspace=workspace, number="DAT/2026/81",
                                   title="Rénovation des collèges")
    clipping = clippings[COLLEGES.url]
    clipping.links = [
        {"kind": "actor", "code": str(fcpe.code), "label": "ancien nom", "url": ""},
        {"kind": "report", "code": "", "label": "dat/2026/81", "url": ""},
        {"kind": "actor", "code": str(foreign.code), "label": "Comité des fêtes"},
        {"kind": "actor", "code": "pas-un-uuid", "label": "Union locale"},
        "n'importe quoi",
    ]
    migration.links_to_relations(_Apps([clipping]), None)
    clipping = Clipping.objects.get(pk=clipping.pk)
    assert list(clipping.actors.all()) == [fcpe]
    assert list(clipping.reports.all()) == [report]
