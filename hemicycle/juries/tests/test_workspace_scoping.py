"""Every domain row of the app belongs to a workspace, child rows take their parent's,
queries for children are scoped to it, and the audit trail records them sensibly
(actions that fit the trail's columns on PostgreSQL, no volunteer's personal data)."""

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hemicycle.accounts.models import WorkspaceModel
from hemicycle.audit.models import AuditEvent
from hemicycle.juries.models import Attempt, Criterion, Draw, Review
from hemicycle.juries.services import applications, scoring
from hemicycle.juries.services import draws as draw_services
from hemicycle.juries.services.campaigns import campaign_criteria
from hemicycle.juries.tests.conftest import APPLICATION, make_application, make_drawn_college
from hemicycle.juries.tests.test_scoring import make_juror

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SEED = "Euromillions 2026-05-12 : 4 17 23 38 45"


def test_every_domain_model_of_the_app_is_a_workspace_model():
    technical = {Attempt}  # a rate-limit counter per IP, like accounts.LoginFailure
    plain = [m.__name__ for m in apps.get_app_config("juries").get_models()
             if not issubclass(m, WorkspaceModel) and m not in technical]
    assert plain == []


def test_child_rows_take_the_workspace_of_their_parent(campaign):
    workspace = campaign.workspace
    assert {c.workspace_id for c in Criterion.objects.filter(campaign=campaign)} == {
        workspace.pk}
    application = applications.application_submit(
        campaign=campaign, data={**APPLICATION, "people_reached": 300, "total_budget": 14200,
                                 "amount_requested": 8500},
        commune_name="Lille",
        files=[SimpleUploadedFile("statuts.pdf", PDF, content_type="application/pdf")])
    assert application.attachments.get().workspace == workspace
    college = make_drawn_college(campaign, volunteers=0)
    volunteer = draw_services.volunteer_register(
        college=college, features={"genre": "Femme", "âge": "jeune"}, first_name="Nora",
        last_name="Sow", email="nora@example.org", phone="", address="5 rue Gantois",
        postal_code="59000")
    assert volunteer.workspace == workspace
    eligible = make_application(campaign, 2, 5000)
    juror = make_juror(campaign)
    review = scoring.review_save(juror=juror, application=eligible, scores={},
                                 approved=True, conflict=False)
    assert review.workspace == workspace and review.code


def test_a_criterion_of_another_workspace_is_never_shown_with_the_campaign(
        sam_client, workspace, other_workspace, campaign):
    Criterion.objects.create(workspace=other_workspace, campaign=campaign,
                             label="Critère étranger", weight=9, position=99)
    assert "Critère étranger" not in [c.label for c in campaign_criteria(campaign)]
    page = sam_client.get(reverse("juries:campaign-detail", args=[workspace.slug,
                                                                  campaign.code]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Transition écologique" in body and "Critère étranger" not in body


def test_a_draw_is_recorded_in_the_trail_as_an_action_with_its_verb(campaign):
    """The trail's ``action`` column holds ten characters: a verb such as
    ``juries.draw`` goes in ``verb`` (PostgreSQL refuses it in ``action``)."""
    college = make_drawn_college(campaign)
    draw = draw_services.draw_create(college=college, seed=SEED, algorithm="leximin", by=None)
    event = AuditEvent.objects.get(verb="juries.draw", object_id=str(draw.pk))
    assert event.action == AuditEvent.Action.OTHER
    assert event.workspace_id == campaign.workspace_id
    assert SEED in event.message
    # The frozen pool and the probabilities are too bulky for the trail.
    created = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, object_id=str(draw.pk),
                                     content_type__model="draw")
    assert "pool" not in created.changes and "probabilities" not in created.changes
    assert Draw.objects.get().status == Draw.Status.DONE


def test_the_trail_keeps_no_personal_data_of_volunteers(campaign):
    college = make_drawn_college(campaign, volunteers=0)
    volunteer = draw_services.volunteer_register(
        college=college, features={"genre": "Femme", "âge": "jeune"}, first_name="Nora",
        last_name="Sow", email="nora@example.org", phone="0601020304",
        address="5 rue Gantois", postal_code="59000")
    event = AuditEvent.objects.get(content_type__model="volunteer",
                                   object_id=str(volunteer.pk))
    assert event.changes["pseudonym"] == [None, volunteer.pseudonym]
    assert draw_services.volunteers_purge(campaign=campaign) == 1
    everything = " ".join(str(e.changes) + e.message + e.object_repr
                          for e in AuditEvent.objects.all())
    for personal in ("Nora", "Sow", "nora@example.org", "0601020304", "Gantois"):
        assert personal not in everything


def test_reviews_are_audited_with_their_juror_and_application(campaign):
    application = make_application(campaign, 1, 5000)
    juror = make_juror(campaign)
    criteria = list(campaign_criteria(campaign))
    scoring.review_save(juror=juror, application=application,
                        scores={str(c.pk): 4 for c in criteria}, approved=True,
                        conflict=False)
    review = Review.objects.get()
    event = AuditEvent.objects.get(content_type__model="review", object_id=str(review.pk))
    assert event.action == AuditEvent.Action.CREATE
    assert event.changes["juror"][1] == str(juror)
