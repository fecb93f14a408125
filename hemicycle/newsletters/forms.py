from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from hemicycle.newsletters.models import (
    Campaign,
    MailingList,
    PressConference,
    PressRelease,
)
from hemicycle.newsletters.services import audience_choices


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _emails(value: str) -> list[str]:
    emails = [line.strip().lower() for line in value.replace(",", "\n").replace(";", "\n")
              .splitlines() if line.strip()]
    bad = []
    for email in emails:
        try:
            validate_email(email)
        except forms.ValidationError:
            bad.append(email)
    if bad:
        raise forms.ValidationError(
            _("Adresses invalides : %(bad)s") % {"bad": ", ".join(bad[:5])})
    return emails


class MailingListForm(forms.ModelForm):
    class Meta:
        model = MailingList
        fields = ["name", "description", "consent_text", "is_open"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "consent_text": forms.Textarea(attrs={"rows": 4})}


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Votre e-mail"))
    name = forms.CharField(label=_("Votre nom (facultatif)"), max_length=150, required=False)
    consent = forms.BooleanField(label=_("J'accepte"), required=True, error_messages={
        "required": _("Cochez la case pour donner votre accord.")})
    consent_version = forms.IntegerField(widget=forms.HiddenInput)
    # The honeypot: hidden from people by CSS, filled in by robots.
    website = forms.CharField(required=False, label=_("Ne pas remplir"))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_("Une colonne d'adresses e-mail, et si vous voulez une colonne de noms."))
    consent_confirmed = forms.BooleanField(
        label=_("Ces personnes ont donné leur accord pour recevoir cette lettre."),
        error_messages={"required": _("Sans leur accord, ces adresses ne peuvent pas être "
                                      "importées.")})


class EmailsForm(forms.Form):
    emails = forms.CharField(
        label=_("Adresses"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Une adresse par ligne."))

    def clean_emails(self) -> list[str]:
        return _emails(self.cleaned_data["emails"])


class EraseForm(forms.Form):
    email = forms.EmailField(label=_("Adresse à effacer"))


class CampaignForm(forms.ModelForm):
    audience = forms.ChoiceField(label=_("Public de l'annuaire"), required=False)

    class Meta:
        model = Campaign
        fields = ["subject", "preheader", "body", "layout", "mailing_list", "audience",
                  "extra_addresses", "in_archive", "track_opens", "track_clicks"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16}),
                   "extra_addresses": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mailing_list"].queryset = MailingList.objects.filter(
            workspace=workspace, archived=False)
        kind = self.instance.kind if self.instance.pk else Campaign.Kind.NEWSLETTER
        purpose = "newsletter" if kind == Campaign.Kind.NEWSLETTER else "press"
        self.fields["audience"].choices = [("", _("— aucun —")),
                                           *audience_choices(workspace, purpose)]

    def clean_extra_addresses(self) -> str:
        return "\n".join(_emails(self.cleaned_data["extra_addresses"]))


class TestSendForm(forms.Form):
    email = forms.EmailField(label=_("Envoyer un essai à"))


class ScheduleForm(forms.Form):
    when = forms.DateTimeField(
        label=_("Programmer pour"), required=False, widget=_datetime_input(),
        help_text=_("Laissez vide pour envoyer maintenant."))


class BounceUploadForm(forms.Form):
    file = forms.FileField(label=_("Avis de non-remise (.eml)"))


class PressReleaseForm(forms.ModelForm):
    class Meta:
        model = PressRelease
        fields = ["title", "body", "embargo_until", "contact"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16}),
                   "embargo_until": _datetime_input()}


class PressConferenceForm(forms.ModelForm):
    class Meta:
        model = PressConference
        fields = ["title", "starts_at", "place", "description", "press_release", "attendees"]
        widgets = {"starts_at": _datetime_input(),
                   "description": forms.Textarea(attrs={"rows": 4}),
                   "attendees": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"attendees": _("Une personne par ligne : nom — média.")}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["press_release"].queryset = PressRelease.objects.filter(workspace=workspace)
