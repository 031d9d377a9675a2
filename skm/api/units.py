"""GET /api/v1/units, /units/{slug}, /units/{slug}/instrument: public data about service units.

What a kiosk, a queue machine or another Pemda system needs to send respondents to the right
survey: the active units with their services and survey links, and the instrument a respondent
answers (questions in the Pemda's order, options, profile). Only public fields: no population,
no office network ranges, nothing about inactive units.
"""

# No `from __future__ import annotations`: ninja reads the parameter annotations when the view is
# registered, and string annotations of Query/Path parameters fail there.
import unicodedata
from typing import Any, Literal

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from skm.api.errors import ErrorOut
from skm.instrument.models import InstrumentVersion
from skm.instrument.spec import InstrumentSpec, current_spec
from skm.lib.errors import message
from skm.organisation.lookup import active_unit
from skm.organisation.models import Layanan, Unit

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
MAX_PAGE = 500
MAX_OFFSET = 1_000_000
SEARCH_WORDS = 8

Language = Literal["id", "en"]
UnitSlug = Path(
    ...,
    description="kode tautan unit, mis. `puskesmas-martapura-1` / the unit's link code",
    min_length=1,
    max_length=80,
    pattern=SLUG_PATTERN,
)
router = Router()

LanguageQuery = Query("id", description="bahasa teks / text language")


class PemdaRef(Schema):
    slug: str
    name: str


class ServiceOut(Schema):
    slug: str
    name: str
    survey_url: str = Field(..., description="tautan survei untuk layanan ini / survey link for this service")

    @staticmethod
    def resolve_survey_url(obj: Layanan, context) -> str:
        return f"{_base_url(context['request'])}/s/{obj.unit.slug}/{obj.slug}/"


class UnitOut(Schema):
    slug: str
    name: str
    pemda: PemdaRef
    perangkat_daerah: str = Field(..., description="nama Perangkat Daerah induk / parent agency")
    unit_type: str = Field(..., description="jenis unit (Puskesmas, Kelurahan, …) / unit type")
    services: list[ServiceOut] = Field(..., description="jenis layanan aktif / active services")
    survey_url: str = Field(..., description="tautan survei (absolut) / survey link (absolute)")
    kiosk_url: str = Field(..., description="tautan mode kios (absolut) / kiosk link (absolute)")

    @staticmethod
    def resolve_perangkat_daerah(obj: Unit) -> str:
        return obj.perangkat_daerah.name

    @staticmethod
    def resolve_unit_type(obj: Unit) -> str:
        return obj.unit_type.name

    @staticmethod
    def resolve_services(obj: Unit) -> list[Layanan]:
        return obj.active_services

    @staticmethod
    def resolve_survey_url(obj: Unit, context) -> str:
        return f"{_base_url(context['request'])}/s/{obj.slug}/"

    @staticmethod
    def resolve_kiosk_url(obj: Unit, context) -> str:
        return f"{_base_url(context['request'])}/k/{obj.slug}/"


class UnitRef(Schema):
    slug: str
    name: str


class OptionOut(Schema):
    value: int
    label: str


class QuestionOut(Schema):
    code: str = Field(..., description="U1 … U9 menurut urutan Pemda / in the Pemda's order")
    element: str = Field(..., description="unsur (persyaratan … pengaduan); kosong untuk pertanyaan tambahan")
    field: str = Field(..., description="nama kolom pada POST /answers → answers / key in POST /answers")
    name: str
    header: str = Field(..., description="judul kolom singkat / short column header")
    text: str
    required: bool
    enters_ikm: bool
    options: list[OptionOut]


class ProfileOptionOut(Schema):
    code: str
    label: str


class ProfileFieldOut(Schema):
    key: str = Field(..., description="gender, age_band, education, occupation")
    label: str
    required: bool
    options: list[ProfileOptionOut]


class InstrumentOut(Schema):
    unit: UnitRef
    pemda: PemdaRef
    language: Language
    version: int = Field(..., description="nomor versi instrumen / instrument version number")
    weight: str = Field(..., description='bobot unsur: "0.111" atau "1/9" / weight per unsur')
    questions: list[QuestionOut]
    profile: list[ProfileFieldOut]
    services: list[ServiceOut]


class UnitFilters(Schema):
    pemda: str | None = Field(
        None, description="kode Pemda, mis. `kabupaten-banjar`", max_length=60, pattern=SLUG_PATTERN
    )
    q: str | None = Field(
        None,
        description="cari di nama unit dan Perangkat Daerah / search unit and agency names",
        max_length=200,
    )


class UnitPagination(LimitOffsetPagination):
    """limit/offset with both bounded: an unbounded offset reaches the database as an overflow."""

    class Input(Schema):
        limit: int = Field(
            100, ge=1, le=MAX_PAGE, description=f"paling banyak {MAX_PAGE} / at most {MAX_PAGE}"
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_PAGE, **kwargs)


