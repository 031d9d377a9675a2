"""The public survey page (SPEC §7): /s/<unit>/ and /s/<unit>/<service>/, no account, no JavaScript.

GET renders the Pemda's published instrument as a plain form; POST goes through the one pipeline
(`validate` → `submit`, channel "online") and answers 303 to the thank-you page, which shows
results and so lives with them (skm.results.views). An invalid form comes back with HTTP 400,
an error summary and every value the respondent had chosen.

`?ref=<ticket>` (skm.collection.tickets) rates one transaction of another system: the ticket
makes the idempotency key, a GET of a ticket already rated shows "already rated" instead of the
form (one query, only then), and the form posts back to the same address with its ticket.
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
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from skm.collection import devices, tickets
from skm.collection.models import Answer, Channel
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
from skm.organisation.lookup import ActiveUnit, active_unit
from skm.organisation.models import Layanan, Unit

DEVICE_COOKIE = "skm_device"
DEVICE_COOKIE_AGE = 365 * 24 * 3600
RENDERED_SALT = "skm.survey.rendered"
# Profile fields with this many options or fewer are radios; longer lists are selects.
RADIO_PROFILE_MAX = 3


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


def _fields(
    spec: InstrumentSpec,
    services: list[Layanan],
    fixed: Layanan | None,
    posted: QueryDict | dict[str, str],
    errors: dict[str, str],
) -> list[Field]:
    """The form in page order: service, the questions in the Pemda's order, profile, free text."""
    fields: list[Field] = []

    def choices(options: list[tuple[str, str]], name: str) -> list[Choice]:
        chosen = str(posted.get(name, ""))
        return [Choice(value, label, value == chosen) for value, label in options]

    if services and fixed is None:
        service_choices = choices([(s.slug, s.name) for s in services], "service")
        fields.append(Field("service", _("Jenis layanan yang Anda terima"), "select", True, service_choices))
    for number, q in enumerate(spec.questions, start=1):
        if q.options:
            options = [(str(o.value), o.shown_label) for o in q.options]
            fields.append(
                Field(q.field, q.shown_text, "radio", q.required, choices(options, q.field), number=number)
            )
        else:
            fields.append(
                Field(
                    q.field,
                    q.shown_text,
                    "textarea",
                    q.required,
                    value=str(posted.get(q.field, "")),
                    number=number,
                    limit=str(EXTRA_TEXT_LIMIT),
                )
            )
    for i, p in enumerate(spec.profile):
        options = [(o.code, o.shown_label) for o in p.options]
        kind = "radio" if len(options) <= RADIO_PROFILE_MAX else "select"
        fields.append(Field(p.key, p.shown_label, kind, p.required, choices(options, p.key)))
        if i == 0:
            fields[-1].heading = _("Tentang Anda")
    fields.append(
        Field(
            "suggestion",
            _("Saran atau masukan untuk unit ini"),
            "textarea",
            False,
            value=str(posted.get("suggestion", "")),
            limit=str(SUGGESTION_LIMIT),
            heading=pgettext("survey section", "Saran"),
        )
    )
    fields.append(
        Field(
            "contact",
            _("Kontak untuk balasan"),
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
    """The page instead of a form: no such survey ("missing") or none published yet ("closed")."""
    return render(request, "collection/survey_closed.html", {"reason": reason, "unit": unit}, status=status)


def _ticket_page(
    request: HttpRequest, state: str, status: int, unit: Unit, service: Layanan | None, ticket: str = ""
) -> HttpResponse:
    """The page instead of a form for a ticket link: "invalid" ticket (400) or already "rated"."""
    context = {"state": state, "unit": unit, "service": service, "ticket": ticket}
    return render(request, "collection/survey_ticket.html", context, status=status)


@dataclass
class _Page:
    """One unit's survey form as this respondent gets it: the instrument and their device."""

    request: HttpRequest
    found: ActiveUnit
    fixed: Layanan | None  # the service the link names, if it names one
    spec: InstrumentSpec
    device: str
    new_device: str
    ticket: str | None = None  # the other system's ticket (?ref=), which makes the key

    @property
    def unit(self) -> Unit:
        return self.found.unit

    def render(
        self, status: int, posted: Any, errors: dict[str, str], notice: str = "", sent: bool = False
    ) -> HttpResponse:
        fields = _fields(self.spec, list(self.found.services), self.fixed, posted, errors)
        shown = {f.name for f in fields}
        again = bool(errors or notice)  # the same rendering again: its key and timestamp stay
        context = {
            "unit": self.unit,
            "service": self.fixed,
            "fields": fields,
            "summary": [(f"q-{f.name}", f.error) for f in fields if f.error]
            + [("", text) for name, text in errors.items() if name not in shown]
            + ([("", notice)] if notice else []),
            "idempotency_key": posted.get("idempotency_key", "") if again else uuid.uuid4().hex,
            "rendered": posted.get("rendered", "") if again else _rendered_token(self.unit),
            "throttled": bool(notice) and not sent,
            "sent": sent,
            "ticket": self.ticket,
            "action": tickets.query(self.ticket) if self.ticket else "",
        }
        if "idempotency_key" in errors:  # a tampered or missing key: this rendering gets a new one
            context["idempotency_key"] = uuid.uuid4().hex
        return self.with_device(render(self.request, "collection/survey.html", context, status=status))

    def with_device(self, response: HttpResponse) -> HttpResponse:
        return _with_device(response, self.new_device)


@require_http_methods(["GET", "HEAD", "POST"])
def survey(request: HttpRequest, unit_slug: str, service_slug: str | None = None) -> HttpResponse:
    found = active_unit(unit_slug)
    if found is None:
        return _closed(request, "missing", 404)
    fixed = None
    if service_slug is not None:
        fixed = next((s for s in found.services if s.slug == service_slug), None)
        if fixed is None:
            return _closed(request, "missing", 404, found.unit)
    spec = current_spec(found.unit.pemda_id)
    if spec is None:
        return _closed(request, "closed", 200, found.unit)
    ticket = None
    if "ref" in request.GET:  # only a ticket link pays for the lookup below
        ticket = tickets.parse(request.GET["ref"])
        if ticket is None:
            return _ticket_page(request, "invalid", 400, found.unit, fixed)
    page = _Page(request, found, fixed, spec, *_device(request), ticket=ticket)
    if request.method != "POST":
        if ticket is not None and _rated(found.unit, ticket):
            return page.with_device(_ticket_page(request, "rated", 200, found.unit, fixed, ticket))
        return page.render(200, {}, {})
    return _send(page)


def _rated(unit: Unit, ticket: str) -> bool:
    return Answer.objects.filter(unit_id=unit.pk, idempotency_key=tickets.key(ticket)).exists()


def _send(page: _Page) -> HttpResponse:
    """Validate and store the posted form: 303 to the thank-you page, or the form with what is wrong."""
    posted = page.request.POST
    data = posted.dict()
    if page.fixed is not None:
        data["service"] = page.fixed.slug
    # an online answer is timed by the server: no answered_at
    duration = _duration(data.get("rendered", ""), page.unit)
    # A ticket's key comes from the ticket, whatever the hidden field says.
    key = tickets.key(page.ticket) if page.ticket else data.get("idempotency_key", "")
    received = Received(data, key=key, duration_seconds=duration)
    try:
        submission = validate(
            received,
            unit=page.unit,
            spec=page.spec,
            channel=Channel.ONLINE,
            services=list(page.found.services),
            require_service=page.fixed is None,
        )
    except Invalid as exc:
        return page.render(400, posted, dict(exc.errors))
    origin = Origin(ip=client_ip(page.request), device=page.device)
    try:
        submit(submission, origin, networks=page.found.networks)
    except Throttled:
        return page.render(429, posted, {}, notice=message("rate_limited"))
    except KeyConflict:  # this page (or ticket) was sent before, then changed: the first stands
        if page.ticket:
            notice = message("ticket_already_rated", ticket=page.ticket)
        else:
            notice = message("page_already_sent")
        return page.render(409, posted, {}, notice=notice, sent=True)
    response = HttpResponseRedirect(reverse("survey-thanks", args=[page.unit.slug]))
    response.status_code = 303
    return page.with_device(response)
