from django import forms
from django.utils.translation import gettext_lazy as _

from hemicycle.mediawatch import matching
from hemicycle.mediawatch.models import Clipping, KeywordRule, Source
from hemicycle.mediawatch.queries import LINK_CHOICES_SHOWN, link_candidates, query_error_message

TOPIC_SEPARATOR = ","


class SourceForm(forms.ModelForm):
    url = forms.URLField(label=_("Adresse"), max_length=1000, assume_scheme="https",
                         help_text=_("L'adresse du flux RSS ou Atom, ou de la page "
                                     "d'actualités."))

    class Meta:
        model = Source
        # `url` is declared above (https by default), so kept out of the model's fields.
        fields = ["name", "kind", "link_pattern", "interval_minutes", "active"]

    field_order = ["name", "kind", "url", "link_pattern", "interval_minutes", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("url", self.instance.url)

    def clean_interval_minutes(self) -> int:
        minutes = self.cleaned_data["interval_minutes"]
        if minutes < 5:
            raise forms.ValidationError(_("Pas plus d'un relevé toutes les 5 minutes."))
        return minutes


class RuleForm(forms.ModelForm):
    class Meta:
        model = KeywordRule
        fields = ["name", "query", "active"]
        widgets = {"query": forms.Textarea(attrs={"rows": 3})}

    def clean_query(self) -> str:
        text = self.cleaned_data["query"].strip()
        try:
            matching.query_parse(text)
        except matching.QueryError as error:
            raise forms.ValidationError(query_error_message(error)) from error
        return text


class TagForm(forms.Form):
    tone = forms.ChoiceField(label=_("Tonalité"), required=False,
                             choices=[("", _("Non précisée")), *Clipping.Tone.choices])
    topics = forms.CharField(
        label=_("Thèmes"), required=False, max_length=600,
        help_text=_("Séparés par des virgules, par exemple : collèges, mobilités."))

    def clean_topics(self) -> list[str]:
        names = [n.strip() for n in self.cleaned_data["topics"].split(TOPIC_SEPARATOR)]
        names = [n for n in names if n]
        if any(len(n) > 60 for n in names):
            raise forms.ValidationError(_("Un thème fait au plus 60 caractères."))
        if len(names) > 10:
            raise forms.ValidationError(_("Pas plus de 10 thèmes par article."))
        return names


class LinkForm(forms.Form):
    """Link to an actor of the directory or a council report, found by name or number."""

    KINDS = [("actor", _("Acteur·rice de l'annuaire")), ("report", _("Rapport du conseil"))]

    kind = forms.ChoiceField(label=_("Lier à"), choices=KINDS)
    label = forms.CharField(label=_("Nom ou numéro"), max_length=200,
                            help_text=_("Par exemple : FCPE du Nord, ou DAT/2026/81."))

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.target = None

    def clean(self):
        data = super().clean()
        kind, text = data.get("kind"), (data.get("label") or "").strip()
        if not kind or not text:
            return data
        found = link_candidates(self.workspace, kind, text)
        if not found:
            raise forms.ValidationError(_("Aucune fiche ne correspond à « %(text)s ».")
                                        % {"text": text})
        if len(found) > 1:
            names = " ; ".join(str(obj) for obj in found[:LINK_CHOICES_SHOWN])
            raise forms.ValidationError(
                _("Plusieurs fiches correspondent, précisez : %(names)s.") % {"names": names})
        data["target"] = self.target = found[0]
        return data


class DigestSubscriptionForm(forms.Form):
    """When the daily digest arrives: a time of day in one of the French time zones."""

    send_at = forms.TimeField(label=_("Heure d'envoi"),
                              widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                              error_messages={"invalid": _("Indiquez une heure, par exemple "
                                                           "07:00.")})
    time_zone = forms.ChoiceField(label=_("Fuseau horaire"))

    def __init__(self, *args, **kwargs):
        from hemicycle.mediawatch.services.digest import DIGEST_ZONES

        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = DIGEST_ZONES
