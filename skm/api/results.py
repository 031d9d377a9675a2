"""GET /api/v1/results/units/{slug} and /results/pemda/{slug}: results for staff (issue 23 item 7).

The same documents as `skm results unit|pemda --json` (skm/results/machine.py: unit_json and
pemda_json over compute.unit_result / pemda_result, which read the daily rollups): the API adds
only who may ask and how the request is read. Staff only: a signed-in session, or an API token
(skm.accounts.models.ApiToken) sent as `Authorization: Bearer <key>`; either way the user's
`for_user` scope decides what exists for them:

- anonymous (no session, no valid token, a revoked token): 401 `auth_required`;
- a unit out of the user's scope, or an account without a role: 404 `results_unit_not_found`
  (the same answer as a unit that does not exist: nothing leaks);
- a Pemda's whole results are for those who see the whole Pemda (Admin Pemda, Pimpinan, the
  platform superuser); an Admin PD or Admin UPP gets 403 `results_pemda_forbidden` for their own
  Pemda (its `parts` would show the other units' figures) and 404 for another.

Query parameters are read here, not by the schema, so that a bad date, a reversed or too long
range, an unknown method or level each gets its own code (skm/lib/errors.py, section API).
"""

# No `from __future__ import annotations`: ninja reads the parameter annotations (see units.py).
import datetime as dt
from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Field, Path, Query, Router, Schema
from ninja.security import HttpBearer, SessionAuth

from skm.accounts.models import ApiToken
from skm.accounts.scoping import Role
from skm.api.errors import ErrorOut
from skm.api.units import SLUG_PATTERN
from skm.lib.errors import message
from skm.organisation.models import Layanan, Pemda, Unit
from skm.results import freeze
from skm.results.compute import pemda_result, unit_result
from skm.results.machine import pemda_json, unit_json
from skm.results.ranges import LONGEST_DAYS
from skm.scoring.aggregate import Level, Method

LEVELS = {"units": Level.PEMDA, "services": Level.SERVICE}
WHOLE_PEMDA_ROLES = (Role.ADMIN_PEMDA, Role.PIMPINAN)


class BearerToken(HttpBearer):
    """`Authorization: Bearer <key>` of an unrevoked ApiToken of an active user: that user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.user_for(token.strip()) if token.strip() else None
        if user is not None:
            request.user = user  # scoping and logs see the token's user, as with a session
        return user


class StaffSession(SessionAuth):
    """A signed-in session (the staff workspace's): GET only here, so no CSRF token is needed."""


AUTH = [BearerToken(), StaffSession()]
router = Router(auth=AUTH, tags=["hasil"])


# --------------------------------------------------------------------------- the documents


class Ref(Schema):
    slug: str
    name: str


class ElementOut(Schema):
    nrr: float | None = Field(..., description="nilai rata-rata unsur (1–4), 4 desimal")
    weighted: float | None = Field(..., description="NRR × bobot, 4 desimal")
    converted: float | None = Field(..., description="NRR × 25, 2 desimal")
    category: str | None = Field(..., description="mutu A–D")


class IntervalOut(Schema):
    low: float
    high: float
    level: float


class SampleOut(Schema):
    n: int
    required: int | None
    population: int | None
    adequate: bool | None


class FiguresOut(Schema):
    ikm: float | None = Field(..., description="IKM 25–100, 2 desimal")
    ikm_exact: float | None = Field(..., description="IKM, 4 desimal")
    category: str | None = Field(..., description="mutu A–D")
    category_label: str | None
    n: int = Field(..., description="jumlah responden / respondents")
    interval: IntervalOut | None = Field(..., description="selang kepercayaan 95% / 95% interval")
    sample: SampleOut
    elements: list[str] = Field(..., description="unsur menurut urutan Pemda / in the Pemda's order")
    unsur: dict[str, ElementOut] = Field(..., description="per unsur (kunci: elements)")
    target: float | None = Field(
        ..., description="target IKM tahun terakhir rentang; null bila tidak ada / the IKM target, or null"
    )
    target_met: bool | None = Field(
        ..., description="IKM (presisi tampilan Pemda) ≥ target; null tanpa IKM/target"
    )


class UnitResultsOut(FiguresOut):
    pemda: Ref
    unit: Ref
    service: Ref | None
    from_: str = Field(..., alias="from", description="TTTT-BB-HH")
    to: str = Field(..., description="TTTT-BB-HH")
    include_excluded: bool
    method: None
    level: str = Field(..., description='"unit"')
    weight: str = Field(..., description='"0.111" atau "1/9"')
    missing: list[str] = Field(..., description="unsur tanpa jawaban / unsur without answers")


class PemdaResultsOut(FiguresOut):
    pemda: Ref
    from_: str = Field(..., alias="from", description="TTTT-BB-HH")
    to: str = Field(..., description="TTTT-BB-HH")
    method: str = Field(..., description="mean_of_units, pooled, respondent_weighted")
    method_label: str
    level: str = Field(..., description="pemda (dari unit) atau service (dari jenis layanan)")
    weight: str
    description: str
    parts: int = Field(..., description="jumlah bagian yang dirata-ratakan / parts averaged")
    skipped: list[str] = Field(..., description="bagian tanpa responden / parts without respondents")
    incomplete: list[str] = Field(..., description="bagian dengan unsur kosong / parts lacking an unsur")


ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut}

