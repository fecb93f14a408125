"""Channels: their settings and encrypted secrets, their client, the connection test,
and the platform errors in plain French."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.accounts.models import Workspace
from hemicycle.publishing import crypto
from hemicycle.publishing.clients.base import PublishError
from hemicycle.publishing.models import Channel


@transaction.atomic
def channel_save(*, workspace: Workspace, channel: Channel | None = None, name: str, kind: str,
                 base_url: str = "", account: str = "", secret: str = "",
                 is_active: bool = True, options: dict | None = None) -> Channel:
    """Create or update a channel. An empty ``secret`` keeps the stored one; a new one
    turns a demo channel into a real one."""
    channel = channel or Channel(workspace=workspace)
    channel.name, channel.kind, channel.base_url = name, kind, base_url
    channel.account, channel.is_active = account, is_active
    if options is not None:
        channel.options = {**channel.options, **options}
    if secret:
        channel.set_secrets({"secret": secret})
        channel.session = ""
        channel.is_placeholder = False
    elif not channel.credentials:
        raise ValidationError(_("Indiquez le mot de passe ou le jeton d’accès."))
    channel.full_clean(exclude=["credentials", "session"])
    channel.save()
    return channel


def channel_client(channel: Channel, http=None):
    """The client of this channel's network, with its decrypted secret."""
    from hemicycle.publishing.clients import bluesky, mastodon, meta, wordpress, x

    if channel.is_placeholder:
        raise PublishError("placeholder")
    secret = channel.secrets().get("secret", "")
    kind = channel.kind
    if kind == Channel.Kind.WORDPRESS:
        return wordpress.WordPressClient(channel.base_url, channel.account, secret, http=http)
    if kind == Channel.Kind.MASTODON:
        return mastodon.MastodonClient(channel.base_url, secret, http=http)
    if kind == Channel.Kind.BLUESKY:
        return bluesky.BlueskyClient(
            channel.base_url, channel.account, secret,
            session=channel_session(channel), http=http,
            save_session=lambda session: channel_session_save(channel, session))
    if kind == Channel.Kind.FACEBOOK:
        return meta.FacebookClient(channel.base_url, channel.account, secret, http=http)
    if kind == Channel.Kind.INSTAGRAM:
        return meta.InstagramClient(channel.base_url, channel.account, secret, http=http)
    if kind == Channel.Kind.X:
        return x.XClient(channel.base_url, secret, http=http)
    raise PublishError("config", f"unknown kind {kind}")


def channel_session(channel: Channel) -> dict:
    return crypto.decrypt_json(channel.session)


def channel_session_save(channel: Channel, session: dict) -> None:
    channel.session = crypto.encrypt_json(session)
    Channel.objects.filter(pk=channel.pk).update(session=channel.session)


def channel_test(*, channel: Channel) -> tuple[bool, str]:
    """Ask the service who we are: (True, "@account") or (False, the reason in French)."""
    try:
        who = channel_client(channel).check()
    except PublishError as error:
        ok, message = False, error_message(error)
    else:
        ok, message = True, _("Connexion réussie : %(account)s.") % {"account": who}
    channel.last_checked_at = timezone.now()
    channel.last_check_error = "" if ok else message[:500]
    channel.save(update_fields=["last_checked_at", "last_check_error", "updated_at"])
    return ok, message


def error_message(error: PublishError) -> str:
    """The platform's error in plain French, with its own words after."""
    messages = {
        "auth": _("Le service a refusé les identifiants (mot de passe ou jeton invalide, "
                  "expiré ou sans les droits nécessaires)."),
        "rejected": _("Le service a refusé la publication."),
        "rate_limited": _("Le service limite le nombre de publications : nouvel essai "
                          "plus tard."),
        "server": _("Le service est momentanément indisponible."),
        "network": _("Le service est injoignable (réseau ou délai dépassé)."),
        "not_found": _("Adresse introuvable : vérifiez l’adresse du service."),
        "config": _("Le canal est incomplet : vérifiez sa configuration."),
        "placeholder": _("Canal de démonstration : il n’est jamais contacté tant que de "
                         "vrais identifiants n’ont pas été saisis."),
    }
    text = messages.get(error.kind, _("Erreur inattendue."))
    if error.detail:
        text += " " + _("Réponse du service : %(detail)s") % {"detail": error.detail}
    return text
