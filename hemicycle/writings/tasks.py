"""Background jobs: they load rows by id and call a service."""

from django_tasks import task

from hemicycle.writings.models import DraftProposal


@task()
def draft_run_task(proposal_id: int) -> str:
    """Ask the language model for a proposed draft. Returns the proposal's status."""
    from hemicycle.writings.drafting import draft_run

    proposal = DraftProposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        return "missing"
    return draft_run(proposal).status
