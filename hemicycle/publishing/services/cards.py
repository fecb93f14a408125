"""Quote cards: drawn with Pillow (quotecard.py) in the workspace's colours and logo."""

from django.core.files.base import ContentFile
from django.db import transaction

from hemicycle.accounts.models import Workspace
from hemicycle.publishing import quotecard
from hemicycle.publishing.models import QuoteCard


@transaction.atomic
def quote_card_create(*, workspace: Workspace, by, quote: str, speaker_name: str,
                      speaker_title: str = "", photo=None, format: str) -> QuoteCard:
    card = QuoteCard(workspace=workspace, author=by, quote=quote.strip(),
                     speaker_name=speaker_name.strip(), speaker_title=speaker_title.strip(),
                     format=format)
    if photo:
        card.photo = photo
    card.save()
    quote_card_render(card)
    return card


def quote_card_render(card: QuoteCard) -> QuoteCard:
    workspace = card.workspace
    photo = logo = None
    if card.photo:
        with card.photo.open("rb") as handle:
            photo = handle.read()
    if workspace.logo:
        try:
            with workspace.logo.open("rb") as handle:
                logo = handle.read()
        except OSError:
            logo = None
    data = quotecard.render(quotecard.Card(
        quote=card.quote, speaker=card.speaker_name, title=card.speaker_title, photo=photo,
        logo=logo, primary=workspace.primary_color, secondary=workspace.secondary_color,
        size=card.size))
    card.image.save(f"carte-{card.code}.png", ContentFile(data), save=False)
    card.save(update_fields=["image", "updated_at"])
    return card
