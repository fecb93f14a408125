import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hemicycle.accounts.models import User
from hemicycle.actors import identifiers
from hemicycle.actors.models import (
    Actor,
    ConsentRecord,
    Interaction,
    Relation,
    Theme,
    validate_rna,
    validate_siren,
    validate_siret,
)
from hemicycle.actors.services.imports import IMPORT_FIELDS, MAX_FILE_BYTES
from hemicycle.elected.models import ElectedMember
from hemicycle.territory.models import Canton, Commune
from hemicycle.territory.queries import commune_search


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActorCodesField(forms.Field):
    """Actors picked by code (the htmx search adds checkboxes), limited to a workspace."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *args, workspace=None, single: bool = False, **kwargs):
        self.workspace, self.single = workspace, single
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else [value] if value else []
        codes = []
        for item in values:
            try:
                codes.append(uuid.UUID(str(item)))
            except ValueError as error:
                raise ValidationError(_("Acteur inconnu.")) from error
        actors = list(Actor.objects.filter(workspace=self.workspace, code__in=codes,
                                           merged_into=None))
        if len(actors) != len(set(codes)):
            raise ValidationError(_("Acteur inconnu."))
        if self.single:
            return actors[0] if actors else None
        return actors


class ActorForm(forms.ModelForm):
    commune_query = forms.CharField(
        label=_("Commune"), required=False, max_length=120,
        help_text=_("Code INSEE ou nom ; vide : déduite du code postal et de la ville."))
    tag_names = forms.CharField(label=_("Étiquettes"), required=False, max_length=400,
                                help_text=_("Séparées par des virgules."))
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")
    # Typed with spaces or dots ("W59 501 2345", "732 829 320"): cleaned, then checked.
    rna_id = forms.CharField(label=_("Numéro RNA"), required=False, max_length=30)
    siren = forms.CharField(label=_("SIREN"), required=False, max_length=30)
    siret = forms.CharField(label=_("SIRET"), required=False, max_length=30)

    class Meta:
        model = Actor
        fields = ["kind", "name", "first_name", "last_name", "description", "street",
                  "postal_code", "city", "cantons", "latitude", "longitude", "email",
                  "email2", "phone", "website", "social", "rna_id", "siren", "siret",
                  "created_on", "dissolved_on", "themes", "follower", "lawful_basis",
                  "data_source", "no_email", "no_phone", "no_post", "notes"]
        widgets = {"created_on": _date_input(), "dissolved_on": _date_input(),
                   "description": forms.Textarea(attrs={"rows": 3}),
                   "notes": forms.Textarea(attrs={"rows": 4}),
                   "themes": forms.CheckboxSelectMultiple}

    def __init__(self, *args, workspace, actor_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.workspace, self.actor_type = workspace, actor_type
        if actor_type == Actor.Type.PERSON:
            for name in ("kind", "name", "rna_id", "siren", "siret", "created_on",
                         "dissolved_on", "description"):
                del self.fields[name]
            self.fields["last_name"].required = True
        else:
            for name in ("first_name", "last_name"):
                del self.fields[name]
            self.fields["kind"].required = True
        self.fields["themes"].queryset = Theme.objects.filter(workspace=workspace)
        self.fields["follower"].queryset = User.objects.filter(
            memberships__workspace=workspace).order_by("full_name")
        departement = workspace.assembly.departement_id
        cantons = Canton.objects.all()
        self.fields["cantons"].queryset = (cantons.filter(departement_id=departement)
                                           if departement else cantons)
        self.fields["cantons"].help_text = _(
            "Vide : déduit de la commune (une commune partagée garde tous ses cantons).")
        if self.instance.pk:
            self.fields["commune_query"].initial = (self.instance.commune.insee_code
                                                    if self.instance.commune_id else "")
            self.fields["tag_names"].initial = ", ".join(
                t.name for t in self.instance.tags.all())
            self.initial["cantons"] = []  # recomputed unless chosen

    def _identifier(self, name: str, validator) -> str:
        value = identifiers.clean(self.cleaned_data.get(name, ""))
        validator(value)
        return value

    def clean_rna_id(self) -> str:
        return self._identifier("rna_id", validate_rna)

    def clean_siren(self) -> str:
        return self._identifier("siren", validate_siren)

    def clean_siret(self) -> str:
        return self._identifier("siret", validate_siret)

    def clean_commune_query(self) -> Commune | None:
        query = self.cleaned_data["commune_query"].strip()
        if not query:
            return None
        found = commune_search(query, limit=2)
        if not found:
            raise ValidationError(_("Commune introuvable : %(q)s.") % {"q": query})
        return found[0]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["commune"] = data.pop("commune_query")
        data["tag_names"] = data["tag_names"].split(",")
        data["type"] = self.actor_type
        if data["latitude"] is not None and data["longitude"] is not None:
            data["approximate_position"] = False
        return data


class InteractionForm(forms.ModelForm):
    class Meta:
        model = Interaction
        fields = ["kind", "date", "title", "elected", "staff", "notes", "follow_up_on"]
        widgets = {"date": _date_input(), "follow_up_on": _date_input(),
                   "notes": forms.Textarea(attrs={"rows": 5}),
                   "elected": forms.CheckboxSelectMultiple,
                   "staff": forms.CheckboxSelectMultiple}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actors"] = ActorCodesField(label=_("Acteurs"), workspace=workspace)
        self.fields["elected"].queryset = ElectedMember.objects.filter(
            workspace=workspace, in_group=True)
        self.fields["staff"].queryset = User.objects.filter(
            memberships__workspace=workspace).order_by("full_name")

    def clean(self):
        data = super().clean()
        if data.get("follow_up_on") and data.get("date") and data["follow_up_on"] < data["date"]:
            self.add_error("follow_up_on", _("La relance suit l'échange."))
        return data


class RelationForm(forms.ModelForm):
    class Meta:
        model = Relation
        fields = ["kind", "title", "start_on", "end_on"]
        widgets = {"start_on": _date_input(), "end_on": _date_input()}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"] = ActorCodesField(label=_("Structure"), workspace=workspace,
                                                single=True)
        self.order_fields(["target"])


class RelationEndForm(forms.Form):
    end_on = forms.DateField(label=_("Fin le"), widget=_date_input())


class RenameForm(forms.Form):
    name = forms.CharField(label=_("Nouveau nom"), max_length=120)


class ConsentForm(forms.ModelForm):
    class Meta:
        model = ConsentRecord
        fields = ["purpose", "given", "at", "ip", "text_version", "source"]
        widgets = {"at": forms.DateTimeInput(attrs={"type": "datetime-local"})}


class ThemeForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=100)
    parent = forms.ModelChoiceField(label=_("Dans le thème"), required=False,
                                    queryset=Theme.objects.none())

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Theme.objects.filter(workspace=workspace)


class SegmentForm(forms.Form):
    name = forms.CharField(label=_("Nom du segment"), max_length=120)


class ImportUploadForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[
        ("rna", _("Fichier du RNA (un département, séparé par des points-virgules)")),
        ("csv", _("Tableur : CSV ou XLSX"))])
    file = forms.FileField(label=_("Fichier"))
    dry_run = forms.BooleanField(label=_("Simulation (rien n'est enregistré)"), required=False)
    keep_dissolved = forms.BooleanField(
        label=_("Importer aussi les associations dissoutes (marquées comme telles)"),
        required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(_("Fichier trop gros (200 Mo au plus)."))
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise ValidationError(_("Un fichier .csv ou .xlsx, s'il vous plaît."))
        return upload


class MappingForm(forms.Form):
    """One choice per column of the file: which field it fills (or none)."""

    def __init__(self, *args, header: list[str], mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— ignorer —")), *[(k, v) for k, v in IMPORT_FIELDS.items()]]
        self.columns = header
        for index, column in enumerate(header):
            self.fields[f"col{index}"] = forms.ChoiceField(
                label=column or f"#{index + 1}", choices=choices, required=False,
                initial=mapping.get(column, ""))

    def clean(self):
        data = super().clean()
        chosen = [v for v in data.values() if v]
        if len(chosen) != len(set(chosen)):
            raise ValidationError(_("Un même champ est choisi pour deux colonnes."))
        if not {"name", "last_name"} & set(chosen):
            raise ValidationError(_("Choisissez la colonne du nom."))
        return data

    def mapping(self) -> dict:
        return {column: self.cleaned_data.get(f"col{i}", "")
                for i, column in enumerate(self.columns) if self.cleaned_data.get(f"col{i}")}
