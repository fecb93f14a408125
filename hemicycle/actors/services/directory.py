"""The directory: actors, their place, relations, themes and tags, segments."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hemicycle.actors import identifiers
from hemicycle.actors.geocode import Gazetteer
from hemicycle.actors.models import Actor, Relation, Segment, Tag, Theme
from hemicycle.territory.models import Commune

__all__ = [
    "actor_create", "actor_update", "actor_locate", "actor_set_tags", "relation_add",
    "relation_end", "relation_delete", "theme_create", "theme_rename", "theme_delete",
    "segment_save", "segment_rename", "segment_delete",
]

ACTOR_RELATED = ("themes", "tags", "cantons")


def actor_locate(actor: Actor, gazetteer: Gazetteer | None = None) -> list[int]:
    """Fill the commune, the point and the canton ids from the address (offline).

    The commune chosen in the form wins over the postal code and town; a point typed
    by hand is kept. Returns the canton ids (set them once the actor is saved).
    """
    if gazetteer is None:
        communes = Commune.objects.none()
        if actor.commune_id:
            communes = Commune.objects.filter(pk=actor.commune_id)
        elif actor.postal_code.strip():
            communes = Commune.objects.filter(postal_codes__contains=actor.postal_code.strip())
        gazetteer = Gazetteer(communes)
    insee = actor.commune.insee_code if actor.commune_id else ""
    own_point = not actor.approximate_position and actor.latitude is not None
    place = gazetteer.locate(
        insee, actor.postal_code, actor.city,
        actor.latitude if own_point else None, actor.longitude if own_point else None)
    if place.commune_id:
        actor.commune_id = place.commune_id
    if place.latitude is not None:
        actor.latitude, actor.longitude = place.latitude, place.longitude
        actor.approximate_position = place.approximate
    return place.canton_ids


def _clean_identifiers(data: dict) -> dict:
    for key in ("rna_id", "siren", "siret"):
        if data.get(key):
            data[key] = identifiers.clean(data[key])
    return data


def _check_unique(workspace, actor: Actor | None, data: dict) -> None:
    """Same RNA or SIREN → same actor: refuse a second one."""
    others = Actor.objects.filter(workspace=workspace, merged_into=None)
    if actor is not None and actor.pk:
        others = others.exclude(pk=actor.pk)
    for key, label in (("rna_id", _("ce numéro RNA")), ("siren", _("ce SIREN"))):
        if data.get(key):
            found = others.filter(**{key: data[key]}).first()
            if found:
                raise ValidationError(
                    _("Un acteur porte déjà %(what)s : %(name)s.") % {"what": label,
                                                                    "name": found.name})


@transaction.atomic
def actor_create(*, workspace, data: dict, by=None) -> Actor:
    data = _clean_identifiers(dict(data))
    related = {key: data.pop(key) for key in ACTOR_RELATED if key in data}
    tag_names = data.pop("tag_names", None)
    _check_unique(workspace, None, data)
    actor = Actor(workspace=workspace, **data)
    if not actor.type:
        actor.type = Actor.Type.ORGANISATION
    cantons = actor_locate(actor)
    actor.fill_derived()
    actor.full_clean(exclude=["workspace", "code"])
    actor.save()
    actor.themes.set(related.get("themes", []))
    actor.tags.set(related.get("tags", []))
    actor.cantons.set(related.get("cantons") or cantons)
    if tag_names is not None:
        actor_set_tags(actor=actor, names=tag_names)
    return actor


@transaction.atomic
def actor_update(*, actor: Actor, data: dict) -> Actor:
    data = _clean_identifiers(dict(data))
    related = {key: data.pop(key) for key in ACTOR_RELATED if key in data}
    tag_names = data.pop("tag_names", None)
    _check_unique(actor.workspace, actor, data)
    moved = any(data.get(k, getattr(actor, k)) != getattr(actor, k)
                for k in ("commune", "postal_code", "city", "latitude", "longitude"))
    for key, value in data.items():
        setattr(actor, key, value)
    cantons = actor_locate(actor) if moved else None
    actor.fill_derived()
    actor.full_clean(exclude=["workspace", "code"])
    actor.save()
    if "themes" in related:
        actor.themes.set(related["themes"])
    if "tags" in related:
        actor.tags.set(related["tags"])
    if related.get("cantons"):
        actor.cantons.set(related["cantons"])
    elif cantons is not None:
        actor.cantons.set(cantons)
    if tag_names is not None:
        actor_set_tags(actor=actor, names=tag_names)
    return actor


def actor_set_tags(*, actor: Actor, names: list[str]) -> None:
    """Free tags: typed names, created on first use in the workspace."""
    tags = []
    for name in dict.fromkeys(n.strip()[:60] for n in names if n.strip()):
        tag, _created = Tag.objects.get_or_create(workspace=actor.workspace, name=name)
        tags.append(tag)
    actor.tags.set(tags)


@transaction.atomic
def relation_add(*, source: Actor, target: Actor, kind: str, title: str = "",
                 start_on=None, end_on=None) -> Relation:
    if source.workspace_id != target.workspace_id or source.pk == target.pk:
        raise ValidationError(_("Relation impossible entre ces deux acteurs."))
    if target.is_person:
        raise ValidationError(_("Une relation pointe vers une structure."))
    relation = Relation(workspace=source.workspace, source=source, target=target, kind=kind,
                        title=title, start_on=start_on, end_on=end_on)
    relation.full_clean(exclude=["workspace", "code"])
    relation.save()
    return relation


@transaction.atomic
def relation_end(*, relation: Relation, end_on) -> Relation:
    """The relation stops on ``end_on`` (a president steps down, a membership lapses)."""
    if end_on is None:
        raise ValidationError(_("Indiquez la date de fin."))
    if relation.start_on and end_on < relation.start_on:
        raise ValidationError(_("La date de fin précède le début de la relation (%(start)s).")
                              % {"start": relation.start_on.strftime("%d/%m/%Y")})
    relation.end_on = end_on
    relation.save(update_fields=["end_on", "updated_at"])
    return relation


@transaction.atomic
def relation_delete(*, relation: Relation) -> None:
    """A relation entered by mistake (the audit trail keeps a line of it)."""
    relation.delete()


def theme_create(*, workspace, name: str, parent: Theme | None = None) -> Theme:
    name = name.strip()
    if not name:
        raise ValidationError(_("Donnez un nom au thème."))
    if Theme.objects.filter(workspace=workspace, parent=parent, name__iexact=name).exists():
        raise ValidationError(_("Ce thème existe déjà."))
    return Theme.objects.create(workspace=workspace, name=name, parent=parent)


def theme_rename(*, theme: Theme, name: str) -> Theme:
    name = name.strip()
    if not name:
        raise ValidationError(_("Donnez un nom au thème."))
    siblings = Theme.objects.filter(workspace=theme.workspace, parent=theme.parent_id)
    if siblings.exclude(pk=theme.pk).filter(name__iexact=name).exists():
        raise ValidationError(_("Ce thème existe déjà."))
    theme.name = name
    theme.save(update_fields=["name", "updated_at"])
    return theme


@transaction.atomic
def theme_delete(*, theme: Theme) -> None:
    """Only an unused theme goes: no actor filed under it, no theme below it."""
    actors = theme.actors.count()
    if actors:
        raise ValidationError(_(
            "Le thème « %(name)s » est attribué à %(count)d acteur(s) : retirez-le de leurs "
            "fiches avant de le supprimer.") % {"name": theme.name, "count": actors})
    if theme.children.exists():
        raise ValidationError(_(
            "Le thème « %(name)s » contient des sous-thèmes : supprimez-les ou déplacez-les "
            "d'abord.") % {"name": theme.name})
    theme.delete()


def segment_save(*, workspace, name: str, filters: dict, by=None,
                 segment: Segment | None = None) -> Segment:
    name = name.strip()
    if not name:
        raise ValidationError(_("Donnez un nom au segment."))
    if segment is None:
        return Segment.objects.create(workspace=workspace, name=name, filters=filters,
                                      author=by)
    segment.name, segment.filters = name, filters
    segment.save()
    return segment


def segment_rename(*, segment: Segment, name: str) -> Segment:
    name = name.strip()
    if not name:
        raise ValidationError(_("Donnez un nom au segment."))
    segment.name = name
    segment.save(update_fields=["name", "updated_at"])
    return segment


def segment_campaigns(segment: Segment) -> list[str]:
    """Subjects of the mailings addressed to this segment (newsletters, read-only)."""
    if not apps.is_installed("hemicycle.newsletters"):
        return []
    from hemicycle.actors.audiences import SOURCE

    campaign = apps.get_model("newsletters", "Campaign")
    return list(campaign.objects.filter(
        workspace=segment.workspace, audience=f"{SOURCE.key}|{segment.code}",
    ).values_list("subject", flat=True))


@transaction.atomic
def segment_delete(*, segment: Segment) -> None:
    """A segment that a mailing was addressed to stays (its recipients must be traceable)."""
    used = segment_campaigns(segment)
    if used:
        raise ValidationError(_(
            "Le segment « %(name)s » est le public de %(count)d lettre(s) (%(subjects)s) : il "
            "ne peut pas être supprimé. Renommez-le plutôt.") % {
                "name": segment.name, "count": len(used),
                "subjects": ", ".join(f"« {s} »" for s in used[:3])})
    segment.delete()
