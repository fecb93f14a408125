"""External roles are not given by hand: a juror comes with its campaign's scope."""

from hemicycle.accounts.forms import InvitationForm, MembershipForm
from hemicycle.accounts.roles import Role


def test_the_invitation_and_role_forms_do_not_offer_the_juror_role():
    for form in (InvitationForm(), MembershipForm()):
        values = [value for value, _label in form.fields["role"].choices]
        assert Role.JUROR not in values and Role.STAFF in values
    form = InvitationForm(data={"email": "x@example.org", "role": Role.JUROR})
    assert not form.is_valid() and "role" in form.errors
