"""Facts about an HTTP request that several parts need (the client's address, whether it is for
the API, whether its form data is UTF-8)."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest

API_PREFIX = "/api/"  # where every error is JSON (skm/api/errors.py)


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def form_is_utf8(body: bytes) -> bool:
    """Whether an application/x-www-form-urlencoded body is UTF-8, percent-escapes decoded.

    Browsers send UTF-8, escaped. Django reads a body that is not as ISO-8859-1 instead (all of
    it: the bytes C3 28 FF become "Ã(ÿ", a correct "é" beside them "Ã©"), and escapes that are
    not UTF-8 as U+FFFD: text nobody typed. The separators & and = are ASCII, never inside a
    multi-byte character, so the whole body is checked at once.
    """
    try:
        unquote_to_bytes(body).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


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
