"""The JSON API (django-ninja; OpenAPI at /api/v1/openapi.json). Machine formats use a dot."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="SKM API",
    version="1",
    description=(
        "API Survei Kepuasan Masyarakat: instrumen unit layanan, daftar unit, dan pengiriman jawaban "
        "(dengan kunci idempotensi). / SKM API: a unit's instrument, the list of units, and answer "
        "submission with an idempotency key."
    ),
    urls_namespace="api",
)

# Routers register themselves on import.
from skm.api import answers  # noqa: E402,F401
