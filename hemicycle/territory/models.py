"""France's territory (reference data shared by all workspaces) and its assemblies.

Loaded by `hemicycle load_territory` from the data shipped in `territory/data/`
(INSEE COG 2026, IGN ADMIN EXPRESS 2018 outlines; Licence Ouverte). Not workspace data:
the same communes serve every group, and nothing here is personal.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hemicycle.territory.names import with_de


def name_article_field() -> models.PositiveSmallIntegerField:
    # INSEE's TNCC ("typeLiaison" in the COG files): which article the name takes,
    # 0 "de Normandie", 1 "d'Occitanie", 2 "du Nord", 3 "de la Manche", 4 "des
    # Hauts-de-France", 5 "de l'Orne"… See names.py.
    return models.PositiveSmallIntegerField(_("article du nom (TNCC)"), default=0)


class Region(models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    name_article = name_article_field()
    # GeoJSON geometry (WGS84) as text; empty where no outline is shipped.
    geometry = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("région")

    def __str__(self) -> str:
        return self.name

    @property
    def of_name(self) -> str:
        """ "de Normandie", "des Hauts-de-France"."""
        return with_de(self.name, self.name_article)


class Departement(models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    name_article = name_article_field()
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")
    geometry = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def of_name(self) -> str:
        """ "du Nord", "de la Manche", "de l'Orne"."""
        return with_de(self.name, self.name_article)


class Canton(models.Model):
    """A département's electoral district (2015 map): two councillors each."""

    code = models.CharField(_("code"), max_length=5, unique=True)  # "59025" = Lille-3
    name = models.CharField(_("nom"), max_length=120)
    search_name = models.CharField(max_length=120, db_index=True)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="cantons")
    geometry = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("canton")

    def __str__(self) -> str:
        return self.name


class Epci(models.Model):
    """An intercommunality (métropole, communauté urbaine / d'agglomération / de communes)."""

    siren = models.CharField(_("SIREN"), max_length=9, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("nature"), max_length=10)  # METRO, CU, CA, CC
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("intercommunalité (EPCI)")
        verbose_name_plural = _("intercommunalités (EPCI)")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    insee_code = models.CharField(_("code INSEE"), max_length=5, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    name_article = name_article_field()
    # Lower case, no accents, œ → oe, hyphens and apostrophes → spaces: for look-ups.
    search_name = models.CharField(max_length=120, db_index=True)
    departement = models.ForeignKey(
        Departement, null=True, on_delete=models.PROTECT, related_name="communes"
    )
    # Space-separated, e.g. "59000 59160 59260 59777 59800".
    postal_codes = models.CharField(_("codes postaux"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    epci = models.ForeignKey(
        Epci, null=True, blank=True, on_delete=models.SET_NULL, related_name="communes"
    )
    cantons = models.ManyToManyField(Canton, through="CommuneCanton", related_name="communes")
    geometry = models.TextField(blank=True)
    # A point inside the commune (not the centroid, which can fall outside).
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")

    def __str__(self) -> str:
        return self.name

    @property
    def of_name(self) -> str:
        """ "de Lille", "du Cateau-Cambrésis"."""
        return with_de(self.name, self.name_article)

    @property
    def postal_code_list(self) -> list[str]:
        return self.postal_codes.split()


class CommuneCanton(models.Model):
    """A commune lies in one canton, or in several (Lille is split between six)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE)
    canton = models.ForeignKey(Canton, on_delete=models.CASCADE)
    # Share of the commune's area inside this canton, from the spatial join (0–1].
    share = models.FloatField(default=1.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "canton"], name="unique_commune_canton")
        ]

    def __str__(self) -> str:
        return f"{self.commune} – {self.canton} ({self.share:.0%})"


class Assembly(models.Model):
    """A council: the assembly of a département, région, commune or EPCI."""

    class Kind(models.TextChoices):
        DEPARTEMENT = "departement", _("Conseil départemental")
        REGION = "region", _("Conseil régional")
        COMMUNE = "commune", _("Conseil municipal")
        EPCI = "epci", _("Conseil communautaire / métropolitain")

    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("nom"), max_length=200)  # "Conseil départemental du Nord"
    code = models.CharField(_("code officiel"), max_length=9)  # 59, 28, 59350, SIREN
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT)
    departement = models.ForeignKey(Departement, null=True, blank=True, on_delete=models.PROTECT)
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.PROTECT)
    epci = models.ForeignKey(Epci, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="unique_assembly_kind_code")
        ]
        verbose_name = _("assemblée")

    def __str__(self) -> str:
        return self.name
