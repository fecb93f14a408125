"""People and access: users, workspaces (one political group in one assembly), memberships.

`WorkspaceModel` is the base of every domain row: it carries the workspace, a public
UUID `code` for URLs, and timestamps. Every query on such a row starts from a workspace.
"""

import hashlib
import uuid

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemicycle.accounts.roles import Role, capabilities_of

hex_color = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Une couleur au format #RRGGBB."))


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. Identified by e-mail; belongs to workspaces via Membership."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("nom complet"), max_length=150)
    is_active = models.BooleanField(_("actif"), default=True)
    # Django admin access only; it is further restricted to superusers (core/admin.py).
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    language = models.CharField(
        _("langue"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )
    # TOTP two-factor: the secret is set when enrolment starts, confirmed once a code matched.
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    last_workspace = models.ForeignKey(
        "Workspace", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rice·s")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def has_totp(self) -> bool:
        return bool(self.totp_secret and self.totp_confirmed_at)


class Workspace(models.Model):
    """One political group in one assembly, with its staff. All domain data belongs to one."""

    assembly = models.ForeignKey(
        "territory.Assembly", on_delete=models.PROTECT, related_name="workspaces",
        verbose_name=_("assemblée"),
    )
    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("nom court"), max_length=40)
    slug = models.SlugField(
        _("identifiant"), max_length=60, unique=True,
        help_text=_("Utilisé dans les adresses et par l'option --workspace des commandes."),
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    primary_color = models.CharField(
        _("couleur principale"), max_length=7, default="#1f6f43", validators=[hex_color]
    )
    secondary_color = models.CharField(
        _("couleur secondaire"), max_length=7, default="#f2c14e", validators=[hex_color]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    audit_exclude = {"updated_at"}

    class Meta:
        ordering = ["name"]
        verbose_name = _("espace de groupe")
        verbose_name_plural = _("espaces de groupe")

    def __str__(self) -> str:
        return self.name

    @property
    def workspace_id(self) -> int:
        # The audit trail files a workspace's own changes under the workspace itself.
        return self.pk


class WorkspaceModel(models.Model):
    """Base of every domain row: a workspace, a public code for URLs, timestamps."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s_set"
    )
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    audit_exclude = {"updated_at", "created_at", "code", "workspace"}

    class Meta:
        abstract = True


class Membership(WorkspaceModel):
    """A user's role in one workspace. See roles.py for what each role may do."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.STAFF)
    # External roles (a juror limited to one jury…) say here what they are limited to,
    # e.g. {"jury": "<code>"}; the module that adds the role reads it.
    scope = models.JSONField(default=dict, blank=True)
    title = models.CharField(
        _("fonction"), max_length=120, blank=True,
        help_text=_("Par exemple : co-présidente, secrétaire général, stagiaire."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="one_membership_per_user")
        ]
        ordering = ["role", "user__full_name"]
        verbose_name = _("membre de l'espace")
        verbose_name_plural = _("membres de l'espace")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def can(self, capability: str) -> bool:
        return capability in capabilities_of(self.role)


class Invitation(WorkspaceModel):
    """An admin invites someone by e-mail; the link lets the invitee set a password."""

    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.STAFF)
    title = models.CharField(_("fonction"), max_length=120, blank=True)
    # Only a hash of the token is stored: a database leak gives no usable links. The
    # token is made when the mail is sent (a background task) and renewed on each resend.
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    invited_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    # The mail server's answer when sending failed, shown to the admin with a resend button.
    send_error = models.CharField(_("erreur d'envoi"), max_length=300, blank=True)

    audit_exclude = WorkspaceModel.audit_exclude | {"token_hash", "sent_at", "send_error"}

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")

    def __str__(self) -> str:
        return self.email

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_pending(self) -> bool:
        return not self.accepted_at and not self.revoked_at and self.expires_at > timezone.now()


class LoginFailure(models.Model):
    """One failed login, to rate-limit by e-mail and by IP (shared by all worker processes)."""

    email = models.CharField(max_length=254, db_index=True)
    ip = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.email} {self.ip} {self.at:%Y-%m-%d %H:%M}"
