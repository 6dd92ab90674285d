"""Login and logout are Django's auth views as they come (docs/architecture.md: the one
exception to "views are functions"); the user's own pages are functions."""

import json

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from core.htmx import HtmxTemplateMixin, render_htmx

from .forms import LoginForm
from .personal_data import collect, for_display


@method_decorator(login_not_required, name="dispatch")
class LoginView(HtmxTemplateMixin, auth_views.LoginView):
    """Template: accounts/login.html; context: form."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): ends the session and returns to the login page."""


# The pages below are each user's own ("accounts.own_data": every signed-in account); the
# privacy notice is public.


@permission_required("accounts.own_data", raise_exception=True)
@require_safe
def profile(request):
    """Template: accounts/profile.html; the logged-in user's roles."""
    return render_htmx(request, "accounts/profile.html")


@login_not_required
@require_safe
def privacy_notice(request):
    """Template: accounts/privacy.html; the Datenschutzhinweise, public (linked in the footer)."""
    return render_htmx(request, "accounts/privacy.html")


@permission_required("accounts.own_data", raise_exception=True)
@require_safe
def my_data(request):
    """Template: accounts/my_data.html; context: sections of personal data held about the user."""
    return render_htmx(
        request, "accounts/my_data.html", {"sections": for_display(collect(request.user))}
    )


@permission_required("accounts.own_data", raise_exception=True)
@require_safe
def my_data_export(request):
    """The same data as a JSON download (GDPR Art. 20)."""
    payload = {
        "exported_at": timezone.now().isoformat(),
        "user": request.user.username,
        "sections": collect(request.user),
    }
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="meine-daten.json"'
    return response
