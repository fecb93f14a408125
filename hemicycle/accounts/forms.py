from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from hemicycle.accounts.models import Membership, User, Workspace
from hemicycle.accounts.roles import Role


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(
        attrs={"autocomplete": "email", "autofocus": True}))
    password = forms.CharField(
        label=_("Mot de passe"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TotpForm(forms.Form):
    code = forms.CharField(label=_("Code à 6 chiffres"), max_length=10, widget=forms.TextInput(
        attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}))


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language"]


class SetPasswordFields(forms.Form):
    password1 = forms.CharField(label=_("Mot de passe"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Confirmation"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Les deux mots de passe diffèrent."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"], self._user())
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data

    def _user(self):
        return None


class InvitationAcceptForm(SetPasswordFields):
    full_name = forms.CharField(label=_("Nom complet"), max_length=150)
    field_order = ["full_name", "password1", "password2"]

    def __init__(self, *args, email: str = "", **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def _user(self):
        return User(email=self.email, full_name=self.data.get("full_name", ""))


# The roles an admin gives by hand; external roles (a juror) come with their module,
# which sets the membership's scope.
TEAM_ROLES = [(value, label) for value, label in Role.choices if value != Role.JUROR]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Rôle"), choices=TEAM_ROLES, initial=Role.STAFF)
    title = forms.CharField(label=_("Fonction"), max_length=120, required=False)


class MembershipForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("Rôle"), choices=TEAM_ROLES)

    class Meta:
        model = Membership
        fields = ["role", "title"]


class WorkspaceSettingsForm(forms.ModelForm):
    class Meta:
        model = Workspace
        fields = ["name", "short_name", "logo", "primary_color", "secondary_color"]
        widgets = {
            "primary_color": forms.TextInput(attrs={"type": "color"}),
            "secondary_color": forms.TextInput(attrs={"type": "color"}),
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "size") and logo.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("Le logo dépasse 2 Mo."))
        return logo
