import base64

from django import forms
from django.utils.translation import gettext_lazy as _

from hemicycle.accounts.models import User, Workspace
from hemicycle.elected.models import ElectedMember
from hemicycle.elected.queries import divisions_of
from hemicycle.elected.services import MAX_FILE_BYTES
from hemicycle.territory.models import Assembly


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ElectedMemberForm(forms.ModelForm):
    """The whole record, for those who write (admin, staff)."""

    class Meta:
        model = ElectedMember
        fields = [
            "last_name", "first_name", "gender", "birth_date", "profession", "canton",
            "section", "mandate_start", "mandate_end", "functions", "function_start",
            "commissions", "in_group", "user", "email", "phone", "notes",
        ]
        widgets = {
            "birth_date": _date_input(), "mandate_start": _date_input(),
            "mandate_end": _date_input(), "function_start": _date_input(),
            "notes": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)
        assembly = workspace.assembly
        # Only the assembly's own cantons or sections, and only the workspace's accounts.
        if assembly.kind == Assembly.Kind.DEPARTEMENT:
            self.fields["canton"].queryset = divisions_of(assembly)
            del self.fields["section"]
        elif assembly.kind == Assembly.Kind.REGION:
            self.fields["section"].queryset = divisions_of(assembly)
            del self.fields["canton"]
        else:
            del self.fields["canton"], self.fields["section"]
        self.fields["user"].queryset = User.objects.filter(
            memberships__workspace=workspace).order_by("full_name")
        self.fields["user"].help_text = _(
            "Le compte de l’élu·e dans l’espace : il ou elle pourra modifier ses notes.")

    def clean(self):
        data = super().clean()
        start, end = data.get("mandate_start"), data.get("mandate_end")
        if start and end and end < start:
            self.add_error("mandate_end", _("La fin du mandat précède son début."))
        return data


class ElectedNotesForm(forms.ModelForm):
    """An élu·e's own record: the notes only."""

    class Meta:
        model = ElectedMember
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, workspace: Workspace, **kwargs):
        super().__init__(*args, **kwargs)


class RneImportForm(forms.Form):
    """A file to upload; or, to confirm a simulation, the same file sent back by the page
    (``content``, base64) so that it need not be chosen again."""

    file = forms.FileField(
        label=_("Fichier CSV du Répertoire national des élus"), required=False,
        help_text=_("Conseillers départementaux ou régionaux, tel que publié sur "
                    "data.gouv.fr (5 Mo au plus)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    content = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file and file.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 5 Mo : est-ce bien un export du "
                                          "Répertoire national des élus ?"))
        return file

    def clean(self):
        data = super().clean()
        if data.get("file"):
            data["data"] = data["file"].read()
        elif data.get("content"):
            try:
                data["data"] = base64.b64decode(data["content"], validate=True)
            except ValueError:
                raise forms.ValidationError(_("Le fichier renvoyé est abîmé : choisissez-le à "
                                              "nouveau.")) from None
            if len(data["data"]) > MAX_FILE_BYTES:
                raise forms.ValidationError(_("Le fichier dépasse 5 Mo."))
        elif not self.has_error("file"):
            self.add_error("file", _("Choisissez un fichier."))
        return data
