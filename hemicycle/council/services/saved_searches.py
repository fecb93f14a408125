"""Saved searches: a user keeps a search (its words and every facet) under a name and runs
it again in one click."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from hemicycle.accounts.models import User, Workspace
from hemicycle.council.models import SavedSearch

# The search form's parameters a saved search keeps (the page number is not one).
SAVED_FIELDS = ("q", "kind", "body", "sitting", "year", "policy_area", "commission",
                "place", "amount", "writing_kind", "decision", "date_from", "date_to",
                "mine")


def saved_search_params(query_string: str) -> dict[str, str]:
    """The facets of a search URL's query string, empty ones left out."""
    data = QueryDict(query_string)
    return {name: data[name].strip() for name in SAVED_FIELDS
            if data.get(name, "").strip()}


@transaction.atomic
def saved_search_save(*, workspace: Workspace, user: User, name: str,
                      params: dict[str, str]) -> SavedSearch:
    """Keep a search; saving again under the same name replaces it."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Donnez un nom à la recherche."))
    params = {key: value for key, value in params.items() if key in SAVED_FIELDS and value}
    if not params.get("q"):
        raise ValidationError(_("Il n'y a pas de recherche à enregistrer : tapez d'abord "
                                "des mots."))
    saved, _created = SavedSearch.objects.update_or_create(
        workspace=workspace, user=user, name=name[:120], defaults={"params": params})
    return saved


@transaction.atomic
def saved_search_delete(*, saved: SavedSearch) -> None:
    saved.delete()
