"""Fixtures of the council module's tests: a workspace with bodies, sittings, reports."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from hemicycle.council.models import Body, Sitting
from hemicycle.council.services.structure import report_save

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # spaCy's model costs seconds to load: the rules find organisations in these tests
    # (test_entities.py covers the NER).
    settings.COUNCIL_ORGANISATIONS_NER = False


@pytest.fixture
def plenary(workspace) -> Body:
    return Body.objects.create(workspace=workspace, name="Séance plénière",
                               kind=Body.Kind.PLENARY)


@pytest.fixture
def standing(workspace) -> Body:
    return Body.objects.create(workspace=workspace, name="Commission permanente",
                               kind=Body.Kind.STANDING_COMMITTEE)


@pytest.fixture
def sitting(workspace, standing) -> Sitting:
    return Sitting.objects.create(
        workspace=workspace, body=standing, title="Commission permanente de décembre",
        starts_at=timezone.now() + datetime.timedelta(days=10))


@pytest.fixture
def past_sitting(workspace, plenary) -> Sitting:
    return Sitting.objects.create(
        workspace=workspace, body=plenary, title="Séance plénière de juin",
        starts_at=timezone.make_aware(datetime.datetime(2025, 6, 23, 10)),
        status=Sitting.Status.HELD)


def make_report(workspace, sitting, number, title, text, **fields):
    return report_save(workspace=workspace, sitting=sitting, number=number, title=title,
                       text=text, **fields)
