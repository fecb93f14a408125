"""Forms of the staff pages and of the public pages (application, volunteers, jurors)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hemicycle.juries import identifiers, sortition
from hemicycle.juries.models import Application, Campaign, College
from hemicycle.juries.services import campaigns as campaign_services
from hemicycle.juries.services import draws as draw_services
from hemicycle.juries.services.applications import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS
from hemicycle.territory.models import Canton


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.ModelForm):
    criteria = forms.CharField(
        label=_("Grille de critères"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Un critère par ligne : « libellé ; poids » (poids de 1 à 10)."))
    commune_codes = forms.CharField(
        label=_("Communes (codes INSEE)"), required=False,
        help_text=_("Facultatif, séparés par des virgules : pour un appel limité à des "
                    "communes plutôt qu'à des cantons."))

    class Meta:
        model = Campaign
        fields = ["title", "public_slug", "kind", "year", "description", "cantons", "envelope",
                  "opens_on", "closes_on", "jury_on", "decision_on", "decision_body",
                  "legal_forms", "require_identifier", "seat_in_territory", "min_amount",
                  "max_amount", "one_per_structure", "recent_funding_months", "score_scale", "rule",
                  "partial_min_share", "anonymous_review", "published"]
        widgets = {"opens_on": _date(), "closes_on": _date(), "jury_on": _date(),
                   "decision_on": _date(), "description": forms.Textarea(attrs={"rows": 4}),
                   "cantons": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        departement = workspace.assembly.departement_id
        cantons = Canton.objects.order_by("name")
        self.fields["cantons"].queryset = cantons.filter(departement_id=departement) \
            if departement else cantons
        self.fields["score_scale"].min_value = 1
        if self.instance.pk:
            self.initial["criteria"] = campaign_services.criteria_text(self.instance)
            self.initial["commune_codes"] = ", ".join(
                self.instance.communes.values_list("insee_code", flat=True))
        else:
            self.initial.setdefault("criteria", campaign_services.DEFAULT_CRITERIA)

    def clean_criteria(self):
        return campaign_services.criteria_parse(self.cleaned_data["criteria"])

    def clean_commune_codes(self):
        return campaign_services.communes_parse(self.cleaned_data["commune_codes"])

    def clean_score_scale(self):
        value = self.cleaned_data["score_scale"]
        if not 1 <= value <= 20:
            raise ValidationError(_("Une échelle de 1 à 20."))
        return value

    def clean_partial_min_share(self):
        value = self.cleaned_data["partial_min_share"]
        if value is not None and not 1 <= value <= 100:
            raise ValidationError(_("Un pourcentage de 1 à 100."))
        return value

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        return {"criteria": data.pop("criteria"), "communes": data.pop("commune_codes"),
                "cantons": list(data.pop("cantons")), **data}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to MAX_ATTACHMENTS PDF or image files, type sniffed from their bytes."""

    widget = MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(_("%(n)d pièces au plus.") % {"n": MAX_ATTACHMENTS})
        for upload in files:
            if upload.size > MAX_ATTACHMENT_BYTES:
                raise ValidationError(_("« %(name)s » dépasse 5 Mo.") % {"name": upload.name})
            head = upload.read(16)
            upload.seek(0)
            if identifiers.sniff(head) is None:
                raise ValidationError(_("« %(name)s » n'est ni un PDF ni une image (PNG, JPEG, "
                                        "WebP).") % {"name": upload.name})
        return files


