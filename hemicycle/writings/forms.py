from django import forms
from django.utils.translation import gettext_lazy as _

from hemicycle.accounts.models import Workspace
from hemicycle.council.models import Report, Sitting, Vote
from hemicycle.elected.models import ElectedMember
from hemicycle.writings.models import Note, Writing


def _group_members(workspace: Workspace):
    return ElectedMember.objects.filter(workspace=workspace, mandate_end=None).order_by(
        "-in_group", "last_name", "first_name")


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Texte de la note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 22}),
                           help_text=_("Titres avec #, listes avec -, **gras**, *italique*, "
                                       "tableaux avec | colonne | colonne |."))
    status = forms.ChoiceField(label=_("Statut"), choices=Note.Status.choices)


VOTE_CHOICES = [("", _("— à décider —")), *Vote.choices]


class ProposeForm(forms.Form):
    proposed_vote = forms.ChoiceField(label=_("Vote proposé"), choices=VOTE_CHOICES,
                                      required=False)
    rationale = forms.CharField(label=_("Motifs (interne au groupe)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    vote = forms.ChoiceField(label=_("Vote du groupe"), choices=VOTE_CHOICES, required=False)
    explanation = forms.CharField(label=_("Explication de vote"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}))


class DissentForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Élu·e"), queryset=ElectedMember.objects.none(),
                                    error_messages={"invalid_choice": _("Élu·e inconnu·e.")})
    vote = forms.ChoiceField(label=_("Son vote"), choices=Vote.choices)
    reason = forms.CharField(label=_("Raison"), required=False, max_length=300)

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = _group_members(workspace).filter(in_group=True)


class WritingForm(forms.ModelForm):
    class Meta:
        model = Writing
        fields = ["kind", "title", "speaker", "report", "sitting", "original_text",
                  "proposed_text", "body", "amendment_status"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 16}),
            "original_text": forms.Textarea(attrs={"rows": 6}),
            "proposed_text": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {"body": _("Texte (pour un amendement : l’exposé des motifs)")}

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = _group_members(workspace)
        self.fields["report"].queryset = (Report.objects.filter(workspace=workspace)
                                          .select_related("sitting")
                                          .order_by("-sitting__starts_at", "rank"))
        self.fields["sitting"].queryset = (Sitting.objects.filter(workspace=workspace)
                                           .select_related("body").order_by("-starts_at"))
        self.fields["sitting"].help_text = _("Laisser vide si un rapport est choisi : "
                                             "sa séance est reprise.")

    def clean(self):
        data = super().clean()
        if data.get("kind") == Writing.Kind.AMENDMENT:
            if not data.get("report"):
                self.add_error("report", _("Un amendement porte sur un rapport."))
            if not (data.get("proposed_text") or "").strip():
                self.add_error("proposed_text", _("Indiquez le texte proposé."))
        else:
            data["original_text"] = data["proposed_text"] = ""
            data["amendment_status"] = ""
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Writing.Status.choices)


class RecapForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=300)
    body = forms.CharField(label=_("Texte"), required=False,
                           widget=forms.Textarea(attrs={"rows": 24}))
