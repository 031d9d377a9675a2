"""Every error the API sends is JSON `{"detail": "<sentence>", ...}`, never a page.

Its sentences come from skm/lib/errors.py (section "API" for the HTTP exchange itself), in the
active language: Indonesian unless the user chose English, or the answer's `language` says so.

Ninja's own errors (unreadable JSON, a parameter that fails its schema, a missing object, a
wrong method) come out in its English default shape (`detail` a list for 422); these handlers
give them the shape of `ErrorOut` (detail, errors per field, codes per field) that the answer
endpoint uses for its own validation errors, so a client reads one shape. Field messages for
schema errors are pydantic's (English): they name a programmer's mistake, not a respondent's.
An error about the request as a whole (its body, its size, the server) has its message and
code under the key `request`.

What Django itself refuses before or around ninja (a Host not in ALLOWED_HOSTS, too many
query parameters, an exception that escapes) reaches the project's handler400 and handler500
(skm/views.py), which answer an API address with `django_bad_request` and `django_server_error`
below, so that no API address ever answers with an HTML page.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from skm.api.body import MAX_DEPTH, BodyError
from skm.lib.errors import message

if TYPE_CHECKING:
    from ninja import NinjaAPI


class ErrorOut(Schema):
    """Every error reply of the API: a sentence, and per field a message and a stable code."""

    detail: str
    errors: dict[str, str] = {}
    codes: dict[str, str] = {}


def request_error(status: int, code: str, **params: object) -> JsonResponse:
    """ErrorOut for an error about the request as a whole: its message and code under `request`."""
    if code == "body_too_deep":
        params.setdefault("limit", MAX_DEPTH)
    elif code == "body_too_large":
        params.setdefault("limit", f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}".replace(",", "."))
    detail = message(code, **params)
    return JsonResponse(
        {"detail": detail, "errors": {"request": detail}, "codes": {"request": code}}, status=status
    )


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    # ninja prefixes the parameter source ("body", "query", "path") and, for a body model, the
    # argument name ("payload"): a client knows its fields by their own names.
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"payload", "filters", "params", "pagination"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, str] = {}
    codes: dict[str, str] = {}
    for item in exc.errors:
        name = _field_name(item.get("loc", ()))
        if name not in errors:
            errors[name] = str(item.get("msg", ""))
            codes[name] = str(item.get("type", "invalid"))
    detail = message("request_invalid", fields=", ".join(errors) or "body")
    return JsonResponse({"detail": detail, "errors": errors, "codes": codes}, status=422)


def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja's "Cannot parse request body", raised from the parser's error
        cause = exc.__cause__
        return request_error(400, cause.code if isinstance(cause, BodyError) else "bad_json")
    return JsonResponse({"detail": exc.message, "errors": {}, "codes": {}}, status=exc.status_code)


def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    """A body over the size limit (413) or another request Django calls suspicious (400).

    Logged to django.security.<name> as Django's handler logs it, so that alerts stay the same.
    """
    status = 413 if isinstance(exc, RequestDataTooBig) else 400
    logging.getLogger(f"django.security.{exc.__class__.__name__}").error(
        str(exc), exc_info=exc, extra={"status_code": status, "request": request}
    )
    return request_error(status, "body_too_large" if status == 413 else "bad_request")


def not_found(request: HttpRequest | None, exc: Exception | None = None) -> HttpResponse:
    return request_error(404, "object_not_found")


def django_bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400 for an API address: what Django refused before ninja (already logged)."""
    if isinstance(exception, RequestDataTooBig):
        return request_error(413, "body_too_large")
    return request_error(400, "bad_request")


def django_server_error(request: HttpRequest) -> HttpResponse:
    """handler500 for an API address (Django has logged the exception)."""
    return request_error(500, "server_error")


def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    """401 for a staff endpoint without a session or a valid API token (skm/api/results.py)."""
    response = request_error(401, "auth_required")
    response["WWW-Authenticate"] = 'Bearer realm="skm"'
    return response


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(SuspiciousOperation, suspicious)
