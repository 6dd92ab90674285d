"""The client's address behind the reverse proxy (docs/deployment.md).

nginx replaces X-Forwarded-For with the address it sees (deploy/nginx.conf.template), so behind
it the last entry is the client. Without BEHIND_PROXY the header is a client's claim and ignored:
anyone could send X-Forwarded-For and get a fresh login lockout per request.

django-axes asks this (AXES_CLIENT_IP_CALLABLE): its own proxy settings (AXES_IPWARE_*) need the
optional django-ipware package, which is not installed, and a lockout per address only works
when the address is the client's, not the proxy's.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_PROXY:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < settings.PROXY_COUNT:
        return remote
    candidate = hops[-settings.PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
