from django_tasks import task

from hemicycle.accounts.models import Invitation


@task()
def invitation_send_task(invitation_id: int) -> bool:
    """Mail an invitation's link (off the request: a slow or failing mail server never
    blocks the admin). Returns whether the mail left."""
    invitation = Invitation.objects.select_related("workspace", "invited_by").filter(
        pk=invitation_id).first()
    if invitation is None or not invitation.is_pending:
        return False
    from hemicycle.accounts.services import invitation_send

    return invitation_send(invitation=invitation) is not None
