"""Demo data: a website, a Mastodon and a Bluesky account (made-up credentials, never
contacted until real ones are entered), a few posts at each step of the workflow, a quote
card; the scheduled post goes to the website and both networks.
Idempotent: each object is found again by its ``source`` or name."""

import datetime

from django.db import transaction
from django.utils import timezone

from hemicycle.accounts.roles import Role
from hemicycle.publishing import services
from hemicycle.publishing.models import Channel, Post, QuoteCard

DEMO_SECRET = "identifiant-de-demonstration-a-remplacer"

CHANNELS = [
    ("Site du groupe", Channel.Kind.WORDPRESS, "https://site-du-groupe.demo.invalid/",
     "equipe-com"),
    ("Mastodon du groupe", Channel.Kind.MASTODON, "https://mastodon.demo.invalid", ""),
    ("Bluesky du groupe", Channel.Kind.BLUESKY, "https://bluesky.demo.invalid",
     "ecologistes-nord.bsky.social"),
]

QUOTE = ("Un repas bio et local pour chaque collégien du Nord : ce n’est pas un luxe, "
         "c’est une question de santé publique.")

# source, title, text, status, days from now (None: unscheduled)
POSTS = [
    ("demo:cantines", "Cantines des collèges : notre vœu adopté",
     "Notre vœu pour 50 % de produits bio et locaux dans les cantines des collèges du Nord "
     "a été adopté en séance plénière. Merci aux parents d’élèves et aux agriculteurs de "
     "l’Avesnois qui se sont mobilisés ! #Nord #Cantines", Post.Status.SCHEDULED, 2),
    ("demo:mobilites", "Mobilités rurales : réunion publique à Avesnes-sur-Helpe",
     "Jeudi à 18 h 30, salle des fêtes d’Avesnes-sur-Helpe : réunion publique sur les "
     "transports à la demande dans le Sud du département. Venez nombreuses et nombreux.",
     Post.Status.TO_VALIDATE, None),
    ("demo:budget", "Budget 2027 : nos propositions",
     "Rénovation thermique des collèges, aide aux associations de Roubaix et Tourcoing, "
     "plan vélo départemental : découvrez nos propositions pour le budget 2027.",
     Post.Status.DRAFT, None),
]


@transaction.atomic
def demo_publishing(result) -> dict[str, int]:
    workspace, admin = result.workspace, result.users[Role.ADMIN]
    made = {"channels": 0, "posts": 0, "cards": 0}
    channels = []
    for name, kind, base_url, account in CHANNELS:
        channel = Channel.objects.filter(workspace=workspace, name=name).first()
        if channel is None:
            channel = services.channel_save(workspace=workspace, name=name, kind=kind,
                                            base_url=base_url, account=account,
                                            secret=DEMO_SECRET)
            channel.is_placeholder = True
            channel.save(update_fields=["is_placeholder"])
            made["channels"] += 1
        channels.append(channel)
    card = QuoteCard.objects.filter(workspace=workspace, quote=QUOTE).first()
    if card is None:
        card = services.quote_card_create(
            workspace=workspace, by=admin, quote=QUOTE, speaker_name="Maëlle Dufresne",
            speaker_title="Co-présidente du groupe, conseillère départementale",
            format=QuoteCard.Format.SQUARE)
        made["cards"] += 1
    for source, title, text, status, days in POSTS:
        if Post.objects.filter(workspace=workspace, source=source).exists():
            continue
        texts = [services.ChannelText(c, text) for c in channels]
        post = services.post_save(workspace=workspace, by=admin, title=title, body=text,
                                  texts=texts, source=source)
        made["posts"] += 1
        if status == Post.Status.TO_VALIDATE:
            services.post_transition(post=post, action="submit", by=admin)
        if status == Post.Status.SCHEDULED:
            services.post_quote_card_attach(post=post, card=card)
            services.post_transition(post=post, action="validate", by=admin)
            when = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
            services.post_schedule(post=post, at=when + datetime.timedelta(days=days), by=admin)
    return made
