"""The demo's media watch: sources that are not polled, clippings with grouped copies."""

import pytest

from hemicycle.core.demo import demo_build
from hemicycle.mediawatch import services
from hemicycle.mediawatch.demo import ARTICLES, COPIES
from hemicycle.mediawatch.models import Alert, Clipping, KeywordRule, Sighting, Source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mediawatch_demo_only")]


def test_the_demo_files_every_copy_under_its_original_and_is_idempotent():
    demo = demo_build(territory=False)
    workspace = demo.workspace
    clippings = Clipping.objects.filter(workspace=workspace)
    assert clippings.count() == len(ARTICLES)
    assert Sighting.objects.filter(workspace=workspace).count() == len(ARTICLES) + len(COPIES)
    matches = Sighting.objects.filter(workspace=workspace).exclude(match="first")
    assert sorted(matches.values_list("match", flat=True)) == sorted(
        ["url"] * 2 + ["content"] * 1 + ["near"] * 5)
    budget = clippings.get(title__startswith="Budget 2027")
    assert budget.sightings.count() == 3
    assert Alert.objects.filter(clipping=budget, rule__name="Collèges").exists()
    # The élu·e·s' names became a rule, which caught the articles that cite them.
    elected = KeywordRule.objects.get(workspace=workspace, preset="elected")
    assert elected.alerts.filter(clipping__title__contains="Wattebled").exists()

    again = demo_build(territory=False)
    assert again.counts["mediawatch.clippings"] == 0
    assert clippings.count() == len(ARTICLES)


def test_demo_sources_are_never_polled_automatically():
    demo_build(territory=False)
    assert Source.objects.filter(is_demo=True).count() == 5
    assert not services.sources_due().filter(is_demo=True).exists()
