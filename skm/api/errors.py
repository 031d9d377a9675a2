"""Every error the API sends is JSON `{"detail": "<Indonesian sentence>", ...}`, never a page.

Ninja's own errors (unreadable JSON, a parameter that fails its schema, a missing object, a
wrong method) come out in its English default shape (`detail` a list for 422); these handlers
give them the shape of `ErrorOut` (detail, errors per field, codes per field) that the answer
endpoint uses for its own validation errors, so a client reads one shape. Field messages for
schema errors are pydantic's (English): they name a programmer's mistake, not a respondent's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Schema
from ninja.errors import HttpError, ValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI


class ErrorOut(Schema):
    """Every error reply of the API: a sentence, and per field a message and a stable code."""

    detail: str
    errors: dict[str, str] = {}
    codes: dict[str, str] = {}


# The API's protocol messages (Indonesian, English). Domain messages (answers, units) come from
# skm/lib/errors.py::MESSAGES; these concern the HTTP exchange itself.
API_MESSAGES: dict[str, tuple[str, str]] = {
    "bad_json": (
        "Isi permintaan bukan JSON yang sah.",
        "The request body is not valid JSON.",
    ),
    "request_invalid": (
        "Permintaan tidak sah: periksa {fields}.",
        "The request is not valid: check {fields}.",
    ),
    "not_found": ("Alamat API ini tidak ada.", "There is no such API address."),
    "method_not_allowed": (
        "Metode {method} tidak didukung di alamat ini.",
        "Method {method} is not supported at this address.",
    ),
    "unit_not_found": (
        "Unit layanan '{slug}' tidak ditemukan atau tidak aktif.",
        "Service unit '{slug}' was not found or is not active.",
    ),
    "object_not_found": ("Data yang diminta tidak ditemukan.", "The requested item was not found."),
}


def api_message(code: str, language: str = "id", **params: object) -> str:
    id_text, en_text = API_MESSAGES[code]
    return (en_text if language == "en" else id_text).format(**params)


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
    detail = api_message("request_invalid", fields=", ".join(errors) or "body")
    return JsonResponse({"detail": detail, "errors": errors, "codes": codes}, status=422)


def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        return JsonResponse({"detail": api_message("bad_json"), "errors": {}, "codes": {}}, status=400)
    return JsonResponse({"detail": exc.message, "errors": {}, "codes": {}}, status=exc.status_code)


def not_found(request: HttpRequest, exc: Exception | None = None) -> HttpResponse:
    return JsonResponse({"detail": api_message("object_not_found"), "errors": {}, "codes": {}}, status=404)


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)
