"""Services of the optional drafting help: build the prompt (shown to the user before
anything is sent), ask the OpenAI-compatible endpoint in a background task, keep the
proposal for the user to insert. Off while HEMICYCLE_LLM_URL is empty."""

import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.accounts.models import User
from hemicycle.council.models import Report
from hemicycle.writings import llm, markup
from hemicycle.writings.models import DraftProposal, Note, Writing

logger = logging.getLogger(__name__)

# Enough of a report for a model with a modest context window (about 4,000 tokens).
SOURCE_LIMIT = 12000


def drafting_enabled() -> bool:
    return bool(settings.HEMICYCLE_LLM_URL and settings.HEMICYCLE_LLM_MODEL)


def _endpoint() -> llm.Endpoint:
    return llm.Endpoint(url=settings.HEMICYCLE_LLM_URL, model=settings.HEMICYCLE_LLM_MODEL,
                        api_key=settings.HEMICYCLE_LLM_API_KEY or "",
                        timeout=float(settings.HEMICYCLE_LLM_TIMEOUT))


def _instructions() -> dict[str, str]:
    return {
        "note": _("Rédige une note d’analyse du rapport ci-dessous pour les élu·e·s du "
                  "groupe : enjeux, chiffres clés, points de vigilance, questions à poser, "
                  "vote à envisager. 400 mots au plus."),
        Writing.Kind.SPEECH: _("Rédige une intervention en séance de deux à trois minutes, "
                               "au nom du groupe, sur le sujet ci-dessous."),
        Writing.Kind.ORAL_QUESTION: _("Rédige une question orale brève et précise à "
                                      "l’exécutif sur le sujet ci-dessous."),
        Writing.Kind.AMENDMENT: _("Rédige l’exposé des motifs de l’amendement ci-dessous "
                                  "(texte d’origine et texte proposé) : pourquoi le groupe "
                                  "propose cette modification."),
        Writing.Kind.MOTION: _("Rédige un vœu : une série de « considérant », puis "
                               "« émet le vœu que »."),
        Writing.Kind.ANALYSIS_NOTE: _("Rédige une note d’analyse pour les élu·e·s du "
                                      "groupe : constat, enjeux, propositions."),
        Writing.Kind.PRESS_RELEASE: _("Rédige un communiqué de presse court : un titre, un "
                                      "chapeau, trois paragraphes, une citation d’élu·e."),
        Writing.Kind.MINUTES: _("Rédige la synthèse du compte rendu de réunion ci-dessous, "
                                "en reprenant les décisions."),
    }


def _system(workspace) -> str:
    return _("Tu es l’assistant·e de rédaction du groupe « %(group)s » (%(assembly)s). Tu "
             "écris en français, de façon claire, sobre et factuelle. Tu t’appuies "
             "uniquement sur le texte source fourni : tu n’inventes ni chiffre, ni nom, ni "
             "citation. Tu réponds par le seul texte proposé, en Markdown simple.") % {
        "group": workspace.name, "assembly": workspace.assembly}


def _cut(text: str) -> str:
    text = text.strip()
    return text if len(text) <= SOURCE_LIMIT else text[:SOURCE_LIMIT].rstrip() + " […]"


def _report_source(report: Report) -> list[str]:
    heading = f"{report.number} — {report.title}" if report.number else report.title
    return [_("Rapport : %(heading)s") % {"heading": heading},
            _cut(report.text or report.summary or "")]


def note_source(report: Report, note: Note | None) -> str:
    parts = _report_source(report)
    if note is not None and note.body.strip():
        parts += [_("Note actuelle (à compléter) :"), _cut(note.body)]
    return "\n\n".join(p for p in parts if p)


