"""The attendance of a sitting: correct it by hand, or read it again from the minutes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemicycle.accounts.access import get_object_for_user, workspace_view
from hemicycle.council.models import Attendance, Sitting
from hemicycle.council.services import attendance

EMPTY_ROWS = 5


@workspace_view("write")
def attendance_edit(request: HttpRequest, code) -> HttpResponse:
    sitting = get_object_for_user(request, Sitting.objects.select_related("body"), code)
    errors: list[str] = []
    if request.method == "POST":
        entries = [attendance.AttendanceEntry(name, state, holder) for name, state, holder in zip(
            request.POST.getlist("name"), request.POST.getlist("state"),
            request.POST.getlist("proxy_holder"), strict=False)]
        try:
            attendance.attendance_save(sitting=sitting, entries=entries)
        except ValidationError as error:
            errors = error.messages
            rows = entries
        else:
            messages.success(request, _("Présences enregistrées."))
            return redirect("council:sitting-detail", request.workspace.slug, sitting.code)
    else:
        rows = [attendance.AttendanceEntry(line.name, line.state, line.proxy_holder)
                for line in sitting.attendances.all()]
        if not rows:  # start from the group's élus of this body
            rows = [attendance.AttendanceEntry(str(member), Attendance.State.PRESENT)
                    for member in sitting.body.members.filter(in_group=True)]
    rows = list(rows) + [attendance.AttendanceEntry("", Attendance.State.PRESENT)] * EMPTY_ROWS
    return render(request, "council/attendance_form.html", {
        "sitting": sitting, "rows": rows, "errors": errors,
        "states": Attendance.State.choices,
    }, status=400 if errors else 200)


@require_POST
@workspace_view("write")
def attendance_extract(request: HttpRequest, code) -> HttpResponse:
    sitting = get_object_for_user(request, Sitting, code)
    read = attendance.attendance_from_documents(sitting=sitting)
    if read:
        messages.success(request, _("%(count)d personnes lues dans le procès-verbal.") % {
            "count": read})
    else:
        messages.warning(request, _("Aucune liste de présence trouvée dans les documents de "
                                    "la séance (procès-verbal ou recueil)."))
    return redirect("council:sitting-detail", request.workspace.slug, sitting.code)
