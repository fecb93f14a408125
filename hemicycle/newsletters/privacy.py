"""The newsletters' and press entries of the register of processing activities
(core/privacy.py): subscribers with their proof of consent, the optional audience
measurement of a campaign, bounce reports, and the press mailings."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hemicycle.core.privacy import Processing
from hemicycle.newsletters import conf
from hemicycle.newsletters.models import Campaign, Subscriber

TRACKED_SHOWN = 5


def processings(workspace) -> list[Processing]:
    return [_subscribers(workspace), _tracking(workspace), _bounces(), _press(workspace)]


def _subscribers(workspace) -> Processing:
    counts = Subscriber.objects.filter(mailing_list__workspace=workspace).aggregate(
        subscribed=Count("id", filter=Q(status=Subscriber.Status.SUBSCRIBED)),
        pending=Count("id", filter=Q(status=Subscriber.Status.PENDING)))
    return Processing(
        title=_("Lettres d'information : abonné·e·s"),
        purpose=_("Envoyer les lettres d'information du groupe aux personnes qui les ont "
                  "demandées, et garder la preuve de leur demande."),
        lawful_basis=_("Consentement, recueilli par double confirmation (formulaire public "
                       "puis lien envoyé par e-mail), ou apporté par un import dont la "
                       "source est notée."),
        data=_("Adresse e-mail, nom (facultatif), état de l'inscription ; preuve du "
               "consentement : version exacte du texte affiché, date, adresse IP et "
               "navigateur de la demande puis de la confirmation ; date de désinscription "
               "ou d'erreur d'adresse."),
        retention=_("Tant que la personne reste inscrite. Après une désinscription, "
                    "l'adresse reste dans la liste d'opposition pour ne plus jamais lui "
                    "écrire ; la preuve du consentement est gardée avec elle. Une demande "
                    "non confirmée sous %(days)s jours reste sans effet et est supprimée "
                    "automatiquement (avec sa preuve). Effacement complet "
                    "sur demande (les envois gardent leurs totaux, sans l'adresse).")
        % {"days": conf.CONFIRM_DAYS},
        recipients=_("Les élu·e·s et l'équipe du groupe ; le serveur d'envoi de courriel "
                     "configuré. Aucune cession. Les archives publiques ne montrent que le "
                     "contenu des lettres, jamais les destinataires."),
        notes=(ngettext("%(n)s personne inscrite", "%(n)s personnes inscrites",
                        counts["subscribed"]) % {"n": counts["subscribed"]}
               + " · " + ngettext("%(n)s demande en attente de confirmation",
                                  "%(n)s demandes en attente de confirmation",
                                  counts["pending"]) % {"n": counts["pending"]},
               _("Chaque message contient un lien de désinscription et l'en-tête "
                 "List-Unsubscribe (désinscription en un clic).")),
        url=reverse("newsletters:index", args=[workspace.slug]),
    )


def _tracking(workspace) -> Processing:
    tracked = Campaign.objects.filter(Q(track_opens=True) | Q(track_clicks=True),
                                      workspace=workspace).order_by("-created_at")
    count = tracked.count()
    if count:
        names = ", ".join(f"« {c.subject} »" for c in tracked[:TRACKED_SHOWN])
        state = ngettext("Activée pour %(n)s campagne : %(names)s.",
                         "Activée pour %(n)s campagnes, dont : %(names)s.",
                         count) % {"n": count, "names": names}
    else:
        state = _("Désactivée pour toutes les campagnes (réglage par défaut).")
    return Processing(
        title=_("Lettres d'information : mesure d'audience (facultative)"),
        purpose=_("Savoir combien de destinataires ouvrent une lettre et suivent ses liens, "
                  "quand la campagne le demande ; désactivée par défaut."),
        lawful_basis=_("Consentement des destinataires à la mesure d'audience : la CNIL "
                       "demande de le recueillir pour les pixels de suivi et les liens "
                       "comptés dans les courriels (ils ne sont pas nécessaires à l'envoi)."),
        data=_("Par destinataire : date de la première ouverture, nombre de clics par lien. "
               "Aucune adresse IP, aucun navigateur."),
        retention=_("Gardées avec la campagne ; l'effacement d'une adresse (droit à "
                    "l'effacement) les détache de la personne."),
        recipients=_("Les élu·e·s et l'équipe du groupe, en totaux par campagne."),
        notes=(state,
               _("N'activez la mesure que pour une liste dont le texte de consentement "
                 "l'annonce et qui l'a recueillie.")),
    )


def _bounces() -> Processing:
    mailbox = conf.imap()
    if mailbox["host"]:
        where = _("Boîte de retours lue : %(user)s sur %(host)s (dossier %(folder)s).") % {
            "user": mailbox["user"] or "—", "host": mailbox["host"],
            "folder": mailbox["folder"]}
    else:
        where = _("Aucune boîte de retours configurée : les avis de non-remise sont "
                  "appliqués quand ils sont importés (commande fetch_bounces).")
    return Processing(
        title=_("Lettres d'information : retours d'erreur (bounces)"),
        purpose=_("Ne plus écrire aux adresses qui n'existent plus, comme le demandent les "
                  "serveurs de messagerie."),
        lawful_basis=_("Intérêt légitime (bon fonctionnement des envois) et obligation de "
                       "respecter les refus."),
        data=_("Avis de non-remise (adresse en échec, code d'erreur, message d'origine) "
               "lus dans la boîte de retours ; seule la date d'erreur est gardée sur "
               "l'adresse, qui rejoint la liste d'opposition."),
        retention=_("Les avis lus sont supprimés de la boîte de retours ; la liste "
                    "d'opposition est gardée tant que le groupe envoie des lettres."),
        recipients=_("Les élu·e·s et l'équipe du groupe ; l'hébergeur de la boîte."),
        notes=(where,),
    )


def _press(workspace) -> Processing:
    return Processing(
        title=_("Presse : communiqués et conférences"),
        purpose=_("Envoyer les communiqués et invitations du groupe aux journalistes ; "
                  "noter qui est venu aux conférences de presse."),
        lawful_basis=_("Intérêt légitime : les journalistes sont contactés dans le cadre de "
                       "leur activité professionnelle, et peuvent s'y opposer en un clic."),
        data=_("Nom, média et adresse e-mail professionnelle des journalistes (fiches de "
               "l'annuaire des acteurs et adresses ajoutées à la main) ; présent·e·s aux "
               "conférences ; contact presse du groupe sur chaque communiqué."),
        retention=_("Celle de l'annuaire des acteurs pour les fiches ; les envois gardent "
                    "leurs destinataires tant que la campagne existe."),
        recipients=_("Les élu·e·s et l'équipe du groupe ; le serveur d'envoi de courriel."),
        url=reverse("newsletters:press-index", args=[workspace.slug]),
    )
