"""The JSON API (django-ninja; OpenAPI at /api/v1/openapi.json). Machine formats use a dot.

Interactive documentation at /api/v1/docs is Swagger UI from the files django-ninja ships
(`ninja` in INSTALLED_APPS makes them static files), never from a CDN: Pemda networks are often
closed. Every error is JSON with a `detail` sentence in Indonesian (skm/api/errors.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja import NinjaAPI, Swagger

from skm.api import answers, errors, units

# Responses any operation can give whatever its own code does; added to the published schema so
# that clients (and schemathesis) know them.
COMMON_RESPONSES = {
    "400": "Isi permintaan bukan JSON yang sah / The body is not valid JSON",
    "422": "Parameter atau isi tidak sah / Invalid parameters or body",
}
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "string"}},
        "codes": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    "required": ["detail"],
}


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
                    if status in declared or (status == "400" and not has_body) or not has_params:
                        continue
                    responses[int(status)] = {
                        "description": text,
                        "content": {"application/json": {"schema": ERROR_SCHEMA}},
                    }
        return schema


api = SkmAPI(
    title="SKM API",
    version="1",
    description=(
        "API Survei Kepuasan Masyarakat: daftar unit layanan, instrumen sebuah unit, dan pengiriman "
        "jawaban (dengan kunci idempotensi). Angka memakai titik desimal. Setiap kesalahan berupa "
        'JSON `{"detail": "…"}` berbahasa Indonesia.\n\n'
        "SKM API: the list of service units, a unit's instrument, and answer submission with an "
        "idempotency key. Numbers use a decimal dot. Every error is JSON with an Indonesian `detail`."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"defaultModelsExpandDepth": 0}),
    # Without `ninja` among the apps, ninja's docs page would load Swagger UI from a CDN: none then.
    docs_url="/docs" if "ninja" in settings.INSTALLED_APPS else None,
    openapi_extra={
        "tags": [
            {"name": "unit", "description": "Unit layanan (data publik) / Service units (public data)"},
            {"name": "instrumen", "description": "Kuesioner yang dijawab responden / The questionnaire"},
            {"name": "jawaban", "description": "Pengiriman jawaban / Answer submission"},
        ]
    },
)
errors.install(api)
# Every operation's module has its own Router, joined here once, when this module is imported
# (the URLconf and skm.api.wsgi.AnswerEntry both import it at start-up): nothing registers a route
# later, from inside a request.
api.add_router("", answers.router)
api.add_router("", units.router)
