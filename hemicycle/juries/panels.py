"""The campaigns and one's jury seats on the dashboard; the GDPR export of a user's
data in this app."""

from django.http import HttpRequest

from hemicycle.juries.models import Application, Campaign, Juror, Volunteer


def campaigns(request: HttpRequest) -> dict | None:
    recent = list(Campaign.objects.filter(workspace=request.workspace)[:4])
    if not recent:
        return None
    counts = {c.pk: c.applications.count() for c in recent}
    return {"campaigns": [(c, counts[c.pk]) for c in recent]}


def jury_seats(request: HttpRequest) -> dict | None:
    """The campaigns the user scores as a juror (None for everyone else)."""
    from hemicycle.juries.services.scoring import juror_campaigns

    seats = juror_campaigns(request)
    return {"seats": seats} if seats else None


def personal_data(user) -> dict | None:
    """What this app holds under the user's e-mail address: applications they filed as
    the contact person, volunteer registrations, jury seats."""
    email = user.email
    if not email:
        return None
    data = {
        "applications": [
            {"campaign": a.campaign.title, "reference": a.reference, "structure": a.structure_name,
             "contact_name": a.contact_name, "contact_email": a.contact_email,
             "contact_phone": a.contact_phone, "title": a.title, "status": a.status}
            for a in Application.objects.filter(contact_email__iexact=email).select_related(
                "campaign")],
        "volunteers": [
            {"campaign": v.college.campaign.title, "college": v.college.name,
             "pseudonym": v.pseudonym, "first_name": v.first_name, "last_name": v.last_name,
             "email": v.email, "phone": v.phone, "address": v.address,
             "postal_code": v.postal_code, "features": v.features,
             "consent_at": v.consent_at.isoformat(), "status": v.status}
            for v in Volunteer.objects.filter(email__iexact=email).select_related(
                "college__campaign")],
        "jurors": [{"campaign": j.campaign.title, "name": j.name, "email": j.email,
                    "active": j.active}
                   for j in Juror.objects.filter(email__iexact=email).select_related("campaign")],
    }
    return data if any(data.values()) else None