Slug = Path(..., min_length=1, max_length=80, pattern=SLUG_PATTERN)
FROM = Query(..., alias="from", max_length=40, description="tanggal awal / first day, TTTT-BB-HH")
TO = Query(..., max_length=40, description="tanggal akhir / last day, TTTT-BB-HH")


# --------------------------------------------------------------------------- reading the request


class BadRequest(Exception):
    def __init__(self, status: int, code: str, where: str, **params: object) -> None:
        super().__init__(code)
        self.status, self.code, self.field, self.params = status, code, where, params

    def response(self) -> JsonResponse:
        detail = message(self.code, **self.params)
        body = {"detail": detail, "errors": {self.field: detail}, "codes": {self.field: self.code}}
        return JsonResponse(body, status=self.status)


def _date(text: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise BadRequest(400, "results_bad_date", field, field=field, value=text[:40]) from None


def _range(start_text: str, end_text: str) -> tuple[dt.date, dt.date]:
    start, end = _date(start_text, "from"), _date(end_text, "to")
    if start > end:
        raise BadRequest(400, "results_range_reversed", "from", start=start, end=end)
    if (end - start).days + 1 > LONGEST_DAYS:
        raise BadRequest(400, "results_range_too_long", "to", limit=LONGEST_DAYS)
    return start, end


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]  # set by the router's auth


def _document(document: dict[str, Any]) -> JsonResponse:
    # The command's document as it is (key "from" included); the schemas above describe it.
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


# --------------------------------------------------------------------------- endpoints


@router.get(
    "/results/units/{slug}",
    response={200: UnitResultsOut, **ERRORS},
    summary="Hasil satu unit / A unit's results",
    description=(
        "IKM, nilai per unsur, selang kepercayaan dan kecukupan sampel satu unit (atau satu jenis "
        "layanannya, `service`) dari jawaban bertanggal `from` … `to` — dokumen yang sama dengan "
        "`skm results unit KODE --json`. Jawaban yang ditandai tidak dihitung kecuali "
        "`include_excluded=true`. Untuk staf: sesi masuk atau `Authorization: Bearer <kunci>`; "
        "unit di luar wilayah kewenangan pengguna: 404. / The same document as `skm results unit "
        "--json`, for staff (session or API token), scoped to the user."
    ),
    operation_id="results_unit",
    url_name="results_unit",
    by_alias=True,
)
def results_unit(
    request: HttpRequest,
    slug: str = Slug,
    start: str = FROM,
    to: str = TO,
    service: str | None = Query(
        None, max_length=80, pattern=SLUG_PATTERN, description="kode tautan jenis layanan unit itu"
    ),
    include_excluded: bool = Query(False, description="hitung juga jawaban yang ditandai"),
):
    user = _user(request)
    unit = Unit.objects.for_user(user).select_related("pemda").filter(slug=slug).first()
    try:
        if unit is None:
            raise BadRequest(404, "results_unit_not_found", "slug", slug=slug)
        begin, end = _range(start, to)
        chosen = None
        if service:
            chosen = Layanan.objects.filter(unit=unit, slug=service).first()
            if chosen is None:
                raise BadRequest(404, "results_service_not_found", "service", service=service, unit=unit.name)
    except BadRequest as error:
        return error.response()
    with freeze.reading_for(unit.pemda):
        result = unit_result(unit, begin, end, service=chosen, include_excluded=include_excluded)
    return _document(unit_json(result, service=chosen, include_excluded=include_excluded))


@router.get(
    "/results/pemda/{slug}",
    response={200: PemdaResultsOut, **ERRORS, 403: ErrorOut},
    summary="Hasil seluruh Pemda / A Pemda's results",
    description=(
        "IKM seluruh Pemda dari jawaban bertanggal `from` … `to` (tanpa jawaban yang ditandai), "
        "dengan `method` (mean_of_units, pooled, respondent_weighted; bawaan: metode Pemda) dari "
        "`level` units (bawaan) atau services — dokumen yang sama dengan `skm results pemda KODE "
        "--json`. Untuk Admin Pemda, Pimpinan dan operator platform (Admin PD/UPP: 403). / The "
        "same document as `skm results pemda --json`, for those who see the whole Pemda."
    ),
    operation_id="results_pemda",
    url_name="results_pemda",
    by_alias=True,
)
def results_pemda(
    request: HttpRequest,
    slug: str = Slug,
    start: str = FROM,
    to: str = TO,
    method: str | None = Query(
        None, max_length=40, description="mean_of_units, pooled atau respondent_weighted"
    ),
    level: str = Query("units", max_length=40, description="units atau services"),
):
    user = _user(request)
    pemda = Pemda.objects.for_user(user).filter(slug=slug).first()
    try:
        if pemda is None:
            raise BadRequest(404, "results_pemda_not_found", "slug", slug=slug)
        if not (user.is_superuser or user.role in WHOLE_PEMDA_ROLES):
            raise BadRequest(403, "results_pemda_forbidden", "slug")
        begin, end = _range(start, to)
        if method and method not in {m.value for m in Method}:
            choices = ", ".join(m.value for m in Method)
            raise BadRequest(400, "results_unknown_method", "method", method=method, choices=choices)
        if level not in LEVELS:
            raise BadRequest(400, "results_unknown_level", "level", level=level)
    except BadRequest as error:
        return error.response()
    with freeze.reading_for(pemda):
        found = pemda_result(
            pemda, begin, end, method=Method(method) if method else None, level=LEVELS[level]
        )
    return _document(pemda_json(found))
