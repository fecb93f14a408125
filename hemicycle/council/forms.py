from django import forms
from django.utils.translation import gettext_lazy as _

from hemicycle.council.models import Body, Document, FollowStatus, Report, Sitting, Watchlist
from hemicycle.elected.models import ElectedMember


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["name", "kind", "policy_area", "members", "amendment_deadline_days",
                  "oral_question_deadline_days", "motion_deadline_days", "deadline_time"]
        widgets = {"members": forms.CheckboxSelectMultiple,
                   "deadline_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = ElectedMember.objects.filter(
            workspace=workspace, in_group=True).order_by("last_name", "first_name")
        self.fields["deadline_time"].required = False

    def clean_deadline_time(self):
        # Left empty: noon, the model's default.
        return self.cleaned_data["deadline_time"] or Body._meta.get_field(
            "deadline_time").get_default()


class SittingForm(forms.ModelForm):
    starts_at = forms.DateTimeField(
        label=_("date et heure"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"])

    class Meta:
        model = Sitting
        fields = ["body", "title", "starts_at", "place", "status", "agenda_notes",
                  "group_meeting_at"]
        widgets = {"group_meeting_at": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                           format="%Y-%m-%dT%H:%M")}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(workspace=workspace)
        self.fields["group_meeting_at"].input_formats = self.fields["starts_at"].input_formats
        self.fields["group_meeting_at"].help_text = _(
            "Les rapports confiés sont à rendre pour ce jour-là.")

    def clean(self):
        data = super().clean()
        meeting, starts = data.get("group_meeting_at"), data.get("starts_at")
        if meeting and starts and meeting > starts:
            self.add_error("group_meeting_at", _("La réunion de groupe a lieu avant la "
                                                 "séance."))
        return data


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
    assignees = forms.ModelMultipleChoiceField(
        label=_("Suivi par"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Élu·e·s et équipe ; chaque nouvelle personne est prévenue."))
    lead = forms.ModelChoiceField(label=_("Référent·e"), queryset=None, required=False,
                                  empty_label=_("La première personne cochée"))
    due_date = forms.DateField(label=_("À rendre pour le"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"},
                                                      format="%Y-%m-%d"),
                               help_text=_("Par défaut : la réunion de groupe, sinon deux "
                                           "jours avant la séance."))
    follow_status = forms.ChoiceField(label=_("Avancement"), choices=FollowStatus.choices)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignees"].queryset = users
        self.fields["lead"].queryset = users


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Commentaire"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "data-mentions": "",
                                     "placeholder": _("Écrivez @ puis un prénom pour "
                                                      "mentionner quelqu'un.")}),
        help_text=_("**gras**, *italique*, listes à tirets ; @prénom ou @identifiant "
                    "prévient la personne."))


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
    """The search box and its facets. Every field is a GET parameter: a search is a link,
    and a saved search keeps these parameters (SAVED_FIELDS)."""

    q = forms.CharField(label=_("Rechercher"), required=False, max_length=300)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    body = forms.ChoiceField(label=_("Instance"), required=False)
    sitting = forms.ChoiceField(label=_("Séance"), required=False)
    year = forms.TypedChoiceField(label=_("Année"), required=False, coerce=int,
                                  empty_value=None)
    policy_area = forms.ChoiceField(label=_("Domaine"), required=False)
    commission = forms.ChoiceField(label=_("Commission saisie"), required=False)
    place = forms.ChoiceField(label=_("Commune ou canton"), required=False)
    amount = forms.ChoiceField(label=_("Montant le plus élevé"), required=False)
    writing_kind = forms.ChoiceField(label=_("Type d'écrit"), required=False)
    decision = forms.ChoiceField(label=_("Décision"), required=False)
    date_from = forms.DateField(label=_("Du"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Au"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    mine = forms.BooleanField(label=_("Suivis par moi"), required=False)

    def __init__(self, *args, workspace, **kwargs):
        from hemicycle.council.search import AMOUNT_RANGES, KIND_LABELS, writing_kinds

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Tous"))] + list(KIND_LABELS.items())
        bodies = list(Body.objects.filter(workspace=workspace))
        self.fields["body"].choices = [("", _("Toutes"))] + [
            (str(b.code), b.name) for b in bodies]
        self.fields["commission"].choices = [("", _("Toutes"))] + [
            (str(b.code), b.name) for b in bodies if b.kind == Body.Kind.COMMISSION]
        sittings = Sitting.objects.filter(workspace=workspace).select_related("body")
        self.fields["sitting"].choices = [("", _("Toutes"))] + [
            (str(s.code), str(s)) for s in sittings[:300]]
        years = Sitting.objects.filter(workspace=workspace).dates("starts_at", "year",
                                                                  order="DESC")
        self.fields["year"].choices = [("", _("Toutes"))] + [(d.year, d.year) for d in years]
        areas = (Report.objects.filter(workspace=workspace).exclude(policy_area="")
                 .values_list("policy_area", flat=True).distinct().order_by("policy_area"))
        self.fields["policy_area"].choices = [("", _("Tous"))] + [(a, a) for a in areas]
        self.fields["place"].choices = [("", _("Tous"))] + places_of(workspace)
        self.fields["amount"].choices = [("", _("Tous"))] + [
            (key, label) for key, label, _low, _below in AMOUNT_RANGES]
        self.fields["writing_kind"].choices = [("", _("Tous"))] + writing_kinds()
        self.fields["decision"].choices = [("", _("Toutes")), ("pending", _("À venir"))] + [
            (value, label) for value, label in Report.Decision.choices if value]

    def filters(self, user):
        """The facets chosen, as search.Filters (the form must be valid)."""
        from hemicycle.council.search import Filters

        data = self.cleaned_data
        decision = data["decision"]
        return Filters(
            kind=data["kind"], body=data["body"], sitting=data["sitting"], year=data["year"],
            policy_area=data["policy_area"], commission=data["commission"],
            place=data["place"], amount=data["amount"], writing_kind=data["writing_kind"],
            date_from=data["date_from"], date_to=data["date_to"],
            decision=None if not decision else ("" if decision == "pending" else decision),
            assigned_to=user.id if data["mine"] else None)


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Nom de la recherche"), max_length=120)


def places_of(workspace) -> list[tuple[str, str]]:
    """The communes and cantons named in the workspace's reports, for the facet."""
    seen: dict[str, str] = {}
    for entities in Report.objects.filter(workspace=workspace).values_list("entities",
                                                                             flat=True)[:5000]:
        for place in (entities or {}).get("places", []):
            label = place["name"] + (f" ({_('canton')})" if place["kind"] == "canton" else "")
            seen.setdefault(place["code"], label)
    return sorted(seen.items(), key=lambda item: item[1])


class StatsForm(forms.Form):
    body = forms.ChoiceField(label=_("Instance"), required=False)
    year = forms.TypedChoiceField(label=_("Année"), required=False, coerce=int,
                                  empty_value=None)

    def __init__(self, *args, workspace, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.bodies = {str(b.code): b for b in Body.objects.filter(workspace=workspace)}
        self.fields["body"].choices = [("", _("Toutes"))] + [
            (code, body.name) for code, body in self.bodies.items()]
        self.fields["year"].choices = [("", _("Toutes"))] + [(y, y) for y in years]

    def filters(self) -> dict:
        """The chosen body and year; a wrong value filters nothing."""
        if not self.is_valid():
            return {"body": None, "year": None}
        return {"body": self.bodies.get(self.cleaned_data["body"]),
                "year": self.cleaned_data["year"]}
