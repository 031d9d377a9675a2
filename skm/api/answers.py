"""POST /api/v1/answers: the submission pipeline for the kiosk, the API and other systems."""

from __future__ import annotations

import datetime as dt

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from ninja import Field, Router, Schema
from pydantic import BaseModel, StrictInt

from skm.api import errors as api_errors
from skm.api.errors import ErrorOut
from skm.collection import devices
from skm.collection.models import Channel
from skm.collection.submit import KeyConflict, Origin, Receipt, Throttled, submit
from skm.collection.validation import Invalid, Received, validate
from skm.instrument.spec import current_spec
from skm.lib.errors import message
from skm.lib.http import client_ip
from skm.organisation.lookup import active_unit

router = Router()


class AnswerIn(BaseModel):
    unit: str = Field(..., description="kode tautan unit (slug)", max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")
    service: str | None = Field(None, description="kode tautan, id atau nama jenis layanan", max_length=200)
    answers: dict[str, StrictInt | None] = Field(
        ..., description="nilai 1–4 per unsur (persyaratan … pengaduan, atau u1 … u9 menurut urutan Pemda)"
    )
    gender: str | None = Field(None, max_length=40)
    age_band: str | None = Field(None, max_length=40)
    education: str | None = Field(None, max_length=40)
    occupation: str | None = Field(None, max_length=40)
    suggestion: str | None = Field(None, max_length=10000)
    contact: str | None = Field(None, max_length=1000)
    idempotency_key: str = Field(
        ..., description="8–64 karakter [A-Za-z0-9_-], unik per kuesioner", max_length=200
    )
    answered_at: dt.datetime | None = Field(
        None, description="waktu pengisian di perangkat (ISO 8601 dengan zona)"
    )
    duration_seconds: StrictInt | None = Field(None, ge=0, le=86400)
    channel: str = Field(
        "api",
        description="api atau kiosk; kiosk hanya berlaku dengan kiosk_token yang sah untuk unit ini",
        pattern="^(api|kiosk)$",
    )
    device: str | None = Field(
        None,
        description="id perangkat yang diberikan server (halaman kios); id lain dihitung sebagai "
        "alamat IP pengirim. Disimpan hanya sebagai hash",
        max_length=200,
    )
    kiosk_token: str | None = Field(
        None,
        description="token tablet kios dari admin unit (/kelola/kios/); tanpanya, channel kiosk "
        "disimpan sebagai api dan dibatasi seperti perangkat biasa",
        max_length=200,
    )
    language: str = Field("id", pattern="^(id|en)$")


class AnswerOut(Schema):
    status: str = Field(..., description="created | already_received")
    id: int
    submitted_at: dt.datetime


@router.post(
    "/answers",
    response={201: AnswerOut, 200: AnswerOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Kirim satu kuesioner / Submit one questionnaire",
    tags=["jawaban"],
)
def post_answer(request: HttpRequest, payload: AnswerIn) -> HttpResponse:
    return accept(payload, client_ip(request))


def _error(
    status: int,
    detail: str,
    errors: dict[str, str] | None = None,
    codes: dict[str, str] | None = None,
    *,
    code: str = "",
) -> JsonResponse:
    if code:  # about the request as a whole, as skm.api.errors.request_error puts it
        errors, codes = {"request": detail}, {"request": code}
    return JsonResponse({"detail": detail, "errors": errors or {}, "codes": codes or {}}, status=status)


def accept(payload: AnswerIn, ip: str) -> HttpResponse:
    """Validate, count and store one questionnaire; the reply (AnswerOut or ErrorOut, as JSON)."""
    outcome = accept_answer(payload, ip)
    if isinstance(outcome, Receipt):
        return receipt_reply(outcome.created, outcome.answer_id, outcome.submitted_at)
    return outcome


def accept_answer(payload: AnswerIn, ip: str) -> Receipt | HttpResponse:
    """Validate, count and store one questionnaire: its receipt, or the error reply (ErrorOut).

    The one implementation of POST /api/v1/answers: ninja's operation above (through `accept`)
    and the WSGI entry ahead of Django's handler (skm.api.wsgi.AnswerEntry, which writes the
    receipt's reply itself) both end here.
    """
    language = payload.language  # of the messages: each error below is written in it
    found = active_unit(payload.unit)
    if found is None:
        with translation.override(language):
            return api_errors.not_found(None)
    unit = found.unit
    spec = current_spec(unit.pemda_id)
    if spec is None:
        return _error(404, message("no_instrument", language), code="no_instrument")
    data: dict[str, object] = {k: ("" if v is None else v) for k, v in payload.answers.items()}
    data.update(
        service=payload.service or "",
        gender=payload.gender or "",
        age_band=payload.age_band or "",
        education=payload.education or "",
        occupation=payload.occupation or "",
        suggestion=payload.suggestion or "",
        contact=payload.contact or "",
    )
    received = Received(
        data,
        key=payload.idempotency_key,
        answered_at=payload.answered_at.isoformat() if payload.answered_at else "",
        duration_seconds=payload.duration_seconds,
    )
    # "kiosk" is believed only with a valid token of a tablet set up for this unit (no query).
    tablet = devices.tablet(payload.kiosk_token or "", unit.pk) if payload.channel == "kiosk" else None
    channel = Channel.KIOSK if tablet is not None else Channel.API
    try:  # its messages come in `language` from skm.lib.errors: no translation.override needed
        submission = validate(
            received, unit=unit, spec=spec, channel=channel, services=list(found.services), language=language
        )
    except Invalid as exc:
        return _error(422, "; ".join(exc.errors.values()), exc.errors, exc.codes)
    try:
        origin = Origin(ip=ip, device=devices.device_id(payload.device or ""), tablet=tablet)
        receipt = submit(submission, origin, networks=found.networks)
    except Throttled:
        return _error(429, message("rate_limited", language), code="rate_limited")
    except KeyConflict as exc:  # nothing of the stored answer is told but that it exists
        text = message("key_conflict", language, key=exc.key)
        return _error(409, text, {"idempotency_key": text}, {"idempotency_key": "key_conflict"})
    if tablet is not None:
        devices.seen(tablet)
    return receipt


_json_time = DjangoJSONEncoder().default  # a datetime as JsonResponse writes it


def receipt_reply(created: bool, answer_id: int, submitted_at: dt.datetime) -> HttpResponse:
    """The documented AnswerOut, byte for byte as JsonResponse writes it, built directly."""
    body = receipt_json(created, answer_id, submitted_at)
    return HttpResponse(body, content_type="application/json", status=201 if created else 200)


def receipt_json(created: bool, answer_id: int, submitted_at: dt.datetime) -> bytes:
    """AnswerOut as JsonResponse would encode it (status 201 when created, else 200).

    Validating our own three fields against the schema, then encoding a dict, cost more on each
    of thousands of replies a second than storing the answer; an int, a fixed word and an ISO
    time need no escaping. The time comes from DjangoJSONEncoder itself, as JsonResponse has it.
    """
    status = "created" if created else "already_received"
    at = _json_time(submitted_at)
    return f'{{"status": "{status}", "id": {int(answer_id)}, "submitted_at": "{at}"}}'.encode()
