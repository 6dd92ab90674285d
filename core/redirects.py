"""Where a form may send the browser back to: only this site, never an address from outside."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request, fallback: str) -> str:
    """The `next` of the request (POST, then GET) if it points into this site, else `fallback`.

    A `next` such as https://evil.example/ or //evil.example would turn a form of ours into an
    open redirect; Django's own check decides (same host, and https when the request is).
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback
