"""How a person wants to hear about consultations (tests/participation/test_notifications.py)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from core.htmx import render_htmx, render_invalid

from .. import services
from ..forms import (
    PreferenceForm,
)
from ..models import (
    NotificationPreference,
)
from .common import (
    posted,
    require_form,
)


@permission_required("participation.notifications", raise_exception=True)
@require_form
def preferences(request):
    """Template: participation/preferences.html; how the user wants to be notified."""
    user = request.user
    preference = NotificationPreference.objects.filter(user=user).first()
    form = PreferenceForm(posted(request), instance=preference or NotificationPreference(user=user))
    template = "participation/preferences.html"
    if request.method != "POST":
        return render_htmx(request, template, {"form": form})
    if not form.is_valid():
        return render_invalid(request, template, {"form": form})
    services.preferences_update(user=user, frequency=form.cleaned_data["frequency"])
    messages.success(request, _("Your notification settings have been saved."))
    return redirect("participation:preferences")
