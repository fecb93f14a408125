from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemicycle.publishing import limits
from hemicycle.publishing.models import Channel, Post, QuoteCard


def _https_urls(field: models.Field, **kwargs) -> forms.Field:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class ChannelForm(forms.ModelForm):
    """A channel's settings. The secret is never shown back: empty keeps the stored one."""


    secret = forms.CharField(
        label=_("Mot de passe d’application ou jeton d’accès"), required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Chiffré dans la base, jamais réaffiché. Laissez vide pour garder "
                    "celui qui est enregistré."),
    )
    visibility = forms.ChoiceField(
        label=_("Visibilité des messages (Mastodon)"), required=False, initial="public",
        choices=[("public", _("Public")), ("unlisted", _("Public discret")),
                 ("private", _("Abonné·e·s seulement"))],
    )
    wp_status = forms.ChoiceField(
        label=_("Sur le site WordPress, publier comme"), required=False, initial="publish",
        choices=[("publish", _("Article publié")), ("draft", _("Brouillon à relire sur le site"))],
    )
    wp_categories = forms.CharField(
        label=_("Catégories WordPress"), required=False,
        help_text=_("Séparées par des virgules ; créées sur le site si besoin."))
    wp_tags = forms.CharField(label=_("Étiquettes WordPress"), required=False,
                              help_text=_("Séparées par des virgules."))

    class Meta:
        model = Channel
        fields = ["name", "kind", "base_url", "account", "is_active"]
        formfield_callback = _https_urls
        help_texts = {
            "base_url": _("WordPress : l’adresse du site. Mastodon : l’instance "
                          "(https://mastodon.social). Bluesky : https://bsky.social. "
                          "Facebook, Instagram, X : laisser vide."),
            "account": _("WordPress : l’identifiant de connexion. Bluesky : l’identifiant "
                         "(nom.bsky.social). Facebook : l’identifiant de la page. Instagram : "
                         "l’identifiant du compte professionnel. X : le nom du compte."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = self.instance.options if self.instance.pk else {}
        self.fields["visibility"].initial = options.get("visibility", "public")
        self.fields["wp_status"].initial = options.get("status", "publish")
        self.fields["wp_categories"].initial = ", ".join(options.get("categories", []))
        self.fields["wp_tags"].initial = ", ".join(options.get("tags", []))
        if not self.instance.pk:
            self.fields["secret"].help_text = _("Chiffré dans la base, jamais réaffiché.")

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in (Channel.Kind.WORDPRESS, Channel.Kind.MASTODON) and not data.get("base_url"):
            self.add_error("base_url", _("Indiquez l’adresse du site ou de l’instance."))
        needs_account = (Channel.Kind.WORDPRESS, Channel.Kind.BLUESKY, Channel.Kind.FACEBOOK,
                         Channel.Kind.INSTAGRAM)
        if kind in needs_account and not data.get("account"):
            self.add_error("account", _("Indiquez le compte."))
        if not data.get("secret") and not self.instance.credentials:
            self.add_error("secret", _("Indiquez le mot de passe ou le jeton d’accès."))
        return data

    def options(self) -> dict:
        data = self.cleaned_data
        split = lambda value: [v.strip() for v in value.split(",") if v.strip()]  # noqa: E731
        return {"visibility": data.get("visibility") or "public",
                "status": data.get("wp_status") or "publish",
                "categories": split(data.get("wp_categories", "")),
                "tags": split(data.get("wp_tags", ""))}


class PostForm(forms.Form):
    """The post and, for each channel of the workspace, a checkbox and its own text."""

    title = forms.CharField(
        label=_("Titre"), max_length=200,
        help_text=_("Le titre de l’article sur le site ; repère interne ailleurs."))
    body = forms.CharField(label=_("Texte commun"), required=False,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("Repris pour chaque canal dont le texte est laissé vide."))
    link = forms.URLField(label=_("Lien"), required=False, assume_scheme="https")
    scheduled_at = forms.DateTimeField(
        label=_("Date de publication souhaitée"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"])

    def __init__(self, *args, channels, post: Post | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.channels = list(channels)
        current = {p.channel_id: p for p in post.publications.all()} if post else {}
        for channel in self.channels:
            key = str(channel.code)
            self.fields[f"use_{key}"] = forms.BooleanField(
                label=str(channel), required=False, initial=channel.id in current)
            widget = forms.Textarea(attrs={
                "rows": 4, "data-counter": channel.kind,
                "data-limit": channel.limit or "", "class": "channel-text"})
            self.fields[f"text_{key}"] = forms.CharField(
                label=_("Texte pour %(channel)s") % {"channel": channel.name}, required=False,
                widget=widget, initial=current[channel.id].text if channel.id in current else "")

    def channel_rows(self):
        return [(channel, self[f"use_{channel.code}"], self[f"text_{channel.code}"])
                for channel in self.channels]

    def clean(self):
        data = super().clean()
        chosen = []
        for channel in self.channels:
            if not data.get(f"use_{channel.code}"):
                continue
            text = (data.get(f"text_{channel.code}") or "").strip() or (data.get("body") or "")
            if limits.over_limit(channel.kind, text):
                self.add_error(f"text_{channel.code}", _(
                    "Trop long pour %(channel)s : %(length)s sur %(limit)s.") % {
                    "channel": channel.get_kind_display(),
                    "length": limits.measure(channel.kind, text), "limit": channel.limit})
            chosen.append((channel, text))
        if not chosen:
            raise forms.ValidationError(_("Choisissez au moins un canal."))
        data["chosen"] = chosen
        return data


class PostImageForm(forms.Form):
    image = forms.ImageField(label=_("Image"))
    alt_text = forms.CharField(
        label=_("Texte alternatif"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ce que montre l’image, pour les personnes qui ne la voient pas."))


class ScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Date et heure"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])


class QuoteCardForm(forms.ModelForm):
    class Meta:
        model = QuoteCard
        fields = ["quote", "speaker_name", "speaker_title", "photo", "format"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 3, "maxlength": 400})}
