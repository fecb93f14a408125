"""The media watch's entry in the register of processing activities (core/privacy.py).

Articles are public press, but they name people, and the inbox can link them to people
of the directory: that is a processing of personal data, declared as such."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hemicycle.core.privacy import Processing
from hemicycle.mediawatch.models import DigestSubscription, Source


def processings(workspace) -> list[Processing]:
    sources = Source.objects.filter(workspace=workspace).count()
    readers = DigestSubscription.objects.filter(workspace=workspace).count()
    return [Processing(
        title=_("Veille médiatique"),
        purpose=_("Suivre ce que la presse et les sites publics disent du groupe, de ses "
                  "élu·e·s et des sujets du département ; relier un article aux acteurs "
                  "et aux rapports qu'il concerne ; envoyer une revue de presse quotidienne "
                  "aux membres qui la demandent."),
        lawful_basis=_("Intérêt légitime (suivi de l'actualité publique liée au mandat) ; "
                       "pour la revue quotidienne, la demande du membre."),
        data=_("Articles publiés (titre, auteur·e, texte, adresse) qui peuvent nommer des "
               "personnes ; liens vers les fiches de l'annuaire ; tonalité et thèmes "
               "notés par l'équipe. Pour la revue : le compte du membre, l'heure et le "
               "fuseau horaire choisis."),
        retention=_("Les articles sont gardés comme archive de presse du groupe ; un lien "
                    "vers une fiche disparaît quand la fiche est supprimée. "
                    "L'abonnement à la revue prend fin sur simple clic."),
        recipients=_("Les élu·e·s et l'équipe du groupe. Aucune cession ; les articles ne "
                     "sont pas republiés."),
        notes=(ngettext("%(n)s source suivie", "%(n)s sources suivies", sources)
               % {"n": sources} + " · "
               + ngettext("%(n)s membre reçoit la revue quotidienne",
                          "%(n)s membres reçoivent la revue quotidienne", readers)
               % {"n": readers},),
        url=reverse("mediawatch:clipping-list", args=[workspace.slug]),
    )]
