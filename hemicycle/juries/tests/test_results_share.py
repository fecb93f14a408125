"""“Partager les résultats”: a campaign's final results become a draft post in the
editorial calendar, through hemicycle.core.sharing and the real publishing handler."""

import pytest
from django.apps import apps
from django.urls import reverse

from hemicycle.core import sharing
from hemicycle.juries.models import Allocation, College, Juror
from hemicycle.juries.services import allocation as allocation_services
from hemicycle.juries.services import results, scoring
from hemicycle.juries.tests.conftest import make_application
from hemicycle.territory.models import Commune

pytestmark = pytest.mark.django_db

NNBSP, NBSP = "\u202f", "\u00a0"


def euros(figure: str) -> str:
    """euros("9 000") → "9 000 €" with French spaces: narrow no-break between thousands,
    no-break before the sign."""
    return figure.replace(" ", NNBSP) + NBSP + "€"


def posts(workspace):
    return apps.get_model("publishing", "Post").objects.filter(workspace=workspace)


@pytest.fixture
def scored(campaign):
    """Four projects scored by an appointed college of three: the ranking by score funds
    the first two (9 000 € + 8 000 € of 20 000 €)."""
    campaign.envelope = 20000
    campaign.save()
    lille = Commune.objects.filter(insee_code="59350").first()
    projects = [
        ("Jardin partagé des Moulins", "Les Jardins de Moulins", 9000),
        ("Repair café de Wazemmes", "Atelier Vélo Wazemmes", 8000),
        ("Fresque <b>du</b> quartier", "Collectif Fives en couleurs", 6000),
        ("Ciné-débat climat", "Ciné-Ligue Nord", 5000)]
    applications = [make_application(campaign, n, amount, title=title, structure_name=who,
                                     commune=lille)
                    for n, (title, who, amount) in enumerate(projects, start=1)]
    college = College.objects.create(workspace=campaign.workspace, campaign=campaign,
                                     name="Élu·e·s et associations", seats=3)
    criteria = list(campaign.criteria.all())
    marks = {"Nadia Benali": [5, 4, 2, 1], "Bruno Delattre": [4, 5, 3, 1],
             "Chloé Vermeersch": [4, 4, 3, 2]}
    for name, values in marks.items():
        juror = Juror.objects.create(workspace=campaign.workspace, campaign=campaign,
                                     college=college, name=name,
                                     email=f"{name.split()[0].lower()}@example.org")
        for application, value in zip(applications, values, strict=True):
            scoring.review_save(juror=juror, application=application, conflict=False,
                                approved=value >= 4, scores={str(c.pk): value for c in criteria})
    return campaign


def adopt(client, workspace, campaign) -> Allocation:
    allocation = allocation_services.allocation_run(campaign=campaign, rule="greedy_score",
                                                    by=None)
    client.post(reverse("juries:allocation-detail", args=[workspace.slug, allocation.code]))
    allocation.refresh_from_db()
    assert allocation.adopted
    return allocation


@pytest.fixture
def final(sam_client, workspace, scored):
    """The decision adopted and the public results page online."""
    adopt(sam_client, workspace, scored)
    scored.published = True
    scored.save()
    return scored


def share_url(workspace, campaign) -> str:
    return reverse("juries:campaign-results-share", args=[workspace.slug, campaign.code])


def detail_url(workspace, campaign) -> str:
    return reverse("juries:campaign-detail", args=[workspace.slug, campaign.code])


def test_a_staff_member_shares_final_results_and_gets_a_draft_post(sam_client, sam, workspace,
                                                                   final):
    page = sam_client.get(detail_url(workspace, final)).content.decode()
    assert 'data-testid="share-results"' in page and "Partager les résultats" in page

    response = sam_client.post(share_url(workspace, final))

    post = posts(workspace).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("publishing:post-edit",
                                           args=[workspace.slug, post.code])
    assert sam_client.get(response["Location"]).status_code == 200
    assert post.status == "draft" and post.author == sam
    assert post.title == "Résultats — AIL Lille-3 test"
    assert post.source == f"juries.campaign:{final.code}"
    assert post.link == f"http://testserver/appels/{final.public_slug}/"
    assert "Jardin partagé des Moulins" in sam_client.get(post.link).content.decode()
    body = post.body
    assert body.startswith(f"2 projets financés pour {euros('17 000')} sur une enveloppe "
                           f"de {euros('20 000')} :\n")
    assert "- Jardin partagé des Moulins (Les Jardins de Moulins, Lille) : " \
           + euros("9 000") in body
    assert "- Repair café de Wazemmes (Atelier Vélo Wazemmes, Lille) : " \
           + euros("8 000") in body
    assert "Fresque" not in body and "Ciné-débat" not in body
    assert ("Méthode : un jury de 3 membres (Élu·e·s et associations (désigné)) a noté "
            "les dossiers sur 3 critères ; répartition selon la règle « Classement par note "
            "pondérée (glouton) ».") in body
    assert "<table>" in post.html
    assert "<td>Jardin partagé des Moulins</td>" in post.html
    assert f'<a href="http://testserver/appels/{final.public_slug}/">' in post.html
    assert euros("17 000") in post.html


