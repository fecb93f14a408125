import pytest

from hemicycle.actors import services
from hemicycle.actors.models import Actor
from hemicycle.territory.models import Commune


@pytest.fixture
def lille(db) -> Commune:
    return Commune.objects.get(insee_code="59350")


@pytest.fixture
def make_actor(workspace):
    def make(name: str = "Maison du Vélo", **data) -> Actor:
        data.setdefault("type", Actor.Type.ORGANISATION)
        if data["type"] == Actor.Type.ORGANISATION:
            data.setdefault("kind", Actor.Kind.ASSOCIATION)
            data.setdefault("name", name)
        return services.actor_create(workspace=data.pop("workspace", workspace), data=data)

    return make


def url(name: str, workspace, *args) -> str:
    from django.urls import reverse

    return reverse(f"actors:{name}", args=[workspace.slug, *args])
