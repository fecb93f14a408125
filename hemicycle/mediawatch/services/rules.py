"""Keyword rules: saved searches that raise alerts on new clippings."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.accounts.models import Workspace
from hemicycle.mediawatch import matching
from hemicycle.mediawatch.models import Alert, Clipping, KeywordRule
from hemicycle.mediawatch.services.polling import NEAR_WINDOW


@transaction.atomic
def rule_create(*, workspace: Workspace, name: str, query: str, active: bool = True,
                preset: str = "") -> KeywordRule:
    rule = KeywordRule.objects.create(workspace=workspace, name=name, query=query,
                                      active=active, preset=preset)
    rule_apply(rule=rule)
    return rule


@transaction.atomic
def rule_update(*, rule: KeywordRule, **fields) -> KeywordRule:
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.save()
    rule_apply(rule=rule)
    return rule


@transaction.atomic
def rule_delete(*, rule: KeywordRule) -> None:
    rule.delete()


def rule_apply(*, rule: KeywordRule) -> int:
    """Raise the rule's alerts on the recent clippings (the last 30 days): a new rule
    shows at once what it would have caught. Returns how many alerts were added."""
    if not rule.active:
        return 0
    recent = Clipping.objects.filter(workspace=rule.workspace,
                                     created_at__gte=timezone.now() - NEAR_WINDOW)
    try:
        parsed = matching.query_parse(rule.query)
    except matching.QueryError:
        return 0
    # Evaluated here rather than in SQL: a preset may hold hundreds of names, more
    # than SQLite accepts in one expression.
    matched = [pk for pk, text in recent.values_list("pk", "search_text").iterator()
               if matching.evaluate(parsed, text)]
    before = Alert.objects.filter(rule=rule).count()
    Alert.objects.bulk_create(
        [Alert(workspace=rule.workspace, rule=rule, clipping_id=pk) for pk in matched],
        ignore_conflicts=True)
    return Alert.objects.filter(rule=rule).count() - before


def _elected_names(workspace: Workspace) -> list[str]:
    from hemicycle.elected.models import ElectedMember

    members = ElectedMember.objects.filter(workspace=workspace, in_group=True,
                                           mandate_end__isnull=True)
    return [f"{m.first_name} {m.last_name}" for m in members.order_by("last_name")]


def _commune_names(workspace: Workspace) -> list[str]:
    from hemicycle.territory.models import Assembly, Commune

    assembly = workspace.assembly
    communes = Commune.objects.none()
    if assembly.kind == Assembly.Kind.DEPARTEMENT and assembly.departement_id:
        communes = Commune.objects.filter(departement_id=assembly.departement_id)
    elif assembly.kind == Assembly.Kind.REGION and assembly.region_id:
        communes = Commune.objects.filter(departement__region_id=assembly.region_id)
    elif assembly.kind == Assembly.Kind.COMMUNE and assembly.commune_id:
        communes = Commune.objects.filter(pk=assembly.commune_id)
    elif assembly.kind == Assembly.Kind.EPCI and assembly.epci_id:
        communes = Commune.objects.filter(epci_id=assembly.epci_id)
    return sorted(set(communes.values_list("name", flat=True)))


@transaction.atomic
def rule_presets_create(*, workspace: Workspace) -> list[KeywordRule]:
    """Rules built from the workspace: the names of the group's élu·e·s, and the
    communes of the assembly. Re-running refreshes them (the lists change)."""
    made = []
    presets = [
        (KeywordRule.Preset.ELECTED, _("Élu·e·s du groupe cité·e·s"), _elected_names),
        (KeywordRule.Preset.COMMUNES, _("Communes du territoire (%(assembly)s)")
         % {"assembly": workspace.assembly.name}, _commune_names),
    ]
    for preset, name, names_of in presets:
        names = names_of(workspace)
        if not names:
            continue
        text = " OU ".join(matching.quote(n) for n in names)
        rule = KeywordRule.objects.filter(workspace=workspace, preset=preset).first()
        if rule is None:
            made.append(rule_create(workspace=workspace, name=name, query=text,
                                    preset=preset))
        else:
            made.append(rule_update(rule=rule, query=text))
    return made