class ApplicationForm(forms.ModelForm):
    """The public form (also the staff's entry of paper applications)."""

    commune_name = forms.CharField(label=_("Commune du siège"), max_length=120, required=False)
    attachments = AttachmentsField(
        label=_("Pièces jointes"), required=False,
        help_text=_("PDF ou images, 5 Mo au plus chacune, 5 pièces au plus : statuts, budget "
                    "prévisionnel, RIB…"))
    # Honeypot: hidden from people by CSS; robots fill it in.
    website = forms.CharField(required=False, label=_("Ne pas remplir"))

    class Meta:
        model = Application
        fields = ["structure_name", "legal_form", "identifier", "address", "postal_code",
                  "commune_name", "contact_name", "contact_email", "contact_phone", "title",
                  "description", "category", "place", "people_reached", "total_budget",
                  "amount_requested", "other_funding"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6}),
                   "other_funding": forms.Textarea(attrs={"rows": 2}),
                   "postal_code": forms.TextInput(attrs={"inputmode": "numeric",
                                                         "autocomplete": "postal-code"}),
                   "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
                   "contact_phone": forms.TextInput(attrs={"autocomplete": "tel"}),
                   "address": forms.TextInput(attrs={"autocomplete": "street-address"})}

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["identifier"].help_text = _("Numéro RNA (W suivi de 9 caractères) ou "
                                                "SIREN (9 chiffres) / SIRET (14 chiffres).")
        self.fields["identifier"].required = campaign.require_identifier
        self.fields["postal_code"].required = True
        self.fields["address"].required = True
        for name in ("total_budget", "amount_requested", "people_reached"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        if self.instance.pk and self.instance.commune_id:
            self.initial["commune_name"] = self.instance.commune.name
        if campaign.legal_form_list():
            self.fields["legal_form"] = forms.ChoiceField(
                label=_("Forme juridique"),
                choices=[("", "—")] + [(f, f) for f in campaign.legal_form_list()])

    def clean_identifier(self):
        value = identifiers.clean(self.cleaned_data["identifier"])
        if value and identifiers.kind_of(value) is None:
            raise ValidationError(_("Numéro invalide : un RNA s'écrit W suivi de 9 caractères "
                                    "(W595012345) ; un SIREN a 9 chiffres et un SIRET 14, "
                                    "avec une clé de contrôle."))
        return value

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"].strip()
        if not (value.isdigit() and len(value) == 5):
            raise ValidationError(_("Un code postal à 5 chiffres."))
        return value

    def clean(self):
        data = super().clean()
        asked, total = data.get("amount_requested"), data.get("total_budget")
        if asked is not None and total is not None and asked > total:
            self.add_error("amount_requested",
                           _("Le montant demandé ne peut dépasser le budget total."))
        if asked is not None and asked <= 0:
            self.add_error("amount_requested", _("Indiquez un montant."))
        return data

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


class ApplicationImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier CSV"),
                           help_text=_("UTF-8, séparateur virgule ou point-virgule ; une ligne "
                                       "d'en-tête avec les colonnes décrites ci-dessous."))


