"""Publishing's entry in the register of processing activities (core/privacy.py): posts
and quote cards name people (and show their photo), and go to platforms run by others."""

from django.urls import reverse
from django.utils.translation import gettext as _

from hemicycle.core.privacy import Processing
from hemicycle.publishing.models import Channel

# Platforms whose operator is established outside the European Union.
OUTSIDE_EU = {Channel.Kind.FACEBOOK, Channel.Kind.INSTAGRAM, Channel.Kind.X,
              Channel.Kind.BLUESKY}


def processings(workspace) -> list[Processing]:
    channels = list(Channel.objects.filter(workspace=workspace, is_active=True))
    names = ", ".join(str(c) for c in channels) or _("aucun pour l'instant")
    notes = [_("Canaux actifs : %(names)s.") % {"names": names}]
    if any(c.kind in OUTSIDE_EU for c in channels):
        notes.append(_("Certains canaux sont exploités hors de l'Union européenne (Meta, X, "
                       "Bluesky) : ce qui y est publié relève aussi de leurs conditions."))
    return [Processing(
        title=_("Publications : site et réseaux sociaux"),
        purpose=_("Publier l'action du groupe sur son site et ses comptes de réseaux "
                  "sociaux ; préparer des visuels de citation."),
        lawful_basis=_("Intérêt légitime (communication publique d'élu·e·s sur leur "
                       "mandat) ; accord de la personne citée ou photographiée quand elle "
                       "n'est pas élue du groupe."),
        data=_("Textes publiés, qui peuvent nommer des personnes ; visuels de citation "
               "(citation, nom, fonction et photo de la personne citée) ; images et leur "
               "texte alternatif ; identifiants des comptes, chiffrés."),
        retention=_("Brouillons et publications gardés comme historique de communication "
                    "du groupe, jusqu'à leur suppression ; la copie publiée reste sur "
                    "chaque plateforme jusqu'à son retrait là-bas."),
        recipients=_("Le public, par le site et les réseaux choisis pour chaque "
                     "publication ; les plateformes qui les hébergent."),
        notes=tuple(notes),
        url=reverse("publishing:calendar", args=[workspace.slug]),
    )]
