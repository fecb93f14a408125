"""Campaigns and their criteria grid."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hemicycle.accounts.models import Workspace
from hemicycle.juries.models import Campaign, Criterion
from hemicycle.territory.models import Commune

# The grid of the Nord's ecologist jury: ecological, social and democratic transition.
DEFAULT_CRITERIA = "Transition écologique ; 2\nJustice sociale ; 2\nVie démocratique ; 1\n" \
    "Ancrage local ; 1"


def criteria_parse(text: str) -> list[tuple[str, int]]:
    """"Transition écologique ; 2" lines → [(label, weight)]; weight 1 when omitted."""
    rows, errors = [], []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        label, _sep, weight = line.partition(";")
        label, weight = label.strip(), weight.strip() or "1"
        if not label or not weight.isdigit() or not 1 <= int(weight) <= 10:
            errors.append(_("ligne %(n)d : « libellé ; poids » attendu, poids de 1 à 10")
                          % {"n": n})
            continue
        rows.append((label[:200], int(weight)))
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("Indiquez au moins un critère."))
    return rows


def campaign_criteria(campaign: Campaign):
    """The campaign's criteria, scoped to its workspace (defence in depth)."""
    return Criterion.objects.filter(workspace=campaign.workspace_id, campaign=campaign)


def criteria_weights(campaign: Campaign) -> dict[str, int]:
    """{criterion id (str): weight}, the keys of ``Review.scores``."""
    return {str(c.pk): c.weight for c in campaign_criteria(campaign)}


def criteria_text(campaign: Campaign) -> str:
    return "\n".join(f"{c.label} ; {c.weight}" for c in campaign_criteria(campaign))


def communes_parse(text: str) -> list[Commune]:
    codes = [c.strip().upper() for c in (text or "").replace(";", ",").split(",") if c.strip()]
    found = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError(_("Codes INSEE inconnus : %(codes)s") % {"codes": ", ".join(unknown)})
    return [found[c] for c in codes]


def _check(fields: dict) -> None:
    errors = {}
    if fields["closes_on"] < fields["opens_on"]:
        errors["closes_on"] = _("La clôture doit suivre l'ouverture.")
    low, high = fields.get("min_amount"), fields.get("max_amount")
    if low is not None and high is not None and low > high:
        errors["max_amount"] = _("Le maximum doit dépasser le minimum.")
    if high is not None and high > fields["envelope"]:
        errors["max_amount"] = _("Le maximum dépasse l'enveloppe.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def campaign_save(*, workspace: Workspace, campaign: Campaign | None = None,
                  criteria: list[tuple[str, int]], cantons=(), communes=(),
                  **fields) -> Campaign:
    """Create or update a campaign with its territory and criteria grid. Criteria that
    already have scores keep their identity (renamed or re-weighted in place)."""
    _check(fields)
    if campaign is None:
        campaign = Campaign(workspace=workspace)
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    campaign.save()
    campaign.cantons.set(cantons)
    campaign.communes.set(communes)
    existing = list(campaign_criteria(campaign))
    for position, (label, weight) in enumerate(criteria):
        if position < len(existing):
            criterion = existing[position]
            criterion.label, criterion.weight, criterion.position = label, weight, position
            criterion.save()
        else:
            Criterion.objects.create(workspace=workspace, campaign=campaign, label=label,
                                     weight=weight, position=position)
    for extra in existing[len(criteria):]:
        extra.delete()
    return campaign


def campaigns_of(workspace: Workspace):
    return Campaign.objects.filter(workspace=workspace).prefetch_related("cantons")
