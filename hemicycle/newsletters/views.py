"""Lists, subscribers and campaigns (staff), and the public pages: subscription form,
confirmation, unsubscribe (with RFC 8058 one-click), archive. Press views: press_views.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hemicycle.accounts.access import get_object_for_user, public, require, workspace_view
from hemicycle.newsletters import campaigns, conf, services, tracking
from hemicycle.newsletters.composing import (
    UNSUBSCRIBE_PLACEHOLDER,
    campaign_compose,
    unsubscribe_token_read,
)
from hemicycle.newsletters.forms import (
    BounceUploadForm,
    CampaignForm,
    EmailsForm,
    EraseForm,
    ImportForm,
    MailingListForm,
    ScheduleForm,
    SubscribeForm,
    TestSendForm,
)
from hemicycle.newsletters.models import (
    Campaign,
    CampaignLink,
    Delivery,
    MailingList,
    Suppression,
)
from hemicycle.newsletters.sending import campaign_counts


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]


# --- staff: overview and lists ---------------------------------------------------------


@workspace_view("read")
def index(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    lists = MailingList.objects.filter(workspace=workspace).annotate(
        subscribed=Count("subscribers", filter=Q(subscribers__status="subscribed")))
    campaign_list = Campaign.objects.filter(
        workspace=workspace, kind=Campaign.Kind.NEWSLETTER).select_related("mailing_list")
    return render(request, "newsletters/newsletter_index.html", {
        "lists": lists, "campaigns": campaign_list,
        "can_write": request.membership.can("write"),
    })


@workspace_view("write")
def list_create(request: HttpRequest) -> HttpResponse:
    initial = {"consent_text": _(
        "J'accepte de recevoir la lettre d'information du groupe par e-mail. Je peux me "
        "désinscrire à tout moment par le lien présent dans chaque message.")}
    form = MailingListForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        mailing_list = services.mailing_list_create(workspace=request.workspace,
                                                    **form.cleaned_data)
        messages.success(request, _("Liste créée."))
        return redirect("newsletters:list-detail", request.workspace.slug, mailing_list.code)
    return render(request, "newsletters/list_form.html", {"form": form, "mailing_list": None})


@workspace_view("read")
def list_detail(request: HttpRequest, code) -> HttpResponse:
    mailing_list = get_object_for_user(request, MailingList, code)
    status = request.GET.get("etat", "")
    subscribers = mailing_list.subscribers.select_related("consent")
    if status:
        subscribers = subscribers.filter(status=status)
    return render(request, "newsletters/list_detail.html", {
        "mailing_list": mailing_list, "subscribers": subscribers[:500],
        "counts": services.mailing_list_counts(mailing_list), "status": status,
        "pending_next_expiry": services.subscription_pending_next_expiry(mailing_list),
        "confirm_days": conf.CONFIRM_DAYS,
        "consents": mailing_list.consent_versions.all(),
        "can_write": request.membership.can("write"),
    })


@workspace_view("write")
def list_edit(request: HttpRequest, code) -> HttpResponse:
    mailing_list = get_object_for_user(request, MailingList, code)
    form = MailingListForm(request.POST or None, instance=mailing_list)
    if request.method == "POST" and form.is_valid():
        services.mailing_list_update(mailing_list=mailing_list, **form.cleaned_data)
        messages.success(request, _("Liste enregistrée."))
        return redirect("newsletters:list-detail", request.workspace.slug, mailing_list.code)
    return render(request, "newsletters/list_form.html",
                  {"form": form, "mailing_list": mailing_list})


@workspace_view("write")
def list_import(request: HttpRequest, code) -> HttpResponse:
    mailing_list = get_object_for_user(request, MailingList, code)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.subscriber_import(
                mailing_list=mailing_list, content=form.cleaned_data["file"].read(),
                by=request.user)
        except ValidationError as error:
            form.add_error("file", error)
    return render(request, "newsletters/list_import.html",
                  {"mailing_list": mailing_list, "form": form, "report": report})


@workspace_view("read")
def addresses(request: HttpRequest) -> HttpResponse:
    """The blocklist, the other suppressed addresses, erasure and bounce reports."""
    workspace = request.workspace
    blocklist_form = EmailsForm(prefix="block")
    erase_form = EraseForm(prefix="erase")
    bounce_form = BounceUploadForm(prefix="bounce")
    if request.method == "POST":
        require(request, "write")
        action = request.POST.get("action")
        if action == "block":
            blocklist_form = EmailsForm(request.POST, prefix="block")
            if blocklist_form.is_valid():
                count = services.blocklist_add(workspace=workspace,
                                               emails=blocklist_form.cleaned_data["emails"],
                                               by=request.user)
                messages.success(request, _("%(n)s adresse(s) ajoutée(s) à la liste noire.")
                                 % {"n": count})
                return redirect("newsletters:addresses", workspace.slug)
        elif action == "unblock":
            services.blocklist_remove(workspace=workspace, email=request.POST.get("email", ""))
            messages.success(request, _("Adresse retirée de la liste noire."))
            return redirect("newsletters:addresses", workspace.slug)
        elif action == "erase":
            erase_form = EraseForm(request.POST, prefix="erase")
            if erase_form.is_valid():
                count = services.subscriber_erase(
                    workspace=workspace, email=erase_form.cleaned_data["email"], by=request.user)
                messages.success(request, _("Adresse effacée (%(n)s enregistrement(s)).")
                                 % {"n": count})
                return redirect("newsletters:addresses", workspace.slug)
        elif action == "bounce":
            bounce_form = BounceUploadForm(request.POST, request.FILES, prefix="bounce")
            if bounce_form.is_valid():
                count = services.bounces_apply(raw=bounce_form.cleaned_data["file"].read(),
                                               workspace=workspace)
                messages.success(request, _("%(n)s adresse(s) marquée(s) en erreur.")
                                 % {"n": count})
                return redirect("newsletters:addresses", workspace.slug)
    return render(request, "newsletters/addresses.html", {
        "suppressions": Suppression.objects.filter(workspace=workspace).order_by(
            "reason", "email")[:1000],
        "blocklist_form": blocklist_form, "erase_form": erase_form, "bounce_form": bounce_form,
        "can_write": request.membership.can("write"),
    })


# --- staff: campaigns ------------------------------------------------------------------


def get_campaign_for_user(request: HttpRequest, code) -> Campaign:
    return get_object_for_user(
        request, Campaign.objects.select_related("mailing_list", "press_release"), code)


@workspace_view("write")
def campaign_create(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    initial = {"mailing_list": MailingList.objects.filter(workspace=workspace).first()}
    form = CampaignForm(request.POST or None, workspace=workspace, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaigns.campaign_create(workspace=workspace, by=request.user,
                                                 **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Brouillon enregistré."))
            return redirect("newsletters:campaign-detail", workspace.slug, campaign.code)
    return render(request, "newsletters/campaign_form.html", {"form": form, "campaign": None})


@workspace_view("write")
def campaign_edit(request: HttpRequest, code) -> HttpResponse:
    campaign = get_campaign_for_user(request, code)
    if not campaign.is_editable:
        messages.error(request, _("Une campagne envoyée ne se modifie plus."))
        return redirect("newsletters:campaign-detail", request.workspace.slug, campaign.code)
    form = CampaignForm(request.POST or None, instance=campaign, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        try:
            campaigns.campaign_update(campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Campagne enregistrée."))
            return redirect("newsletters:campaign-detail", request.workspace.slug, campaign.code)
    return render(request, "newsletters/campaign_form.html", {"form": form, "campaign": campaign})


@workspace_view("read")
def campaign_detail(request: HttpRequest, code) -> HttpResponse:
    campaign = get_campaign_for_user(request, code)
    template = "newsletters/campaign_detail.html"
    if request.htmx:
        template += "#progress"
    return render(request, template, {
        "campaign": campaign, "counts": campaign_counts(campaign),
        "test_form": TestSendForm(initial={"email": request.user.email}),
        "schedule_form": ScheduleForm(),
        "failures": campaign.deliveries.filter(status=Delivery.Status.FAILED)[:50],
        "can_write": request.membership.can("write"),
        "tracking": tracking.campaign_tracking_stats(campaign),
    })


@workspace_view("read")
def campaign_preview(request: HttpRequest, code) -> HttpResponse:
    """The message as recipients will see it: HTML (in the page's frame) or plain text."""
    campaign = get_campaign_for_user(request, code)
    composed = campaign_compose(campaign)
    if request.GET.get("format") == "texte":
        return HttpResponse(composed.text.replace(UNSUBSCRIBE_PLACEHOLDER, "#"),
                            content_type="text/plain; charset=utf-8")
    response = HttpResponse(composed.html.replace(UNSUBSCRIBE_PLACEHOLDER, "#"))
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@require_POST
@workspace_view("write")
def campaign_test(request: HttpRequest, code) -> HttpResponse:
    campaign = get_campaign_for_user(request, code)
    form = TestSendForm(request.POST)
    if form.is_valid():
        try:
            campaigns.campaign_test_send(campaign=campaign, email=form.cleaned_data["email"])
        except OSError as error:
            messages.error(request, _("Le serveur de messagerie a refusé l'envoi : %(e)s")
                           % {"e": error})
        else:
            messages.success(request, _("Essai envoyé à %(email)s.")
                             % {"email": form.cleaned_data["email"]})
    else:
        messages.error(request, _("Adresse d'essai invalide."))
    return redirect("newsletters:campaign-detail", request.workspace.slug, campaign.code)


@require_POST
@workspace_view("write")
def campaign_send(request: HttpRequest, code) -> HttpResponse:
    campaign = get_campaign_for_user(request, code)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            campaign = campaigns.campaign_schedule(
                campaign=campaign, when=form.cleaned_data["when"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if campaign.scheduled_at:
                messages.success(request, _("Envoi programmé."))
            else:
                messages.success(request, _("Envoi lancé."))
    else:
        messages.error(request, _("Date d'envoi invalide."))
    return redirect("newsletters:campaign-detail", request.workspace.slug, campaign.code)


@require_POST
@workspace_view("write")
def campaign_cancel(request: HttpRequest, code) -> HttpResponse:
    campaign = get_campaign_for_user(request, code)
    try:
        campaigns.campaign_cancel(campaign=campaign)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Envoi annulé : la campagne est de nouveau un brouillon."))
    return redirect("newsletters:campaign-detail", request.workspace.slug, campaign.code)


# --- public pages ----------------------------------------------------------------------


def _open_list(list_key) -> MailingList:
    return get_object_or_404(MailingList.objects.select_related("workspace"),
                             code=list_key, is_open=True, archived=False)


@public
def subscribe(request: HttpRequest, list_key) -> HttpResponse:
    mailing_list = _open_list(list_key)
    consent = mailing_list.current_consent()
    form = SubscribeForm(request.POST or None, initial={"consent_version": consent.pk})
    done = False
    if request.method == "POST":
        ip = client_ip(request)
        if services.subscribe_is_rate_limited(ip=ip):
            form.add_error(None, _("Trop de demandes depuis votre connexion : réessayez dans "
                                   "une heure."))
        elif form.is_valid():
            services.subscribe_attempt_record(ip=ip)
            version = mailing_list.consent_versions.filter(
                pk=form.cleaned_data["consent_version"]).first()
            if version is None:
                form.add_error(None, _("Le texte du formulaire a changé : relisez-le et "
                                       "validez à nouveau."))
            else:
                # A robot filled in the honeypot: answer as if all went well, do nothing.
                if not form.cleaned_data["website"]:
                    services.subscription_request(
                        mailing_list=mailing_list, email=form.cleaned_data["email"],
                        name=form.cleaned_data["name"], consent=version, ip=ip,
                        user_agent=user_agent(request))
                done = True
    return render(request, "newsletters/public_subscribe.html", {
        "mailing_list": mailing_list, "public_workspace": mailing_list.workspace,
        "consent": consent, "form": form, "done": done})


@public
def subscription_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners open links; only a person confirms), POST confirms."""
    subscriber = None
    if request.method == "POST":
        subscriber = services.subscription_confirm(
            token=token, ip=client_ip(request), user_agent=user_agent(request))
        if subscriber is None:
            return render(request, "newsletters/public_message.html", {
                "title": _("Lien expiré ou déjà utilisé"),
                "text": _("Ce lien de confirmation n'est plus valable. Inscrivez-vous à "
                          "nouveau pour en recevoir un autre.")}, status=404)
        return render(request, "newsletters/public_message.html", {
            "title": _("Inscription confirmée"),
            "text": _("Merci ! Vous recevrez désormais « %(list)s ».")
            % {"list": subscriber.mailing_list.name}})
    return render(request, "newsletters/public_confirm.html", {"token": token})


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a token
@public
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    pk = unsubscribe_token_read(token)
    delivery = Delivery.objects.select_related(
        "campaign__workspace", "subscriber__mailing_list").filter(pk=pk).first() if pk else None
    if delivery is None:
        return render(request, "newsletters/public_message.html", {
            "title": _("Lien de désinscription invalide"),
            "text": _("Ce lien ne correspond à aucun message envoyé.")}, status=404)
    if request.method == "POST":
        services.delivery_unsubscribe(delivery=delivery)
        return render(request, "newsletters/public_message.html", {
            "title": _("Vous êtes désinscrit·e"),
            "text": _("Vous ne recevrez plus ces messages.")})
    return render(request, "newsletters/public_unsubscribe.html",
                  {"token": token, "email": delivery.email})


@public
def track_open(request: HttpRequest, token: str) -> HttpResponse:
    """The open pixel: notes the first display (nothing about the reader is kept)."""
    tracking.open_record(token=token)
    response = HttpResponse(tracking.PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store, private"
    return response


@public
def track_click(request: HttpRequest, token: str, link: int) -> HttpResponse:
    """A tracked link: counts the click, then redirects to the address stored for that
    link of that campaign (never to an address taken from the request)."""
    campaign_link = get_object_or_404(CampaignLink.objects.select_related("campaign"), pk=link)
    tracking.click_record(token=token, link=campaign_link)
    response = redirect(campaign_link.url)
    response["Cache-Control"] = "no-store, private"
    return response


def _archived(list_key=None):
    campaigns_qs = Campaign.objects.filter(
        status=Campaign.Status.SENT, in_archive=True, kind=Campaign.Kind.NEWSLETTER,
        mailing_list__isnull=False).select_related("mailing_list", "workspace")
    if list_key is not None:
        campaigns_qs = campaigns_qs.filter(mailing_list__code=list_key)
    return campaigns_qs.order_by("-sent_at")


@public
def archive_list(request: HttpRequest, list_key) -> HttpResponse:
    mailing_list = get_object_or_404(MailingList.objects.select_related("workspace"),
                                     code=list_key)
    return render(request, "newsletters/public_archive_list.html", {
        "mailing_list": mailing_list, "campaigns": _archived(list_key)})


@public
def archive_detail(request: HttpRequest, campaign_key) -> HttpResponse:
    campaign = _archived().filter(code=campaign_key).first()
    if campaign is None:
        raise Http404("No such campaign")
    composed = campaign_compose(campaign)
    return render(request, "newsletters/public_archive_detail.html", {
        "campaign": campaign, "mailing_list": campaign.mailing_list,
        "html": composed.html.replace(UNSUBSCRIBE_PLACEHOLDER, "#")})


@public
def campaign_logo(request: HttpRequest, campaign_key) -> HttpResponse:
    """The workspace's logo for the e-mails (their readers are not logged in)."""
    campaign = Campaign.objects.select_related("workspace").filter(code=campaign_key).first()
    if campaign is None or not campaign.workspace.logo:
        raise Http404("No logo")
    return FileResponse(campaign.workspace.logo.open("rb"))