def writing_source(writing: Writing) -> str:
    parts = [_("%(kind)s : %(title)s") % {"kind": writing.get_kind_display(),
                                          "title": writing.title}]
    if writing.report is not None:
        parts += _report_source(writing.report)
    if writing.kind == Writing.Kind.AMENDMENT:
        if writing.paragraph:
            parts.append(_("Alinéa visé : %(paragraph)s") % {"paragraph": writing.paragraph})
        parts += [_("Texte d’origine :"), writing.original_text.strip(),
                  _("Texte proposé :"), writing.proposed_text.strip()]
    if writing.kind == Writing.Kind.MINUTES:
        parts += [f"- {item.label} : {item.decision}" for item in writing.items.all()]
    if writing.body.strip():
        parts += [_("Brouillon actuel :"), _cut(markup.plain(writing.body))]
    return "\n\n".join(p for p in parts if p)


def draft_messages(*, workspace, kind: str, source: str) -> list[dict]:
    """Exactly what is sent: a system message, then the instruction and the source."""
    instruction = _instructions()[kind]
    return [{"role": "system", "content": _system(workspace)},
            {"role": "user", "content": f"{instruction}\n\n--- {_('Texte source')} ---\n\n"
                                        f"{source}"}]


def note_draft_messages(report: Report, note: Note | None) -> list[dict]:
    return draft_messages(workspace=report.workspace, kind="note",
                          source=note_source(report, note))


def writing_draft_messages(writing: Writing) -> list[dict]:
    return draft_messages(workspace=writing.workspace, kind=writing.kind,
                          source=writing_source(writing))


@transaction.atomic
def draft_request(*, by: User, messages: list[dict], report: Report | None = None,
                  writing: Writing | None = None) -> DraftProposal:
    """Record the request and send it in the background (the page polls the result)."""
    from hemicycle.writings.tasks import draft_run_task

    target = writing or report
    proposal = DraftProposal.objects.create(
        workspace=target.workspace, report=report, writing=writing, requested_by=by,
        model_name=settings.HEMICYCLE_LLM_MODEL, messages=messages)
    transaction.on_commit(lambda: draft_run_task.enqueue(proposal_id=proposal.pk))
    return proposal


def draft_run(proposal: DraftProposal) -> DraftProposal:
    """Ask the endpoint; store the proposal or a clear French error."""
    if proposal.status != DraftProposal.Status.PENDING:
        return proposal
    try:
        proposal.result = llm.chat_complete(_endpoint(), proposal.messages)
        proposal.status = DraftProposal.Status.DONE
    except llm.LLMError as error:
        logger.warning("Drafting help failed: %s", error)
        proposal.status, proposal.error = DraftProposal.Status.FAILED, error_message(error)
    proposal.finished_at = timezone.now()
    proposal.save()
    return proposal


def error_message(error: llm.LLMError) -> str:
    messages = {
        "unauthorized": _("Le service de rédaction a refusé la clé d’accès (erreur %(status)s) "
                          ": vérifiez HEMICYCLE_LLM_API_KEY."),
        "rate_limited": _("Le service de rédaction reçoit trop de demandes (erreur 429) : "
                          "réessayez dans une minute."),
        "server": _("Le service de rédaction est en panne (erreur %(status)s) : réessayez "
                    "plus tard."),
        "http": _("Le service de rédaction a répondu par une erreur %(status)s."),
        "timeout": _("Le service de rédaction n’a pas répondu à temps."),
        "connection": _("Le service de rédaction est injoignable : vérifiez "
                        "HEMICYCLE_LLM_URL."),
        "bad_response": _("La réponse du service de rédaction est illisible."),
    }
    return messages.get(error.code, messages["bad_response"]) % {"status": error.status or ""}


def draft_proposal_text(*, workspace, code: str | None, writing: Writing | None = None,
                        report: Report | None = None) -> str:
    """The text of a finished proposal (``?brouillon=<code>``) for this very note or
    writing, or "" — the edit forms append it to the text, unsaved."""
    if not code:
        return ""
    try:
        code = uuid.UUID(code)
    except ValueError:
        return ""
    found = DraftProposal.objects.filter(
        workspace=workspace, code=code, status=DraftProposal.Status.DONE, writing=writing,
        report=report).first()
    return found.result if found else ""
