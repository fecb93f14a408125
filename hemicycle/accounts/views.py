import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemicycle.accounts import services
from hemicycle.accounts.access import public
from hemicycle.accounts.forms import InvitationAcceptForm, LoginForm, ProfileForm, TotpForm
from hemicycle.accounts.models import User
from hemicycle.accounts.privacy import user_erase
from hemicycle.core.privacy import personal_data_export

PENDING_2FA = "pending_2fa_user"


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse_lazy("core:home")


def _with_language(response: HttpResponse, user: User) -> HttpResponse:
    """The interface speaks the user's language from the next page on."""
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE, max_age=365 * 24 * 3600)
    return response


@public
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email, ip = form.cleaned_data["email"], client_ip(request)
        if services.login_is_blocked(email=email, ip=ip):
            form.add_error(None, _("Trop de tentatives. Réessayez dans quelques minutes."))
        else:
            user = authenticate(request, email=email, password=form.cleaned_data["password"])
            if user is None:
                services.login_failure_record(email=email, ip=ip)
                form.add_error(None, _("E-mail ou mot de passe incorrect."))
            elif user.has_totp:
                request.session[PENDING_2FA] = user.pk
                return redirect(f"{reverse_lazy('accounts:login-totp')}?next={_next_url(request)}")
            else:
                services.login_failures_clear(email=email)
                login(request, user)
                return _with_language(redirect(_next_url(request)), user)
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


@public
def login_totp(request: HttpRequest) -> HttpResponse:
    user = User.objects.filter(pk=request.session.get(PENDING_2FA), is_active=True).first()
    if user is None:
        return redirect("accounts:login")
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        if services.login_is_blocked(email=user.email, ip=ip):
            form.add_error(None, _("Trop de tentatives. Réessayez dans quelques minutes."))
        elif services.totp_verify(user=user, code=form.cleaned_data["code"]):
            del request.session[PENDING_2FA]
            services.login_failures_clear(email=user.email)
            login(request, user, backend="hemicycle.accounts.backends.EmailBackend")
            return _with_language(redirect(_next_url(request)), user)
        else:
            services.login_failure_record(email=user.email, ip=ip)
            form.add_error("code", _("Code incorrect."))
    return render(request, "accounts/login_totp.html", {"form": form, "next": _next_url(request)})


@public
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("Vous êtes déconnecté·e."))
    return redirect("accounts:login")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user, prefix="profile")
    password_form = PasswordChangeForm(request.user, prefix="password")
    if request.method == "POST" and "profile-full_name" in request.POST and form.is_valid():
        form.save()
        messages.success(request, _("Profil enregistré."))
        return _with_language(redirect("accounts:profile"), request.user)
    if request.method == "POST" and "password-old_password" in request.POST:
        password_form = PasswordChangeForm(request.user, request.POST, prefix="password")
        if password_form.is_valid():
            password_form.save()
            update_session_auth_hash(request, password_form.user)
            messages.success(request, _("Mot de passe changé."))
            return redirect("accounts:profile")
    memberships = request.user.memberships.select_related("workspace__assembly")
    return render(request, "accounts/profile.html", {
        "form": form, "password_form": password_form, "memberships": memberships,
    })


@login_required
def totp_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST" and request.POST.get("action") == "disable":
        if services.totp_verify(user=user, code=request.POST.get("code", "")):
            services.totp_disable(user=user)
            messages.success(request, _("Double authentification désactivée."))
            return redirect("accounts:profile")
        messages.error(request, _("Code incorrect : la double authentification reste active."))
        return redirect("accounts:totp-setup")
    if user.has_totp:
        return render(request, "accounts/totp_setup.html", {"active": True, "form": TotpForm()})
    if not user.totp_secret or request.method == "GET" and request.GET.get("new"):
        services.totp_start(user=user)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_confirm(user=user, code=form.cleaned_data["code"]):
            messages.success(request, _("Double authentification activée."))
            return redirect("accounts:profile")
        form.add_error("code", _("Code incorrect : vérifiez l'heure de votre téléphone."))
    uri = services.totp_uri(user=user)
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#111", light="#fff")
    return render(request, "accounts/totp_setup.html", {
        "active": False, "form": form, "qr_svg": qr_svg, "secret": user.totp_secret,
    })


@login_required
def personal_data(request: HttpRequest) -> HttpResponse:
    """GDPR right of access: everything Hémicycle holds about me, as JSON."""
    data = {"generated_at": timezone.now().isoformat(), **personal_data_export(request.user)}
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-hemicycle.json"'
    return response


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    """GDPR right to erasure, confirmed by the password."""
    error = ""
    if request.method == "POST":
        if not request.user.check_password(request.POST.get("password", "")):
            error = _("Mot de passe incorrect.")
        else:
            try:
                user_erase(user=request.user)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                logout(request)
                messages.info(request, _("Votre compte a été supprimé."))
                return redirect("accounts:login")
    return render(request, "accounts/account_delete.html", {"error": error})


@public
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_from_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST":
        try:
            if request.user.is_authenticated and request.user.email == invitation.email:
                user = services.invitation_accept(invitation=invitation, user=request.user)
            elif existing is None and form.is_valid():
                user = services.invitation_accept(
                    invitation=invitation,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, user, backend="hemicycle.accounts.backends.EmailBackend")
            else:
                user = None
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("accounts:login")
        if user is not None:
            messages.success(request, _("Bienvenue dans %(ws)s.") % {"ws": invitation.workspace})
            return redirect("core:dashboard", invitation.workspace.slug)
    return render(request, "accounts/invitation_accept.html", {
        "invitation": invitation, "form": form, "existing": existing,
    })


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


password_reset = public(PasswordResetView.as_view())
password_reset_done = public(PasswordResetDoneView.as_view())
password_reset_confirm = public(PasswordResetConfirmView.as_view())
password_reset_complete = public(PasswordResetCompleteView.as_view())
