from django import forms
from django.utils.translation import gettext_lazy as _

from hemicycle.council.models import Body, Document, FollowStatus, Report, Sitting, Watchlist
from hemicycle.elected.models import ElectedMember


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["name", "kind", "policy_area", "members"]
        widgets = {"members": forms.CheckboxSelectMultiple}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = ElectedMember.objects.filter(
            workspace=workspace, in_group=True).order_by("last_name", "first_name")


class SittingForm(forms.ModelForm):
    starts_at = forms.DateTimeField(
        label=_("date et heure"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"])

    class Meta:
        model = Sitting
        fields = ["body", "title", "starts_at", "place", "status", "agenda_notes"]

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(workspace=workspace)


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["sitting", "rank", "number", "title", "rapporteur", "direction",
                  "policy_area", "commission", "text", "decision", "votes_for",
                  "votes_against", "votes_abstain", "votes_not_voting"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sitting"].queryset = Sitting.objects.filter(
            workspace=workspace).select_related("body")
        self.fields["commission"].queryset = Body.objects.filter(workspace=workspace)


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(label=_("Suivi par"), queryset=None, required=False,
                                         empty_label=_("Personne"))
    due_date = forms.DateField(label=_("À rendre pour le"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    follow_status = forms.ChoiceField(label=_("Avancement"), choices=FollowStatus.choices)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = users


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        # A zero-byte file gets its own error in the import report, like any bad file.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


ROLE_CHOICES = [("", _("Deviner (rapport, recueil, procès-verbal)")),
                (Document.Role.REPORT, _("Un rapport par fichier")),
                (Document.Role.BUNDLE, _("Recueils à découper en rapports")),
                (Document.Role.MINUTES, _("Procès-verbaux")),
                (Document.Role.ANNEX, _("Annexes"))]


class UploadForm(forms.Form):
    files = MultipleFileField(label=_("Fichiers (PDF, DOCX, ODT, HTML, texte, ou une archive "
                                      "ZIP)"))
    sitting = forms.ModelChoiceField(label=_("Séance"), queryset=None, required=False,
                                     empty_label=_("Aucune (à rattacher plus tard)"))
    role = forms.ChoiceField(label=_("Type de documents"), choices=ROLE_CHOICES,
                             required=False)

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sitting"].queryset = Sitting.objects.filter(
            workspace=workspace).select_related("body")


class ScdlImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier SCDL Délibérations (CSV)"))
    sitting = forms.ModelChoiceField(label=_("Séance"), queryset=None)

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sitting"].queryset = Sitting.objects.filter(
            workspace=workspace).select_related("body")


class WatchlistForm(forms.ModelForm):
    class Meta:
        model = Watchlist
        fields = ["name", "query", "policy_area", "place", "min_amount", "active"]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=300)
    body = forms.ChoiceField(label=_("Instance"), required=False)
    date_from = forms.DateField(label=_("Du"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Au"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    policy_area = forms.ChoiceField(label=_("Domaine"), required=False)
    decision = forms.ChoiceField(label=_("Décision"), required=False)
    place = forms.ChoiceField(label=_("Commune ou canton"), required=False)
    mine = forms.BooleanField(label=_("Suivis par moi"), required=False)

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", _("Toutes"))] + [
            (str(b.code), b.name) for b in Body.objects.filter(workspace=workspace)]
        areas = (Report.objects.filter(workspace=workspace).exclude(policy_area="")
                 .values_list("policy_area", flat=True).distinct().order_by("policy_area"))
        self.fields["policy_area"].choices = [("", _("Tous"))] + [(a, a) for a in areas]
        self.fields["decision"].choices = [("", _("Toutes")), ("pending", _("À venir"))] + [
            (value, label) for value, label in Report.Decision.choices if value]
        self.fields["place"].choices = [("", _("Tous"))] + places_of(workspace)


def places_of(workspace) -> list[tuple[str, str]]:
    """The communes and cantons named in the workspace's reports, for the facet."""
    seen: dict[str, str] = {}
    for entities in Report.objects.filter(workspace=workspace).values_list("entities",
                                                                             flat=True)[:5000]:
        for place in (entities or {}).get("places", []):
            label = place["name"] + (f" ({_('canton')})" if place["kind"] == "canton" else "")
            seen.setdefault(place["code"], label)
    return sorted(seen.items(), key=lambda item: item[1])
