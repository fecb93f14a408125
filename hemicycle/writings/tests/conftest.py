"""A small factory of council rows (the council app owns them; these tests make their own)
and a report with a realistic text."""

import datetime

import pytest
from django.utils import timezone

from hemicycle.council.models import Body, Report, Sitting
from hemicycle.elected.models import ElectedMember

AIL_TEXT = """RAPPORT N° DAT/2024/112
OBJET : Actions d'Intérêt Local – programmation 2024 du canton de Lille-3

Le Département soutient chaque année les associations du territoire au titre des Actions
d'Intérêt Local. Pour le canton de Lille-3, l'enveloppe s'élève à 87 458 € en 2024.

Il est proposé d'attribuer les subventions suivantes :
Association Les Jardins de Moulins : 12 000 €
Collectif Vélo Lille : 8 500 €
Maison de quartier de Wazemmes : 15 000 €

Ces actions concernent principalement les quartiers de Lille et la commune de Lomme.
La Commission permanente décide d'approuver la programmation et d'autoriser le versement
des subventions pour un montant total de 35 500 €.
"""


def make_body(workspace, name: str = "Commission permanente",
              kind: str = Body.Kind.STANDING_COMMITTEE) -> Body:
    return Body.objects.get_or_create(workspace=workspace, name=name,
                                      defaults={"kind": kind})[0]


def make_sitting(workspace, *, days: int = 7, status: str = Sitting.Status.ANNOUNCED,
                 body: Body | None = None, title: str = "") -> Sitting:
    return Sitting.objects.create(
        workspace=workspace, body=body or make_body(workspace), title=title,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        place="Hôtel du Département, Lille", status=status)


def make_report(sitting: Sitting, *, rank: int = 1, number: str = "DAT/2024/112",
                title: str = "Actions d'Intérêt Local – programmation 2024 du canton de Lille-3",
                text: str = AIL_TEXT, **fields) -> Report:
    return Report.objects.create(workspace=sitting.workspace, sitting=sitting, rank=rank,
                                 number=number, title=title, text=text, **fields)


@pytest.fixture
def sitting(workspace) -> Sitting:
    return make_sitting(workspace, title="Commission permanente du 14 octobre")


@pytest.fixture
def report(sitting) -> Report:
    return make_report(sitting)


@pytest.fixture
def held_sitting(workspace) -> Sitting:
    return make_sitting(workspace, days=-3, status=Sitting.Status.HELD,
                        title="Séance plénière de septembre",
                        body=make_body(workspace, "Séance plénière", Body.Kind.PLENARY))


@pytest.fixture
def member(workspace, elodie) -> ElectedMember:
    return ElectedMember.objects.create(workspace=workspace, first_name="Nora",
                                        last_name="Benaïssa", in_group=True)
