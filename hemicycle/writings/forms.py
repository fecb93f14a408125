from django import forms
from django.utils.translation import gettext_lazy as _

from hemicycle.accounts.models import User, Workspace
from hemicycle.accounts.roles import Role
from hemicycle.council.models import Report, Sitting, Vote
from hemicycle.elected.models import ElectedMember
from hemicycle.writings import logos
from hemicycle.writings.models import Letterhead, Note, Writing


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


class SpeakersForm(forms.Form):
    speakers = forms.ModelMultipleChoiceField(
        label=_("Orateur·rice·s du groupe"), queryset=ElectedMember.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Les élu·e·s qui prendront la parole pour le groupe sur ce rapport."),
        error_messages={"invalid_choice": _("Élu·e inconnu·e.")})

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speakers"].queryset = _group_members(workspace).filter(in_group=True)


# The fields that only some kinds use: the page shows them for those kinds only.
KIND_FIELDS = {
    "paragraph": [Writing.Kind.AMENDMENT],
    "original_text": [Writing.Kind.AMENDMENT],
    "proposed_text": [Writing.Kind.AMENDMENT],
    "meeting_date": [Writing.Kind.MINUTES],
    "attendee_members": [Writing.Kind.MINUTES],
    "attendee_staff": [Writing.Kind.MINUTES],
}


class WritingForm(forms.ModelForm):
    class Meta:
        model = Writing
        fields = ["kind", "title", "speaker", "report", "sitting", "meeting_date",
                  "attendee_members", "attendee_staff", "paragraph", "original_text",
                  "proposed_text", "body"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 16}),
            "original_text": forms.Textarea(attrs={"rows": 6}),
            "proposed_text": forms.Textarea(attrs={"rows": 6}),
            "meeting_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "attendee_members": forms.CheckboxSelectMultiple,
            "attendee_staff": forms.CheckboxSelectMultiple,
        }
        labels = {"body": _("Texte (amendement : l’exposé des motifs ; compte rendu : "
                            "remarques générales)")}

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = _group_members(workspace)
        self.fields["report"].queryset = _reports(workspace)
        self.fields["sitting"].queryset = (Sitting.objects.filter(workspace=workspace)
                                           .select_related("body").order_by("-starts_at"))
        self.fields["sitting"].help_text = _("Laisser vide si un rapport est choisi : "
                                             "sa séance est reprise.")
        self.fields["attendee_members"].queryset = _group_members(workspace).filter(
            in_group=True)
        self.fields["attendee_staff"].queryset = User.objects.filter(
            memberships__workspace=workspace,
            memberships__role__in=[Role.ADMIN, Role.STAFF]).order_by("full_name").distinct()
        for name, kinds in KIND_FIELDS.items():
            self.fields[name].kinds = " ".join(kinds)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Writing.Kind.AMENDMENT:
            if not data.get("report"):
                self.add_error("report", _("Un amendement porte sur un rapport."))
            if not (data.get("proposed_text") or "").strip():
                self.add_error("proposed_text", _("Indiquez le texte proposé."))
        if kind == Writing.Kind.MINUTES and not data.get("meeting_date"):
            self.add_error("meeting_date", _("Indiquez la date de la réunion."))
        # What the other kinds do not use is emptied rather than kept out of sight.
        for name, kinds in KIND_FIELDS.items():
            if kind not in kinds and name in data:
                data[name] = [] if name.startswith("attendee_") else (
                    None if name == "meeting_date" else "")
        return data


def _reports(workspace: Workspace):
    return (Report.objects.filter(workspace=workspace).select_related("sitting")
            .order_by("-sitting__starts_at", "rank"))


class MinutesItemForm(forms.Form):
    report = forms.ModelChoiceField(label=_("Rapport"), queryset=Report.objects.none(),
                                    required=False,
                                    error_messages={"invalid_choice": _("Rapport inconnu.")})
    title = forms.CharField(label=_("Point"), max_length=300, required=False)
    discussion = forms.CharField(label=_("Échanges"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    decision = forms.CharField(label=_("Décision"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = _reports(workspace)

    def clean(self):
        data = super().clean()
        if (data.get("discussion") or data.get("decision")) and not (
                data.get("report") or data.get("title")):
            raise forms.ValidationError(_("Indiquez le point ou le rapport discuté."))
        return data


MinutesItemFormSet = forms.formset_factory(MinutesItemForm, extra=3, can_delete=True)


def minutes_items(formset) -> list[dict]:
    """The filled, kept rows of a valid agenda formset, in order."""
    return [form.cleaned_data for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
            and (form.cleaned_data.get("report") or form.cleaned_data.get("title"))]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Writing.Status.choices)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Sort de l’amendement"), required=False,
                                choices=Writing.AmendmentStatus.choices)


class RecapForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=300)
    body = forms.CharField(label=_("Texte"), required=False,
                           widget=forms.Textarea(attrs={"rows": 24}))


class ExcerptForm(forms.Form):
    """The excerpt of a speech to share as a social post (prefilled, edited by the user)."""

    excerpt = forms.CharField(
        label=_("Extrait"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 1000}),
        error_messages={
            "required": _("L’extrait est vide : choisissez une phrase de l’intervention."),
            "max_length": _("L’extrait est trop long (%(show_value)d caractères, "
                            "%(limit_value)d au plus)."),
        })


class LetterheadForm(forms.ModelForm):
    logo_file = forms.FileField(label=_("Logo (PNG ou JPEG, 1 Mo au plus)"), required=False)
    remove_logo = forms.BooleanField(label=_("Retirer le logo"), required=False)

    class Meta:
        model = Letterhead
        fields = ["group_name", "address", "footer", "primary_color", "secondary_color",
                  "signature_name", "signature_title"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3}),
                   "primary_color": forms.TextInput(attrs={"type": "color"}),
                   "secondary_color": forms.TextInput(attrs={"type": "color"})}
        help_texts = {"group_name": _("Vide : le nom de l’espace."),
                      "signature_name": _("Pour les écrits sans élu·e, par exemple "
                                          "« Les élu·e·s du groupe écologiste »."),
                      "primary_color": _("Vide : la couleur de l’espace.")}

    def clean_logo_file(self):
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return None
        if upload.size > logos.MAX_BYTES:
            raise forms.ValidationError(_("Le logo dépasse 1 Mo."))
        data = upload.read()
        try:
            logos.logo_check(data)  # by its bytes, whatever its name or declared type
        except logos.LogoError as error:
            from hemicycle.writings.services import logo_error_message

            raise forms.ValidationError(logo_error_message(str(error))) from error
        return data


class SignatureForm(forms.Form):
    member = forms.ModelChoiceField(queryset=ElectedMember.objects.none(),
                                    widget=forms.HiddenInput)
    name = forms.CharField(label=_("Nom"), max_length=200, required=False)
    title = forms.CharField(label=_("Qualité"), max_length=300, required=False)

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = _group_members(workspace).filter(in_group=True)


SignatureFormSet = forms.formset_factory(SignatureForm, extra=0)
