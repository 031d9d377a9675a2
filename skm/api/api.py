"""The JSON API (django-ninja; OpenAPI at /api/v1/openapi.json). Machine formats use a dot.

Interactive documentation at /api/v1/docs is Swagger UI from the files django-ninja ships
(`ninja` in INSTALLED_APPS makes them static files), never from a CDN: Pemda networks are often
closed. Every error is JSON with a `detail` sentence in Indonesian (skm/api/errors.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import NinjaAPI, Swagger
from ninja.parser import Parser

from skm.api import answers, errors, results, units
from skm.api.body import MAX_DEPTH, parse_json

# Responses any operation can give whatever its own code does; added to the published schema so
# that clients (and schemathesis) know them.
_SIZE = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
COMMON_RESPONSES = {
    "400": (
        f"Isi permintaan bukan JSON UTF-8 yang sah, atau bersarang lebih dari {MAX_DEPTH} tingkat / "
        f"The body is not valid UTF-8 JSON, or is nested more than {MAX_DEPTH} levels deep"
    ),
    "413": f"Isi permintaan lebih dari {_SIZE} bait / The body is larger than {_SIZE} bytes",
    "422": "Parameter atau isi tidak sah / Invalid parameters or body",
}
BODY_ONLY = {"400", "413"}  # only operations that read a body give these
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "string"}},
        "codes": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    "required": ["detail"],
}


class JsonBody(Parser):
    """Ninja's parser, reading bodies with skm.api.body's checks (size, depth, UTF-8).

    Ninja turns the BodyError into HttpError(400) raised from it; errors.http_error reads its code.
    """

    def parse_body(self, request: HttpRequest) -> Any:
        return parse_json(request.body)


class SkmAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                responses = operation["responses"]
                declared = {str(status) for status in responses}  # ninja keys them by int
                has_body = "requestBody" in operation
                has_params = bool(operation.get("parameters")) or has_body
                for status, text in COMMON_RESPONSES.items():
                    if status in declared or (status in BODY_ONLY and not has_body) or not has_params:
                        continue
                    responses[int(status)] = {
                        "description": text,
                        "content": {"application/json": {"schema": ERROR_SCHEMA}},
                    }
        return schema


_SIZE_ID = f"{_SIZE:,}".replace(",", ".")

api = SkmAPI(
    title="SKM API",
    version="1",
    description=(
        "API Survei Kepuasan Masyarakat: daftar unit layanan, instrumen sebuah unit, pengiriman "
        "jawaban (dengan kunci idempotensi), dan hasil untuk staf (sesi atau token API). Angka memakai titik desimal. Setiap kesalahan berupa "
        'JSON `{"detail": "…", "errors": {…}, "codes": {…}}` berbahasa Indonesia, dengan kode yang '
        "tetap per kolom (`request` untuk permintaan secara keseluruhan). Isi permintaan dibaca "
        f"sebagai JSON UTF-8 apa pun Content-Type-nya: paling besar {_SIZE_ID} bait (413 "
        f"`body_too_large`), paling dalam {MAX_DEPTH} tingkat (400 `body_too_deep`); bukan UTF-8: "
        "400 `body_not_utf8`; bukan JSON: 400 `bad_json`.\n\n"
        "SKM API: the list of service units, a unit's instrument, answer submission with an "
        "idempotency key, and results for staff (session or API token). Numbers use a decimal dot. Every error is JSON with an Indonesian `detail` "
        "and a stable code per field (`request` for the request as a whole). A body is read as "
        f"UTF-8 JSON whatever its Content-Type: at most {_SIZE} bytes (413 `body_too_large`), at "
        f"most {MAX_DEPTH} levels deep (400 `body_too_deep`); not UTF-8: 400 `body_not_utf8`; not "
        "JSON: 400 `bad_json`."
    ),
    urls_namespace="api",
    parser=JsonBody(),
    docs=Swagger(settings={"defaultModelsExpandDepth": 0}),
    # Without `ninja` among the apps, ninja's docs page would load Swagger UI from a CDN: none then.
    docs_url="/docs" if "ninja" in settings.INSTALLED_APPS else None,
    openapi_extra={
        "tags": [
            {"name": "unit", "description": "Unit layanan (data publik) / Service units (public data)"},
            {"name": "instrumen", "description": "Kuesioner yang dijawab responden / The questionnaire"},
            {"name": "jawaban", "description": "Pengiriman jawaban / Answer submission"},
            {
                "name": "hasil",
                "description": (
                    "Hasil untuk staf: sesi masuk atau token API (`Authorization: Bearer <kunci>`) / "
                    "Results for staff: a session or an API token"
                ),
            },
        ]
    },
)
errors.install(api)
# Every operation's module has its own Router, joined here once, when this module is imported
# (the URLconf and skm.api.wsgi.AnswerEntry both import it at start-up): nothing registers a route
# later, from inside a request.
api.add_router("", answers.router)
api.add_router("", units.router)
api.add_router("", results.router)