class DecisionForm(forms.Form):
    status = forms.ChoiceField(label=_("Décision"), choices=[
        (Application.Status.ELIGIBLE, _("Recevable")),
        (Application.Status.INELIGIBLE, _("Irrecevable")),
        (Application.Status.SUBMITTED, _("À instruire")),
        (Application.Status.WITHDRAWN, _("Retirée"))])
    reason = forms.CharField(label=_("Motif"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class MissingDocumentForm(forms.Form):
    message = forms.CharField(label=_("Pièce demandée"), widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Envoyé par e-mail au porteur, avec le lien vers son "
                                          "dossier."))


class CollegeForm(forms.ModelForm):
    quota_lines = forms.CharField(
        label=_("Quotas"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Pour un collège tiré au sort : une ligne « caractéristique,valeur,min,max » "
                    "(format categories.csv). Le formulaire des volontaires demande ces "
                    "caractéristiques."))

    class Meta:
        model = College
        fields = ["name", "seats", "method", "one_per_household", "volunteers_open"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["quota_lines"] = draw_services.quotas_text(self.instance)
        else:
            self.initial["quota_lines"] = draw_services.DEFAULT_QUOTAS

    def clean_quota_lines(self):
        return draw_services.quotas_parse(self.cleaned_data["quota_lines"])

    def clean(self):
        data = super().clean()
        if data.get("method") == College.Method.DRAWN and not data.get("quota_lines"):
            self.add_error("quota_lines", _("Un collège tiré au sort a besoin de quotas."))
        if data.get("seats") is not None and data["seats"] < 1:
            self.add_error("seats", _("Au moins un siège."))
        return data


class VolunteerForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=120)
    last_name = forms.CharField(label=_("Nom"), max_length=120)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    address = forms.CharField(label=_("Adresse"), max_length=250,
                              help_text=_("Une seule personne par foyer peut être tirée au sort."))
    postal_code = forms.CharField(label=_("Code postal"), max_length=5)
    consent = forms.BooleanField(
        label=_("J'accepte que ces données soient utilisées pour le tirage au sort du jury, "
                "puis effacées à la fin de l'appel ; seules mes réponses aux questions "
                "ci-dessus, sous un pseudonyme, figurent dans le rapport public du tirage."))
    website = forms.CharField(required=False, label=_("Ne pas remplir"))

    def __init__(self, *args, college: College, **kwargs):
        super().__init__(*args, **kwargs)
        self.feature_fields = []
        for i, (feature, values) in enumerate(college.features().items()):
            name = f"feature_{i}"
            self.fields[name] = forms.ChoiceField(
                label=feature[:1].upper() + feature[1:], choices=[("", "—")] + [
                    (v, v) for v in values])
            self.feature_fields.append((name, feature))
        order = ["first_name", "last_name", "email", "phone", "address", "postal_code",
                 *[n for n, _f in self.feature_fields], "consent", "website"]
        self.order_fields(order)

    def features(self) -> dict[str, str]:
        return {feature: self.cleaned_data[name] for name, feature in self.feature_fields}

    def person(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("first_name", "last_name", "email", "phone",
                                                   "address", "postal_code")}


class DrawForm(forms.Form):
    seed = forms.CharField(label=_("Graine publique"), max_length=200,
                           help_text=_("Annoncée à l'avance, par exemple les numéros d'un tirage "
                                       "officiel à venir : « Euromillions 2026-05-12 : 4 17 23 "
                                       "38 45 ». Tout le monde pourra refaire le tirage."))
    algorithm = forms.ChoiceField(label=_("Algorithme"), choices=[
        ("leximin", _("LEXIMIN (le plus équitable, recommandé)")),
        ("maximin", _("Maximin")), ("nash", _("Nash")),
        ("legacy", _("Glouton historique (pour comparaison)"))], initial="leximin")

    def clean_algorithm(self):
        value = self.cleaned_data["algorithm"]
        if value not in sortition.ALGORITHMS:
            raise ValidationError(_("Algorithme inconnu."))
        return value


class JurorForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    college = forms.ModelChoiceField(label=_("Collège"), queryset=College.objects.none(),
                                     required=False)

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["college"].queryset = campaign.colleges.all()


class AllocationForm(forms.Form):
    rule = forms.ChoiceField(label=_("Règle"), choices=Campaign.Rule.choices)
    partial_min_share = forms.IntegerField(
        label=_("Financement partiel du suivant (part minimale, %)"), required=False,
        min_value=1, max_value=100)
    completion = forms.ChoiceField(
        label=_("Complétion (parts égales)"), initial="add1", required=False, choices=[
            ("add1", _("Add1 : augmenter la part de chacun tant que l'enveloppe suffit")),
            ("add1-greedy", _("Add1, puis classement sur le reste de l'enveloppe"))])
    forced = forms.CharField(label=_("Projets imposés (numéros)"), required=False,
                             help_text=_("Par exemple : 3, 12"))
    excluded = forms.CharField(label=_("Projets écartés (numéros)"), required=False)
    justification = forms.CharField(
        label=_("Justification"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoire pour toute décision manuelle : elle est publiée et tracée."))

    def _numbers(self, name: str) -> list[int]:
        text = self.cleaned_data[name].replace(";", ",")
        try:
            return [int(p) for p in text.split(",") if p.strip()]
        except ValueError as error:
            raise ValidationError(_("Des numéros séparés par des virgules.")) from error

    def clean_completion(self):
        return self.cleaned_data["completion"] or "add1"

    def clean_forced(self):
        return self._numbers("forced")

    def clean_excluded(self):
        return self._numbers("excluded")
