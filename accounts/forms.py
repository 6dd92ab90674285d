from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Please enter a correct user name and password. Both fields are case-sensitive."
        ),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # AuthenticationForm sets max_length without its validator: an over-long user name
        # reached authenticate() and broke django-axes' record of the failure (varchar 255).
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


def axes_username(request, credentials=None):
    """The user name django-axes records for a login attempt: at most its column's 255
    characters (the admin login has no length check of its own)."""
    data = credentials or getattr(request, "POST", None) or {}
    return str(data.get("username") or "")[:255]
