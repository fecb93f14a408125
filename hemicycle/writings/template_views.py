"""The workspace's document template (letterhead, logo, colours, signatures): an
admin-only settings page, and a sample document to check the result."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hemicycle.accounts.access import workspace_view
from hemicycle.elected.models import ElectedMember
from hemicycle.writings import queries, services
from hemicycle.writings.exports import ExportDoc, Part, SignatureBlock, export_response
from hemicycle.writings.forms import LetterheadForm, SignatureFormSet
from hemicycle.writings.models import Signature


def _signature_initial(request: HttpRequest) -> list[dict]:
    members = ElectedMember.objects.filter(workspace=request.workspace, in_group=True,
                                           mandate_end=None).order_by("last_name", "first_name")
    signatures = {s.member_id: s for s in Signature.objects.filter(workspace=request.workspace)}
    return [{"member": m, "name": getattr(signatures.get(m.pk), "name", ""),
             "title": getattr(signatures.get(m.pk), "title", "")} for m in members]


@workspace_view("manage")
def template_settings(request: HttpRequest) -> HttpResponse:
    letterhead = queries.letterhead_of(request.workspace)
    workspace = request.workspace
    form = LetterheadForm(request.POST or None, request.FILES or None, instance=letterhead,
                          initial={"primary_color": letterhead.primary_color
                                   or workspace.primary_color,
                                   "secondary_color": letterhead.secondary_color
                                   or workspace.secondary_color})
    signatures = SignatureFormSet(request.POST or None, prefix="sig",
                                  initial=_signature_initial(request),
                                  form_kwargs={"workspace": workspace})
    if request.method == "POST" and form.is_valid() and signatures.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.template_save(
                workspace=workspace, letterhead=fields, logo=form.cleaned_data["logo_file"],
                remove_logo=form.cleaned_data["remove_logo"],
                signatures=[f.cleaned_data for f in signatures.forms if f.cleaned_data])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Modèle de documents enregistré."))
            return redirect("writings:template-settings", workspace.slug)
    return render(request, "writings/template_settings.html", {
        "form": form, "signatures": signatures, "branding": queries.branding_of(workspace)})


@workspace_view("manage")
def template_sample(request: HttpRequest, fmt: str) -> HttpResponse:
    """A sample document with the letterhead and the default signature."""
    letterhead = queries.letterhead_of(request.workspace)
    signature = (SignatureBlock(letterhead.signature_name, letterhead.signature_title)
                 if letterhead.signature_name or letterhead.signature_title else None)
    return export_response(ExportDoc(
        workspace=request.workspace, title=_("Exemple de document"),
        subtitle=_("Aperçu de l’en-tête et de la signature"),
        facts=[(_("Type"), _("Exemple"))],
        parts=[Part("markup", text=_("Le texte de l’écrit vient ici."))],
        signature=signature), fmt)
