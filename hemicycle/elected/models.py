"""The members of the assembly, as each workspace knows them.

Every councillor of the assembly can be listed (imported from the Répertoire national
des élus), and ``in_group`` marks the group's own. Mandate data is public; the link to
a user account and the notes are the group's own.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemicycle.accounts.models import WorkspaceModel
from hemicycle.lib.text import normalize_name

# rne_key of the demo's fictional members (demo.py): never taken for RNE imports.
DEMO_KEY_PREFIX = "demo:"


class ElectedMember(WorkspaceModel):
    class Gender(models.TextChoices):
        FEMALE = "F", _("Femme")
        MALE = "M", _("Homme")

    last_name = models.CharField(_("nom"), max_length=120)
    first_name = models.CharField(_("prénom"), max_length=120)
    gender = models.CharField(_("sexe"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    profession = models.CharField(_("catégorie socio-professionnelle"), max_length=200, blank=True)
    # Mandate: a canton in a département, a section départementale in a région.
    canton = models.ForeignKey(
        "territory.Canton", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("canton"),
    )
    section = models.ForeignKey(
        "territory.Departement", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("section départementale"),
    )
    mandate_start = models.DateField(_("début du mandat"), null=True, blank=True)
    mandate_end = models.DateField(_("fin du mandat"), null=True, blank=True)
    functions = models.CharField(
        _("fonctions"), max_length=300, blank=True,
        help_text=_("Par exemple : 3e vice-présidente chargée des collèges."),
    )
    function_start = models.DateField(_("début de la fonction"), null=True, blank=True)
    commissions = models.CharField(_("commissions"), max_length=300, blank=True)
    in_group = models.BooleanField(_("membre du groupe"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("compte utilisateur"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Identity in the RNE (normalised names + birth date), for idempotent re-imports.
    rne_key = models.CharField(_("identifiant RNE"), max_length=200, blank=True, db_index=True)

    # The key repeats the names and birth date: no need for it in the trail.
    # "maelle dufresne": accent- and case-insensitive search, kept in step by save().
    search_name = models.CharField(max_length=250, blank=True, editable=False)

    audit_exclude = WorkspaceModel.audit_exclude | {"rne_key", "search_name"}

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "rne_key"],
                condition=~models.Q(rne_key=""),
                name="unique_rne_key_per_workspace",
            )
        ]
        verbose_name = _("élu·e")
        verbose_name_plural = _("élu·e·s")

    def save(self, *args, **kwargs) -> None:
        self.search_name = normalize_name(f"{self.first_name} {self.last_name}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_current(self) -> bool:
        return self.mandate_end is None

    @property
    def from_rne(self) -> bool:
        """Imported from the Répertoire national des élus (see services.elected_import_rne)."""
        return bool(self.rne_key) and not self.rne_key.startswith(DEMO_KEY_PREFIX)

    @property
    def constituency(self):
        """Where the member was elected: a canton (département) or a section (région)."""
        return self.canton or self.section
