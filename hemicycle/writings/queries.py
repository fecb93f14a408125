"""Reads shared by the views, the panels and the exports."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from hemicycle.accounts.models import Workspace
from hemicycle.council import entities, synthesis
from hemicycle.council.models import Report, Sitting
from hemicycle.writings.exports import Branding, SignatureBlock
from hemicycle.writings.models import Letterhead, Note, Position, Signature, Writing

# Enough history for "earlier reports like this one" without reading the whole table.
SIMILAR_POOL = 400


def note_of(report: Report) -> Note | None:
    return Note.objects.filter(report=report).select_related("author").first()


def position_of(report: Report) -> Position | None:
    return (Position.objects.filter(report=report)
            .select_related("decided_by", "proposed_by")
            .prefetch_related("dissents__member", "speakers").first())


def writings_of_report(report: Report) -> QuerySet[Writing]:
    return Writing.objects.filter(report=report).select_related("speaker", "author")


def sitting_reports(sitting: Sitting) -> list[Report]:
    """The sitting's reports in agenda order, each with ``position`` (or None)."""
    reports = list(sitting.reports.filter(workspace=sitting.workspace)
                   .order_by("rank", "number", "pk")
                   .prefetch_related(Prefetch(
                       "group_positions",
                       queryset=Position.objects.select_related("decided_by")
                       .prefetch_related("dissents__member", "speakers"))))
    for report in reports:
        positions = list(report.group_positions.all())
        report.position = positions[0] if positions else None
    return reports


@dataclass
class Similar:
    report: Report
    score: float
    top_amount: Decimal | None  # the largest amount of its text
    change: Decimal | None  # this report's largest amount minus that one


def top_amount(text: str) -> Decimal | None:
    amounts = [a.value for a in entities.find_amounts(text)]
    return max(amounts) if amounts else None


def similar_reports(report: Report, *, k: int = 5) -> list[Similar]:
    """Reports of earlier sittings most like this one (TF-IDF cosine on title and text),
    with the change of the largest amount (last year's envelope → this year's)."""
    text = _similarity_text(report)
    if not text.strip():
        return []
    earlier = Report.objects.filter(workspace=report.workspace).exclude(pk=report.pk)
    if report.sitting_id:
        earlier = earlier.filter(sitting__starts_at__lt=report.sitting.starts_at)
    pool = list(earlier.select_related("sitting").order_by("-created_at")[:SIMILAR_POOL])
    if not pool:
        return []
    index = synthesis.SimilarityIndex({r.pk: _similarity_text(r) for r in pool})
    by_pk = {r.pk: r for r in pool}
    current = top_amount(report.text)
    found = []
    for pk, score in index.rank(text, k=k, minimum=0.1):
        amount = top_amount(by_pk[pk].text)
        change = current - amount if current is not None and amount is not None else None
        found.append(Similar(by_pk[pk], score, amount, change))
    return found


def _similarity_text(report: Report) -> str:
    # The title and the automatic summary, or the head of the text (where a report says
    # what it is about): enough to match, cheap enough for hundreds of reports per page.
    return f"{report.title}\n{report.summary or report.text[:6000]}"


def writings_to_review(workspace: Workspace) -> QuerySet[Writing]:
    return (Writing.objects.filter(workspace=workspace, status=Writing.Status.REVIEW)
            .select_related("speaker", "report"))


def next_sitting(workspace: Workspace) -> Sitting | None:
    return (Sitting.objects.filter(workspace=workspace, starts_at__gte=timezone.now())
            .select_related("body").order_by("starts_at").first())


def undecided_reports(sitting: Sitting) -> list[Report]:
    return [r for r in sitting_reports(sitting) if not (r.position and r.position.vote)]


def recent_sittings(workspace: Workspace, *, limit: int = 12) -> QuerySet[Sitting]:
    return Sitting.objects.filter(workspace=workspace).select_related("body").order_by(
        "-starts_at")[:limit]


# --- document templates ---------------------------------------------------------------


def letterhead_of(workspace: Workspace) -> Letterhead:
    """The workspace's template, or an unsaved empty one (the defaults)."""
    return Letterhead.objects.filter(workspace=workspace).first() or Letterhead(
        workspace=workspace)


def branding_of(workspace: Workspace) -> Branding:
    """What the exports put in the letterhead: the template, else the workspace's own
    name and colours."""
    letterhead = letterhead_of(workspace)
    return Branding(
        name=letterhead.group_name or workspace.name, assembly=str(workspace.assembly),
        address=[line.strip() for line in letterhead.address.splitlines() if line.strip()],
        footer=letterhead.footer,
        primary=letterhead.primary_color or workspace.primary_color,
        secondary=letterhead.secondary_color or workspace.secondary_color,
        logo=bytes(letterhead.logo or b""), logo_type=letterhead.logo_type)


def signature_of(writing: Writing) -> SignatureBlock | None:
    """The élu·e carrying the writing signs it (their signature, else their name);
    without one, the template's default signature, if any."""
    if writing.speaker is not None:
        signature = Signature.objects.filter(member=writing.speaker).first()
        if signature is not None and (signature.name or signature.title):
            return SignatureBlock(signature.name or str(writing.speaker), signature.title)
        return SignatureBlock(str(writing.speaker), "")
    letterhead = letterhead_of(writing.workspace)
    if letterhead.signature_name or letterhead.signature_title:
        return SignatureBlock(letterhead.signature_name, letterhead.signature_title)
    return None
