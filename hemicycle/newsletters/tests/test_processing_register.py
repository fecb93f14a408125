"""The register of processing activities: the newsletters, press, media watch and
publishing entries on the directory's GDPR page, with what this workspace turned on."""

from html import escape

import pytest
from django.urls import reverse

from hemicycle.core.privacy import PROCESSING_DESCRIBERS, Processing, processing_list
from hemicycle.newsletters import campaigns
from hemicycle.newsletters.tests.conftest import add_subscribers
from hemicycle.publishing.models import Channel

pytestmark = pytest.mark.django_db


def privacy_page(client, workspace) -> str:
    response = client.get(reverse("actors:privacy", args=[workspace.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_every_communication_module_declares_its_processing(workspace):
    assert {"newsletters", "mediawatch", "publishing"} <= set(PROCESSING_DESCRIBERS)
    titles = [p.title for p in processing_list(workspace)]
    assert titles == [
        "Lettres d'information : abonné·e·s",
        "Lettres d'information : mesure d'audience (facultative)",
        "Lettres d'information : retours d'erreur (bounces)",
        "Presse : communiqués et conférences",
        "Publications : site et réseaux sociaux",
        "Veille médiatique",
    ]
    for processing in processing_list(workspace):
        assert isinstance(processing, Processing)
        assert all([processing.purpose, processing.lawful_basis, processing.data,
                    processing.retention, processing.recipients])


def test_the_gdpr_page_shows_the_newsletter_processing_with_its_proof_of_consent(
        bob_client, workspace, mailing_list):
    add_subscribers(mailing_list, ["ana@example.org", "marc@example.org"])
    body = privacy_page(bob_client, workspace)
    assert body.count('data-testid="processing-entry"') == len(processing_list(workspace))
    assert "Lettres d&#x27;information : abonné·e·s" in body
    assert "double confirmation" in body and "version exacte du texte affiché" in body
    assert "2 personnes inscrites" in body
    assert "List-Unsubscribe" in body
    assert f'href="{reverse("newsletters:index", args=[workspace.slug])}"' in body
    assert "Veille médiatique" in body and "Publications : site et réseaux sociaux" in body


def test_tracking_is_declared_off_until_a_campaign_turns_it_on_with_the_cnil_note(
        bob_client, workspace, other_workspace, mailing_list):
    body = privacy_page(bob_client, workspace)
    assert "Désactivée pour toutes les campagnes (réglage par défaut)." in body
    assert "CNIL" in body
    # Another workspace's tracked campaign changes nothing here.
    campaigns.campaign_create(workspace=other_workspace, subject="Lettre d'ailleurs",
                              body="Bonjour.", extra_addresses="x@example.org",
                              track_opens=True)
    assert "Désactivée pour toutes les campagnes" in privacy_page(bob_client, workspace)

    campaigns.campaign_create(workspace=workspace, subject="La lettre de novembre",
                              body="Bonjour.", mailing_list=mailing_list, track_clicks=True)
    body = privacy_page(bob_client, workspace)
    assert "Désactivée pour toutes les campagnes" not in body
    assert "Activée pour 1 campagne : « La lettre de novembre »." in body
    assert escape("Lettre d'ailleurs") not in body


def test_the_bounce_mailbox_is_named_when_one_is_configured(bob_client, workspace, settings):
    settings.NEWSLETTER_IMAP_HOST = ""
    assert "Aucune boîte de retours configurée" in privacy_page(bob_client, workspace)
    settings.NEWSLETTER_IMAP_HOST = "imap.ecolo-nord.example"
    settings.NEWSLETTER_IMAP_USER = "retours@ecolo-nord.example"
    body = privacy_page(bob_client, workspace)
    assert "retours@ecolo-nord.example sur imap.ecolo-nord.example" in body


def test_publishing_names_the_active_channels_and_warns_about_platforms_outside_the_eu(
        bob_client, workspace):
    Channel.objects.create(workspace=workspace, name="Site du groupe",
                           kind=Channel.Kind.WORDPRESS)
    body = privacy_page(bob_client, workspace)
    assert "Canaux actifs : Site du groupe (Site WordPress)." in body
    assert "hors de l&#x27;Union européenne" not in body
    Channel.objects.create(workspace=workspace, name="Page Facebook du groupe",
                           kind=Channel.Kind.FACEBOOK)
    assert "hors de l&#x27;Union européenne" in privacy_page(bob_client, workspace)