def _base_url(request: HttpRequest) -> str:
    return settings.SKM_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")


def _units() -> QuerySet[Unit]:
    services = Layanan.objects.filter(active=True).order_by("position", "name", "pk")
    return (
        Unit.objects.filter(active=True)
        .select_related("pemda", "perangkat_daerah", "unit_type")
        .prefetch_related(Prefetch("services", queryset=services, to_attr="active_services"))
        .order_by("pemda__name", "position", "name", "pk")
    )


def _search_words(text: str) -> list[str]:
    # Control characters cannot be searched for (PostgreSQL refuses NUL in a string).
    clean = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return clean.split()[:SEARCH_WORDS]


@router.get(
    "/units",
    response=list[UnitOut],
    summary="Daftar unit layanan aktif / List active service units",
    description=(
        "Unit layanan yang sedang menerima survei, urut per Pemda lalu urutan unit. Saring dengan "
        "`pemda` (kode Pemda) dan `q` (kata di nama unit atau Perangkat Daerah; semua kata harus "
        "ada). Halaman dengan `limit` (≤ 500) dan `offset`. / Active units, ordered by Pemda and "
        "the Pemda's unit order; filter by `pemda` and `q`; paginate with `limit` and `offset`."
    ),
    tags=["unit"],
)
@paginate(UnitPagination)
def list_units(request: HttpRequest, filters: Query[UnitFilters]):
    units = _units()
    if filters.pemda:
        units = units.filter(pemda__slug=filters.pemda)
    for word in _search_words(filters.q or ""):
        units = units.filter(Q(name__icontains=word) | Q(perangkat_daerah__name__icontains=word))
    return units


def _missing(detail: str, field: str, code: str) -> dict[str, object]:
    return {"detail": detail, "errors": {field: detail}, "codes": {field: code}}


@router.get(
    "/units/{slug}",
    response={200: UnitOut, 404: ErrorOut},
    summary="Satu unit layanan / One service unit",
    tags=["unit"],
)
def get_unit(request: HttpRequest, slug: str = UnitSlug):
    unit = _units().filter(slug=slug).first()
    if unit is None:
        return Status(404, _missing(message("unit_not_found", slug=slug), "slug", "unit_not_found"))
    return unit


@router.get(
    "/units/{slug}/instrument",
    response={200: InstrumentOut, 404: ErrorOut},
    summary="Instrumen survei sebuah unit / The survey instrument of a unit",
    description=(
        "Pertanyaan dalam urutan Pemda (U1 …), pilihan jawaban, data responden dan jenis layanan: "
        "semua yang perlu untuk menampilkan kuesioner dan mengirimnya ke `POST /answers` (kunci "
        "`answers` memakai `field`). Teks dalam `language` (`id` bawaan; `en` jatuh ke bahasa "
        "Indonesia bila terjemahan kosong). / Questions in the Pemda's order with options, the "
        "profile and the services; `language=en` falls back to Indonesian where no translation exists."
    ),
    tags=["instrumen"],
)
def get_instrument(
    request: HttpRequest,
    slug: str = UnitSlug,
    language: Language = LanguageQuery,
):
    with translation.override(language):  # its messages and the instrument's texts
        found = active_unit(slug)
        if found is None:
            return Status(404, _missing(message("unit_not_found", slug=slug), "slug", "unit_not_found"))
        spec = current_spec(found.unit.pemda_id)
        if spec is None:
            return Status(404, _missing(message("no_instrument"), "request", "no_instrument"))
        return _instrument(found.unit, spec, list(found.services), language)


def _instrument(unit: Unit, spec: InstrumentSpec, services: list[Layanan], language: str) -> dict[str, Any]:
    """InstrumentOut of the unit's current instrument, its texts in the active language."""
    version = InstrumentVersion.objects.values_list("number", flat=True).get(pk=spec.version_id)
    return {
        "unit": {"slug": unit.slug, "name": unit.name},
        "pemda": {"slug": unit.pemda.slug, "name": unit.pemda.name},
        "language": language,
        "version": version,
        "weight": unit.pemda.weight,
        "questions": [
            {
                "code": q.code,
                "element": q.element,
                "field": q.field,
                "name": q.name,
                "header": q.header,
                "text": q.shown_text,
                "required": q.required,
                "enters_ikm": bool(q.element),
                "options": [{"value": o.value, "label": o.shown_label} for o in q.options],
            }
            for q in spec.questions
        ],
        "profile": [
            {
                "key": p.key,
                "label": p.shown_label,
                "required": p.required,
                "options": [{"code": o.code, "label": o.shown_label} for o in p.options],
            }
            for p in spec.profile
        ],
        "services": services,
    }
