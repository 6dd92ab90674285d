import json

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView, View

from core.htmx import HtmxTemplateMixin

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


class ProfileView(HtmxTemplateMixin, TemplateView):
    """Template: accounts/profile.html; the logged-in user's roles."""

    template_name = "accounts/profile.html"


@method_decorator(login_not_required, name="dispatch")
class PrivacyNoticeView(HtmxTemplateMixin, TemplateView):
    """Template: accounts/privacy.html; the Datenschutzhinweise, public (linked in the footer)."""

    template_name = "accounts/privacy.html"


class MyDataView(HtmxTemplateMixin, TemplateView):
    """Template: accounts/my_data.html; context: sections of personal data held about the user."""

    template_name = "accounts/my_data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sections=for_display(collect(self.request.user)), **kwargs)


class MyDataExportView(View):
    """The same data as a JSON download (GDPR Art. 20)."""

    def get(self, request):
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
