"""German is the default language whatever the browser says; English only when a user chooses it."""


class GermanByDefaultMiddleware:
    """Drop Accept-Language so LocaleMiddleware falls back to LANGUAGE_CODE ("de").

    The language switch in the footer sets the language cookie, which LocaleMiddleware still honours.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


# Browser features the application never uses, switched off for every page (and any script that
# might get in): no camera, microphone, location, payment, USB or sensors.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), browsing-topics=()"
)


class PrivacyHeadersMiddleware:
    """`Permissions-Policy` on every response; `Cache-Control: private, no-store` on every
    response to a logged-in user (pages, exports, downloads, htmx fragments), so no shared cache
    and no browser history keeps a copy of personal or unpublished data after logout.

    Comes after AuthenticationMiddleware (it reads request.user).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response