def test_the_share_button_also_sits_on_the_adopted_allocation(sam_client, workspace, final):
    allocation = allocation_services.adopted(final)
    page = sam_client.get(reverse("juries:allocation-detail",
                                  args=[workspace.slug, allocation.code])).content.decode()
    assert 'data-testid="share-results"' in page


def test_sharing_is_refused_before_results_exist(sam_client, workspace, scored):
    page = sam_client.get(detail_url(workspace, scored)).content.decode()
    assert 'data-testid="share-results"' not in page

    response = sam_client.post(share_url(workspace, scored), follow=True)

    assert response.redirect_chain[-1][0] == detail_url(workspace, scored)
    assert "Les résultats ne sont pas définitifs" in response.content.decode()
    assert not posts(workspace).exists()


def test_sharing_is_refused_while_the_results_page_is_offline(sam_client, workspace, scored):
    adopt(sam_client, workspace, scored)
    assert not scored.published
    response = sam_client.post(share_url(workspace, scored), follow=True)
    assert "Les résultats ne sont pas définitifs" in response.content.decode()
    assert not posts(workspace).exists()


def test_an_observer_cannot_share_the_results(bob_client, workspace, final):
    page = bob_client.get(detail_url(workspace, final)).content.decode()
    assert 'data-testid="share-results"' not in page
    assert bob_client.post(share_url(workspace, final)).status_code == 403
    assert not posts(workspace).exists()


def test_an_elected_member_without_write_cannot_share_the_results(elodie_client, workspace,
                                                                  final):
    assert elodie_client.post(share_url(workspace, final)).status_code == 403
    assert not posts(workspace).exists()


def test_an_outsider_cannot_share_the_results(charlie_client, charlie, workspace, final):
    assert charlie_client.post(share_url(workspace, final)).status_code == 404
    own = charlie.memberships.first().workspace
    assert charlie_client.post(share_url(own, final)).status_code == 404
    assert not posts(workspace).exists()


def test_sharing_needs_a_post(sam_client, workspace, final):
    assert sam_client.get(share_url(workspace, final)).status_code == 405


def test_the_share_button_is_hidden_without_a_publishing_module(sam_client, workspace, final,
                                                                monkeypatch):
    monkeypatch.setattr(sharing, "_HANDLER", [])
    page = sam_client.get(detail_url(workspace, final)).content.decode()
    assert 'data-testid="share-results"' not in page
    assert sam_client.post(share_url(workspace, final)).status_code == 404


def test_the_shared_text_escapes_titles_in_the_website_html(sam, workspace, final,
                                                           monkeypatch):
    received = []

    def handler(request):
        received.append(request)
        return "/brouillon/1/"

    monkeypatch.setattr(sharing, "_HANDLER", [handler])
    fresque = final.applications.get(number=3)
    fresque.status, fresque.granted_amount = "granted", 1500
    fresque.save()
    results.campaign_results_share(campaign=final, by=sam, link="https://example.org/r/")
    shared = received[0]
    assert "Fresque &lt;b&gt;du&lt;/b&gt; quartier" in shared.html
    assert "<b>du</b>" not in shared.html
    assert "- Fresque <b>du</b> quartier (Collectif Fives en couleurs, Lille) : " \
           + euros("1 500") in shared.body
    assert shared.body.startswith(f"3 projets financés pour {euros('18 500')} ")


def test_a_manual_decision_shows_its_justification_in_the_method_line(sam, workspace, final):
    allocation = allocation_services.adopted(final)
    allocation.justification = "Projet 4 imposé :\nseul projet\nde Fives."
    allocation.save()
    line = results.campaign_results_method(final, allocation)
    assert line.endswith("Décision manuelle justifiée : Projet 4 imposé : seul projet de "
                         "Fives.")
