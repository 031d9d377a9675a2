"""Validate one submitted questionnaire, whatever the channel (SPEC §7, §8).

`validate()` takes raw values (strings from a form, a CSV row, JSON from the kiosk or the API)
and returns either a clean `Submission` or field errors with Indonesian (or English) messages.
Every channel calls it, so a questionnaire is judged the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from skm.collection.models import Channel
from skm.instrument.spec import InstrumentSpec
from skm.lib.errors import message
from skm.organisation.models import Layanan, Unit

KEY_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
SUGGESTION_LIMIT = 2000
CONTACT_LIMIT = 120
EXTRA_TEXT_LIMIT = 500
# An answer time from a device (the kiosk's offline queue) is believed within this window.
CLIENT_TIME_PAST = dt.timedelta(days=14)
CLIENT_TIME_FUTURE = dt.timedelta(minutes=5)
# What a decoder puts for bytes it could not read (Django's multipart parser, a file saved by a
# program that could not): text holding it was garbled on the way and is refused, not stored.
UNREADABLE = "\ufffd"
# Channels where an admin keys in paper forms or files: respondents may have left items blank.
BLANKS_ALLOWED = {Channel.MANUAL, Channel.IMPORT}
PROFILE_KEYS = ("gender", "age_band", "education", "occupation")
SUGGESTION_LABEL = _("Saran")
CONTACT_LABEL = _("Kontak")
# A profile item's label in the language its message is written in (the instrument's own English).
_shown_label = lazy(lambda item: item.shown_label, str)


@dataclass(frozen=True)
class Received:
    """One questionnaire as a channel received it, before it is judged: what every channel
    (survey page, kiosk, API, paper line, import row) converts its input into.

    `values`: raw answers by the element names (persyaratan … pengaduan) or, equally, the codes
    u1…u9 of the Pemda's order; extra questions by their field or code; gender, age_band,
    education, occupation; service (id, slug or name); suggestion; contact.
    `key`: the idempotency key the sender stated; None where the channel has none (an edit of a
    stored answer), and then none is checked. `answered_at`: when it was filled in, as the
    channel states it (see `parse_answer_time`); `duration_seconds`: time spent on the form.
    """

    values: Mapping[str, Any]
    key: str | None = None
    answered_at: Any = None
    duration_seconds: Any = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Received:
        """From one flat dict holding idempotency_key, answered_at and duration_seconds beside
        the answers (scripts and tests write questionnaires that way)."""
        rest = {
            k: v for k, v in data.items() if k not in {"idempotency_key", "answered_at", "duration_seconds"}
        }
        return cls(
            rest, data.get("idempotency_key", ""), data.get("answered_at"), data.get("duration_seconds")
        )


@dataclass
class Submission:
    unit: Unit
    service: Layanan | None
    spec: InstrumentSpec
    channel: str
    idempotency_key: str
    values: dict[str, int | None]
    extra: dict[str, Any] = field(default_factory=dict)
    profile: dict[str, str] = field(default_factory=dict)
    suggestion: str = ""
    contact: str = ""
    submitted_at: dt.datetime | None = None
    duration_seconds: int | None = None


class Invalid(Exception):
    """Field errors: {field: message}; `codes` keeps the stable codes for the API."""

    def __init__(self, errors: dict[str, str], codes: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors
        self.codes = codes


def earliest_day(today: dt.date) -> dt.date:
    """The earliest day an answer may carry, on every channel: 1 January of last year."""
    return dt.date(today.year - 1, 1, 1)


def clean_text(text: Any) -> str:
    """Free text as people type it, minus control characters (kept: newlines and tabs)."""
    text = unicodedata.normalize("NFC", str(text or ""))
    if text.isprintable():  # no character of category C (nor Z but the space): nothing to drop
        return text.strip()
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()


def _as_int(raw: Any) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int):
        return raw
    text = str(raw).strip()
    if not text.isdigit():
        raise ValueError
    return int(text)


def parse_answer_time(raw: Any, now: dt.datetime, channel: str, tz: dt.tzinfo) -> dt.datetime | None:
    """When the questionnaire was filled in, as the channel states it.

    On every channel the day (in the Pemda's time) may not come before 1 January of last year
    nor after today — a time at most CLIENT_TIME_FUTURE ahead of the server's clock aside —
    else a clear error ("time_too_old", "time_future"): the rule paper entry had, for all.
    Devices (kiosk, API): an ISO time with offset, believed within a window (a kiosk queue may
    hold answers for days); outside it, but within those days, the server's time is used (None).
    Paper and imports: the date on the form or in the file (a datetime as the import parsed it
    is taken as is); a date alone means noon local time, and today's noon not later than now.
    """
    if raw is None or raw == "":
        return None
    if isinstance(raw, dt.datetime):
        parsed: dt.datetime | None = raw
    else:
        text = str(raw).strip()
        try:
            day = parse_date(text) if len(text) == 10 else None
            if day is not None:
                if channel not in BLANKS_ALLOWED:
                    raise ValueError("time_invalid")
                parsed = dt.datetime.combine(day, dt.time(12), tzinfo=tz)
            else:
                parsed = parse_datetime(text)
        except ValueError:  # "2026-02-30": the right shape, no such day
            raise ValueError("time_invalid") from None
    if parsed is None:
        raise ValueError("time_invalid")
    if timezone.is_naive(parsed):
        if channel not in BLANKS_ALLOWED:
            raise ValueError("time_invalid")
        parsed = parsed.replace(tzinfo=tz)
    today = timezone.localtime(now, tz).date()
    day = timezone.localtime(parsed, tz).date()
    if day > today and parsed > now + CLIENT_TIME_FUTURE:
        raise ValueError("time_future")
    if day < earliest_day(today):
        raise ValueError("time_too_old")
    if channel in BLANKS_ALLOWED:
        return min(parsed, now)  # "today" (noon) typed in the morning is not the future
    if not (now - CLIENT_TIME_PAST <= parsed <= now + CLIENT_TIME_FUTURE):
        return None
    return parsed


def validate(
    received: Received,
    *,
    unit: Unit,
    spec: InstrumentSpec,
    channel: str,
    services: list[Layanan] | None = None,
    require_service: bool = False,
    language: str | None = None,
    now: dt.datetime | None = None,
) -> Submission:
    """Check one questionnaire; raise `Invalid` with every problem at once, or return it clean.

    Messages are in `language`, else the active one (labels are lazy: formatted in it too).

    A `received.key` of None (a channel without a key of its own) gets a fresh one: the
    Submission always carries a key.
    """
    now = now or timezone.now()
    data = received.values
    errors: dict[str, str] = {}
    codes: dict[str, str] = {}

    def fail(field_name: str, error: str, /, **params: Any) -> None:
        if field_name not in errors:
            errors[field_name] = message(error, language, **params)
            codes[field_name] = error

    def free_text(field_name: str, raw: Any, label: object, limit: int) -> str:
        text = clean_text(raw)
        if UNREADABLE in text:
            fail(field_name, "text_unreadable", label=label)
        elif len(text) > limit:
            fail(field_name, "text_too_long", label=label, limit=limit)
        return text

    blanks_ok = channel in BLANKS_ALLOWED
    values: dict[str, int | None] = {}
    for question in spec.ikm_questions:
        raw = data.get(question.element, data.get(question.code.lower(), data.get(question.code)))
        allowed = question.values
        try:
            value = _as_int(raw)
        except ValueError:
            fail(question.element, "answer_invalid", value=raw, code=question.code, max=max(allowed))
            continue
        if value is None:
            if question.required and not blanks_ok:
                fail(question.element, "answer_required", code=question.code, name=question.name)
            values[question.element] = None
        elif value not in allowed:
            fail(question.element, "answer_invalid", value=raw, code=question.code, max=max(allowed))
        else:
            values[question.element] = value

    extra: dict[str, Any] = {}
    for question in spec.extra_questions:
        raw = data.get(question.field, data.get(question.code))
        if question.options:
            try:
                value = _as_int(raw)
            except ValueError:
                value = -1
            if value is None:
                if question.required and not blanks_ok:
                    fail(question.field, "answer_required", code=question.code, name=question.name)
            elif value not in question.values:
                fail(
                    question.field, "answer_invalid", value=raw, code=question.code, max=len(question.options)
                )
            else:
                extra[question.code] = value
        else:
            text = free_text(question.field, raw, question.code, EXTRA_TEXT_LIMIT)
            if text:
                extra[question.code] = text
            elif question.required and not blanks_ok:
                fail(question.field, "answer_required", code=question.code, name=question.name)

    profile: dict[str, str] = {}
    for item in spec.profile:
        raw = clean_text(data.get(item.key))
        if not raw:
            if item.required and not blanks_ok:
                fail(item.key, "profile_required", label=_shown_label(item))
            continue
        code = item.codes.get(raw.lower())
        if code is None:
            fail(item.key, "profile_invalid", value=raw, label=_shown_label(item))
        else:
            profile[item.key] = code

    if services is None:
        services = [s for s in unit.services.all() if s.active]
    service = None
    raw_service = clean_text(data.get("service"))
    if raw_service:
        for candidate in services:
            if (
                raw_service in (str(candidate.pk), candidate.slug)
                or raw_service.lower() == candidate.name.lower()
            ):
                service = candidate
                break
        else:
            fail("service", "service_invalid", value=raw_service)
    elif require_service and services:
        fail("service", "service_required")

    suggestion = free_text("suggestion", data.get("suggestion"), SUGGESTION_LABEL, SUGGESTION_LIMIT)
    contact = free_text("contact", data.get("contact"), CONTACT_LABEL, CONTACT_LIMIT)

    if received.key is None:
        key = uuid.uuid4().hex
    else:
        key = str(received.key).strip()
        if not KEY_RE.match(key):
            fail("idempotency_key", "key_invalid")

    submitted_at = None
    try:
        submitted_at = parse_answer_time(received.answered_at, now, channel, unit.pemda.tz)
    except ValueError as exc:
        code = str(exc) if str(exc) in ("time_future", "time_too_old") else "time_invalid"
        fail(
            "answered_at",
            code,
            value=received.answered_at,
            year=timezone.localtime(now, unit.pemda.tz).year - 1,
        )
    duration = None
    try:
        duration = _as_int(received.duration_seconds)
    except ValueError:
        duration = None
    if duration is not None and duration > 24 * 3600:
        duration = None

    if errors:
        raise Invalid(errors, codes)
    return Submission(
        unit=unit,
        service=service,
        spec=spec,
        channel=channel,
        idempotency_key=key,
        values=values,
        extra=extra,
        profile=profile,
        suggestion=suggestion,
        contact=contact,
        submitted_at=submitted_at,
        duration_seconds=duration,
    )
