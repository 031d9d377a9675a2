"""Facts about an HTTP request that several parts need (the client's address)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The respondent's IP address.

    Behind N trusted reverse proxies (SKM_TRUSTED_PROXY_COUNT=N), the address the N-th proxy from
    the right saw in X-Forwarded-For; never the leftmost entry, which any client can forge.
    """
    count = settings.SKM_TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")
