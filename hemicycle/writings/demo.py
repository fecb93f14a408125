"""Demo data: the group's work on the reports of the council's demo sittings.

Runs after the council's demo step and works on the reports it made; without reports it
makes nothing. Idempotent: notes and positions are one per report, writings are found
again by their title. The recap stays unpublished (a newcomer publishes it).
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.accounts.roles import Role
from hemicycle.council import entities, synthesis
from hemicycle.council.models import Report, Sitting, Vote
from hemicycle.elected.models import ElectedMember
from hemicycle.writings import services
from hemicycle.writings.models import Letterhead, Note, Position, Recap, Writing

PER_SITTING = 8  # positions on the first reports of each sitting
EXPLANATIONS = {
    Vote.FOR: "Notre groupe votera pour ce rapport : il va dans le sens d’une transition "
              "écologique et solidaire du Nord, même si nous resterons attentifs à sa mise "
              "en œuvre dans les cantons.",
    Vote.ABSTAIN: "Nous nous abstiendrons : l’intention est juste, mais les critères "
                  "d’attribution restent opaques et les associations n’ont pas été consultées.",
    Vote.AGAINST: "Nous voterons contre : ce rapport réduit les moyens consacrés à "
                  "l’accompagnement des plus fragiles, au moment où les besoins augmentent.",
}


def demo_writings(result) -> dict[str, int]:
    workspace = result.workspace
    reports = list(Report.objects.filter(workspace=workspace, sitting__isnull=False)
                   .select_related("sitting__body").order_by("sitting__starts_at", "rank", "pk"))
    if not reports:
        return {"positions": 0, "notes": 0, "writings": 0}
    staff, elected = result.users.get(Role.STAFF), result.users.get(Role.ELECTED)
    members = list(ElectedMember.objects.filter(workspace=workspace, in_group=True)
                   .order_by("last_name"))
    counts = {"positions": 0, "notes": 0, "writings": 0}
    by_sitting: dict[int, list[Report]] = {}
    for report in reports:
        by_sitting.setdefault(report.sitting_id, []).append(report)
    for sitting_reports in by_sitting.values():
        for index, report in enumerate(sitting_reports[:PER_SITTING]):
            counts["positions"] += _position(report, index, staff, elected, members)
        for report in sitting_reports[:2]:
            counts["notes"] += _note(report, staff)
    _template(workspace, members)
    counts["writings"] = _writings(workspace, reports, staff, elected, members)
    _recap(workspace, staff)
    return counts


def _vote_for(index: int) -> str:
    return [Vote.FOR, Vote.FOR, Vote.ABSTAIN, Vote.FOR, Vote.AGAINST, Vote.FOR][index % 6]


def _position(report: Report, index: int, staff, elected, members) -> int:
    if Position.objects.filter(report=report).exists():
        return 0
    vote = _vote_for(index)
    services.position_propose(report=report, by=staff, proposed_vote=vote,
                              rationale="Proposition de l’équipe après lecture du rapport.")
    held = report.sitting.status in (Sitting.Status.HELD, Sitting.Status.MINUTES_PUBLISHED)
    if held or index < 3:
        services.position_decide(report=report, by=elected, vote=vote,
                                 explanation=EXPLANATIONS[vote])
    if members:
        services.position_set_speakers(report=report,
                                       speakers=[members[index % len(members)]])
    if vote == Vote.ABSTAIN and members:
        services.dissent_set(report=report, member=members[0], vote=Vote.FOR,
                             reason="Soutien du projet porté dans son canton.")
    return 1


def _template(workspace, members) -> None:
    """The group's letterhead and its élu·e·s' signatures (once)."""
    if Letterhead.objects.filter(workspace=workspace).exists():
        return
    services.template_save(
        workspace=workspace,
        letterhead={"group_name": workspace.name,
                    "address": "Hôtel du Département\n51 rue Gustave Delory\n59047 Lille Cedex",
                    "footer": "Groupe au Conseil départemental du Nord · groupe@demo.hemicycle.fr",
                    "signature_name": f"Les élu·e·s du {workspace.name}"},
        signatures=[{"member": m, "name": str(m),
                     "title": _("Conseiller·e départemental·e du canton de %(canton)s") % {
                         "canton": m.canton} if m.canton_id else _("Conseiller·e départemental·e")}
                    for m in members])


def _note(report: Report, staff) -> int:
    if Note.objects.filter(report=report).exists():
        return 0
    services.note_save(report=report, by=staff, body=services.note_prefill(report),
                       status=Note.Status.READY)
    return 1


def _writings(workspace, reports: list[Report], staff, elected, members) -> int:
    held = [r for r in reports if r.sitting.status in (Sitting.Status.HELD,
                                                       Sitting.Status.MINUTES_PUBLISHED)]
    upcoming = [r for r in reports if r not in held] or reports
    first_held = held[0] if held else reports[0]
    speaker = members[0] if members else None
    other = members[1] if len(members) > 1 else speaker
    specs = [
        dict(kind=Writing.Kind.SPEECH, report=first_held, speaker=speaker, author=staff,
             status=Writing.Status.FINAL,
             title=f"Intervention sur le rapport {first_held.number or first_held.title[:40]}",
             body=_speech(first_held)),
        dict(kind=Writing.Kind.AMENDMENT, report=upcoming[0], speaker=other, author=staff,
             status=Writing.Status.FINAL, file=True,
             title=f"Amendement au rapport {upcoming[0].number or upcoming[0].title[:40]}",
             **_amendment(upcoming[0])),
        dict(kind=Writing.Kind.ORAL_QUESTION, sitting=upcoming[0].sitting, speaker=other,
             author=staff, status=Writing.Status.REVIEW,
             title="Question orale : l’entretien des collèges de la métropole lilloise",
             body="Madame la Présidente,\n\nPlusieurs collèges de Lille-Sud et de Roubaix "
                  "attendent depuis trois ans la rénovation thermique promise. Quel calendrier "
                  "le Département peut-il annoncer aux familles et aux équipes éducatives ?"),
        dict(kind=Writing.Kind.MOTION, sitting=upcoming[0].sitting, speaker=speaker,
             author=staff, status=Writing.Status.DRAFT,
             title="Vœu pour un budget participatif départemental",
             body="Le Conseil départemental du Nord,\n\n- considérant l’opacité de la "
                  "répartition des Actions d’Intérêt Local ;\n- considérant l’expérience des "
                  "jurys citoyens menés dans les cantons de Lille ;\n\n**émet le vœu** que les "
                  "crédits AIL soient progressivement confiés à un budget participatif."),
        dict(kind=Writing.Kind.ANALYSIS_NOTE, author=staff, status=Writing.Status.FINAL,
             title="Note d’analyse : les Actions d’Intérêt Local depuis 2021",
             body="## Constat\n\nL’enveloppe AIL est répartie par canton sans appel à "
                  "projets ni critères publiés.\n\n## Propositions\n\n- publier les "
                  "attributions par canton ;\n- confier une part des crédits à des jurys "
                  "citoyens tirés au sort."),
        dict(kind=Writing.Kind.MINUTES, author=staff, status=Writing.Status.FINAL,
             sitting=upcoming[0].sitting,
             title=f"Réunion de groupe avant la séance du "
                   f"{timezone.localtime(upcoming[0].sitting.starts_at):%d/%m/%Y}",
             meeting_date=(timezone.localtime(upcoming[0].sitting.starts_at)
                           - timedelta(days=3)).date(),
             attendee_members=members[:4], attendee_staff=[u for u in (staff,) if u],
             items=[{"report": r, "discussion": "Présentation de la note de l’équipe.",
                     "decision": f"Position du groupe : {_vote_for(i).label.lower()}"
                                 + (f" ; {members[i % len(members)]} prend la parole."
                                    if members else ".")}
                    for i, r in enumerate(upcoming[:3])]
             + [{"title": "Questions diverses : calendrier des permanences",
                 "decision": "Permanences communes les samedis de décembre."}],
             body="Prochaine réunion de groupe le lundi suivant la séance."),
        dict(kind=Writing.Kind.PRESS_RELEASE, sitting=first_held.sitting, author=staff,
             status=Writing.Status.DRAFT,
             title="Commission permanente : nos votes et nos propositions",
             body="Lors de la dernière séance, le groupe Écologiste et Citoyen a défendu "
                  "une répartition plus transparente des subventions aux associations."),
    ]
    made = 0
    for spec in specs:
        if Writing.objects.filter(workspace=workspace, title=spec["title"]).exists():
            continue
        by, file = spec.pop("author"), spec.pop("file", False)
        writing = services.writing_create(workspace=workspace, by=by, **spec)
        if file:
            services.writing_set_status(writing=writing, by=by, status=Writing.Status.FILED)
        made += 1
    return made


def _speech(report: Report) -> str:
    points = synthesis.summary(report.text, n=2) if report.text else []
    quoted = "\n".join(f"- {' '.join(p.split())}" for p in points)
    return ("Madame la Présidente, chers collègues,\n\n"
            f"Ce rapport, « {report.title} », appelle de notre part trois remarques.\n\n"
            + (f"Il prévoit notamment :\n\n{quoted}\n\n" if quoted else "")
            + "Nous saluons l’effort engagé, mais nous regrettons que les associations du "
              "territoire n’aient pas été associées à sa préparation. Nous demandons qu’un "
              "bilan soit présenté en commission avant la fin de l’année.\n\n"
              "Je vous remercie.")


def _amendment(report: Report) -> dict:
    """Raise the report's first amount by 15 %, or add a follow-up clause."""
    sentences = synthesis.summary(report.text, n=3) if report.text else []
    original = " ".join((sentences[0] if sentences else report.title).split())
    amounts = entities.find_amounts(original)
    if amounts:
        first = amounts[0]
        raised = (first.value * Decimal("1.15")).quantize(Decimal(1))
        proposed = original.replace(first.text, f"{raised:,}".replace(",", " ") + " €", 1)
    else:
        proposed = original.rstrip(".") + ", après avis d’un comité de suivi associant les " \
                                          "associations du territoire."
    return {"paragraph": "Exposé du rapport", "original_text": original,
            "proposed_text": proposed,
            "body": "Cet amendement vise à mieux accompagner les structures locales, dont "
                    "les coûts ont fortement augmenté depuis 2022."}


def _recap(workspace, staff) -> None:
    sitting = (Sitting.objects.filter(workspace=workspace, starts_at__lt=timezone.now(),
                                      status__in=[Sitting.Status.HELD,
                                                  Sitting.Status.MINUTES_PUBLISHED])
               .order_by("-starts_at").first())
    if sitting is not None and not Recap.objects.filter(sitting=sitting).exists():
        services.recap_get_or_create(sitting=sitting, by=staff)
