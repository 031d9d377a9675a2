"""The public survey page (SPEC §7): /s/<unit>/ and /s/<unit>/<service>/, no account, no JavaScript.

GET renders the Pemda's published instrument as a plain form; POST goes through the one pipeline
(`validate` → `submit`, channel "online") and answers 303 to the thank-you page. An invalid form
comes back with HTTP 400, an error summary and every value the respondent had chosen.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_safe

from skm.collection import devices
from skm.collection.models import Channel
from skm.collection.submit import KeyConflict, Origin, Throttled, submit
from skm.collection.validation import (
    CONTACT_LIMIT,
    EXTRA_TEXT_LIMIT,
    SUGGESTION_LIMIT,
    Invalid,
    Received,
    validate,
)
from skm.instrument.spec import InstrumentSpec, current_spec
from skm.lib.errors import message
from skm.lib.http import client_ip
from skm.organisation.models import Layanan, Unit
from skm.results.compute import unit_result, year_to_date

DEVICE_COOKIE = "skm_device"
DEVICE_COOKIE_AGE = 365 * 24 * 3600
RENDERED_SALT = "skm.survey.rendered"
# Profile fields with this many options or fewer are radios; longer lists are selects.
RADIO_PROFILE_MAX = 3
# Respondents below this count make the thank-you page say the figure rests on few answers.
FEW_ANSWERS = 30


@dataclass
class Choice:
    value: str
    label: str
    checked: bool


@dataclass
class Field:
    """One form control as the template draws it; `name` is also the id suffix (#q-<name>)."""

    name: str
    label: str
    kind: str  # radio · select · textarea · text
    required: bool
    choices: list[Choice] = field(default_factory=list)
    value: str = ""
    error: str = ""
    number: int | None = None
    limit: str = ""  # maxlength, as text: template ints would get thousands separators
    heading: str = ""  # a section heading drawn before this field


def _pick(labels: tuple[str, str], english: bool) -> str:
    """The English text when English is chosen and one exists, else the Indonesian."""
    return labels[1] if english and labels[1] else labels[0]


def _fields(
    spec: InstrumentSpec,
    services: list[Layanan],
    fixed: Layanan | None,
    posted: QueryDict | dict[str, str],
    errors: dict[str, str],
    english: bool,
) -> list[Field]:
    """The form in page order: service, the questions in the Pemda's order, profile, free text."""
    fields: list[Field] = []

    def choices(options: list[tuple[str, str]], name: str) -> list[Choice]:
        chosen = str(posted.get(name, ""))
        return [Choice(value, label, value == chosen) for value, label in options]

    if services and fixed is None:
        fields.append(
            Field(
                "service",
                "Jenis layanan yang Anda terima" if not english else "The service you received",
                "select",
                True,
                choices([(s.slug, s.name) for s in services], "service"),
            )
        )
    for number, q in enumerate(spec.questions, start=1):
        label = _pick((q.text, q.text_en), english)
        if q.options:
            options = [(str(o.value), _pick((o.label, o.label_en), english)) for o in q.options]
            fields.append(
                Field(q.field, label, "radio", q.required, choices(options, q.field), number=number)
            )
        else:
            fields.append(
                Field(
                    q.field,
                    label,
                    "textarea",
                    q.required,
                    value=str(posted.get(q.field, "")),
                    number=number,
                    limit=str(EXTRA_TEXT_LIMIT),
                )
            )
    for i, p in enumerate(spec.profile):
        options = [(o.code, _pick((o.label, o.label_en), english)) for o in p.options]
        kind = "radio" if len(options) <= RADIO_PROFILE_MAX else "select"
        label = _pick((p.label, p.label_en), english)
        fields.append(Field(p.key, label, kind, p.required, choices(options, p.key)))
        if i == 0:
            fields[-1].heading = "Tentang Anda" if not english else "About you"
    fields.append(
        Field(
            "suggestion",
            "Saran atau masukan untuk unit ini" if not english else "Your suggestions for this unit",
            "textarea",
            False,
            value=str(posted.get("suggestion", "")),
            limit=str(SUGGESTION_LIMIT),
            heading="Saran" if not english else "Suggestions",
        )
    )
    fields.append(
        Field(
            "contact",
            "Kontak untuk balasan" if not english else "Contact for a reply",
            "text",
            False,
            value=str(posted.get("contact", "")),
            limit=str(CONTACT_LIMIT),
        )
    )
    for f in fields:
        f.error = errors.get(f.name, "")
    return fields


def _rendered_token(unit: Unit) -> str:
    return signing.TimestampSigner(salt=RENDERED_SALT).sign(unit.slug)


def _duration(token: str, unit: Unit) -> int | None:
    """Seconds since the form was rendered, from its signed timestamp; None if the token is bad."""
    try:
        signing.TimestampSigner(salt=RENDERED_SALT).unsign(token, max_age=24 * 3600)
        slug, stamp, _ = token.rsplit(":", 2)
        rendered = signing.b62_decode(stamp)
    except (signing.BadSignature, ValueError):
        return None
    if slug != unit.slug:
        return None
    return max(0, int(time.time()) - rendered)


def _device(request: HttpRequest) -> tuple[str, str]:
    """The device id its cookie proves (server-signed), and a new cookie to set when it proves none.

    A request without a valid cookie counts as its address (Origin.device_key), not as the new
    id: a client that drops the cookie before every answer must not be a new device each time.
    """
    device = devices.device_id(request.COOKIES.get(DEVICE_COOKIE, ""))
    return device, ("" if device else devices.new_device_id())


def _with_device(response: HttpResponse, new: str) -> HttpResponse:
    if new:
        response.set_cookie(
            DEVICE_COOKIE,
            new,
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _closed(request: HttpRequest, reason: str, status: int, unit: Unit | None = None) -> HttpResponse:
    context = {"reason": reason, "unit": unit, "en": get_language() == "en"}
    return render(request, "collection/survey_closed.html", context, status=status)


def _active_unit(slug: str) -> Unit | None:
    return Unit.objects.select_related("pemda").filter(slug=slug, active=True).first()


@require_http_methods(["GET", "HEAD", "POST"])
def survey(request: HttpRequest, unit_slug: str, service_slug: str | None = None) -> HttpResponse:
    unit = _active_unit(unit_slug)
    if unit is None:
        return _closed(request, "missing", 404)
    services = list(Layanan.objects.filter(unit=unit, active=True))
    fixed = None
    if service_slug is not None:
        fixed = next((s for s in services if s.slug == service_slug), None)
        if fixed is None:
            return _closed(request, "missing", 404, unit)
    spec = current_spec(unit.pemda_id)
    if spec is None:
        return _closed(request, "closed", 200, unit)
    device, new_device = _device(request)
    language = get_language() or "id"
    english = language == "en"

    def form(
        status: int, posted: Any, errors: dict[str, str], notice: str = "", sent: bool = False
    ) -> HttpResponse:
        fields = _fields(spec, services, fixed, posted, errors, english)
        shown = {f.name for f in fields}
        context = {
            "unit": unit,
            "service": fixed,
            "fields": fields,
            "summary": [(f"q-{f.name}", f.error) for f in fields if f.error]
            + [("", text) for name, text in errors.items() if name not in shown]
            + ([("", notice)] if notice else []),
            "idempotency_key": posted.get("idempotency_key", "") if errors or notice else uuid.uuid4().hex,
            "rendered": posted.get("rendered", "") if errors or notice else _rendered_token(unit),
            "en": english,
            "throttled": bool(notice) and not sent,
            "sent": sent,
        }
        if "idempotency_key" in errors:  # a tampered or missing key: this rendering gets a new one
            context["idempotency_key"] = uuid.uuid4().hex
        return _with_device(render(request, "collection/survey.html", context, status=status), new_device)

    if request.method != "POST":
        return form(200, {}, {})

    data = request.POST.dict()
    if fixed is not None:
        data["service"] = fixed.slug
    # an online answer is timed by the server: no answered_at
    received = Received(
        data, key=data.get("idempotency_key", ""), duration_seconds=_duration(data.get("rendered", ""), unit)
    )
    errors: dict[str, str] = {}
    submission = None
    try:
        submission = validate(
            received,
            unit=unit,
            spec=spec,
            channel=Channel.ONLINE,
            services=services,
            require_service=fixed is None,
            language=language,
        )
    except Invalid as exc:
        errors = dict(exc.errors)
    if errors or submission is None:
        return form(400, request.POST, errors)
    try:
        submit(submission, Origin(ip=client_ip(request), device=device))
    except Throttled:
        return form(429, request.POST, {}, notice=message("rate_limited", language))
    except KeyConflict:  # this page was sent before (back button), then changed: the first stands
        return form(409, request.POST, {}, notice=message("page_already_sent", language), sent=True)
    response = HttpResponseRedirect(reverse("survey-thanks", args=[unit.slug]))
    response.status_code = 303
    return _with_device(response, new_device)


@require_safe
def thanks(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = _active_unit(unit_slug)
    if unit is None:
        return _closed(request, "missing", 404)
    result = unit_result(unit, *year_to_date(unit))
    sample_short = result.sample.adequate is False
    context = {
        "unit": unit,
        "result": result,
        "band": result.score.band,
        "places": unit.pemda.display_precision,
        "few": result.n < FEW_ANSWERS,
        "short": sample_short and result.n >= FEW_ANSWERS,
        "en": get_language() == "en",
    }
    return render(request, "collection/thanks.html", context)
