"""Kiosk mode (SPEC §7): a tablet at the counter that keeps collecting when the network drops.

The page carries everything it needs (the Pemda's questions in both languages, the unit's
services, the interface text) so that, once a service worker has cached it, it runs offline.
Completed questionnaires queue on the device (kiosk.js) and go to POST /api/v1/answers with
their idempotency key, so a retry after a lost response is "already received", never a copy,
and with the tablet's token when a unit admin set the tablet up (views/tablets.py).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from skm.collection import devices
from skm.instrument.spec import InstrumentSpec, current_spec
from skm.organisation.models import Layanan, Unit

PAGE_TEMPLATE = "collection/kiosk.html"
WORKER_TEMPLATE = "collection/kiosk_sw.js"
STATIC_FILES = ("skm/kiosk.css", "skm/kiosk.js")

# Interface text, Indonesian first. The template renders the Indonesian text; kiosk.js switches
# with the on-page toggle. {n}, {total}, {s} are filled in by kiosk.js.
TEXT: dict[str, tuple[str, str]] = {
    "survey": ("Survei Kepuasan Masyarakat", "Community Satisfaction Survey"),
    "intro": (
        "Bagaimana pelayanan kami hari ini? Tanpa nama, sekitar dua menit.",
        "How was our service today? Anonymous, about two minutes.",
    ),
    "start": ("Mulai", "Start"),
    "other_language": ("English", "Bahasa Indonesia"),
    "fullscreen": ("Layar penuh", "Full screen"),
    "back": ("Kembali", "Back"),
    "question_of": ("Pertanyaan {n} dari {total}", "Question {n} of {total}"),
    "service_question": ("Layanan apa yang baru Anda terima?", "Which service did you just receive?"),
    "service_other": ("Lainnya / tidak tahu", "Other / not sure"),
    "about_you": ("Tentang Anda · {n} dari {total}", "About you · {n} of {total}"),
    "skip": ("Lewati", "Skip"),
    "suggestion": ("Saran atau masukan", "Suggestions or feedback"),
    "suggestion_hint": (
        "Boleh dikosongkan. Mohon jangan menulis NIK atau nomor telepon.",
        "Optional. Please do not write your ID number or phone number.",
    ),
    "send": ("Kirim", "Send"),
    "thanks": ("Terima kasih!", "Thank you!"),
    "thanks_body": (
        "Penilaian Anda membantu kami memperbaiki pelayanan.",
        "Your rating helps us improve our service.",
    ),
    "thanks_reset": ("Layar kembali ke awal dalam {s} detik.", "The screen returns to the start in {s} s."),
    "done": ("Selesai", "Done"),
    "waiting": ("{n} jawaban menunggu dikirim", "{n} answers waiting to be sent"),
    "waiting_one": ("1 jawaban menunggu dikirim", "1 answer waiting to be sent"),
    "rejected": ("{n} jawaban ditolak server", "{n} answers refused by the server"),
    "offline": ("Luring", "Offline"),
    "not_set_up": ("Tablet belum dipasang", "Tablet not set up"),
    "idle_title": ("Masih mengisi?", "Still there?"),
    "idle_body": (
        "Ketuk layar untuk melanjutkan. Kembali ke awal dalam {s} detik.",
        "Tap the screen to continue. Back to the start in {s} s.",
    ),
    "continue": ("Lanjutkan", "Continue"),
    "staff_title": ("Status kios (untuk petugas)", "Kiosk status (for staff)"),
    "staff_waiting": ("Menunggu dikirim", "Waiting to be sent"),
    "staff_rejected": ("Ditolak server (tidak dikirim ulang)", "Refused by the server (not resent)"),
    "staff_none": ("Tidak ada.", "None."),
    "staff_device": ("Kode perangkat", "Device id"),
    "staff_tablet": ("Tablet", "Tablet"),
    "staff_tablet_set": ("{label} (terpasang untuk {unit})", "{label} (set up for {unit})"),
    "staff_tablet_none": (
        "Belum dipasang: kiriman dibatasi seperti ponsel biasa. Admin unit membuka {url} di tablet ini.",
        "Not set up: submissions are limited like an ordinary phone's. A unit admin opens {url} on this tablet.",
    ),
    "staff_tablet_other": (
        "Dipasang untuk unit lain ({unit}): kiriman ke unit ini dibatasi seperti ponsel biasa.",
        "Set up for another unit ({unit}): submissions to this unit are limited like an ordinary phone's.",
    ),
    "staff_last_ok": ("Terakhir terkirim", "Last sent"),
    "staff_next": ("Percobaan berikutnya dalam {s} detik", "Next attempt in {s} s"),
    "staff_offline_ready": ("Siap luring", "Ready offline"),
    "staff_yes": ("ya", "yes"),
    "staff_no": ("belum", "not yet"),
    "staff_send_now": ("Kirim sekarang", "Send now"),
    "staff_clear_rejected": ("Hapus daftar ditolak", "Clear the refused list"),
    "staff_clear_confirm": (
        "Hapus jawaban yang ditolak dari tablet ini? Catat dulu isinya bila perlu.",
        "Delete the refused answers from this tablet? Note them down first if needed.",
    ),
    "staff_close": ("Tutup", "Close"),
}


def _text() -> dict[str, dict[str, str]]:
    return {
        "id": {key: pair[0] for key, pair in TEXT.items()},
        "en": {key: pair[1] for key, pair in TEXT.items()},
    }


def _spec_data(spec: InstrumentSpec, services: list[Layanan]) -> dict[str, Any]:
    """The questions in the Pemda's order, with labels in both languages, as the page reads them.

    Free-text extra questions are left out: the kiosk asks with buttons only, and the answers
    API takes numbers. The IKM questions always have options.
    """
    return {
        "version": spec.version_id,
        "questions": [
            {
                "code": q.code,
                "field": q.field,
                "element": q.element,
                "name": q.name,
                "text": q.text,
                "text_en": q.text_en or q.text,
                "required": q.required,
                "options": [
                    {"value": o.value, "label": o.label, "label_en": o.label_en or o.label} for o in q.options
                ],
            }
            for q in spec.questions
            if q.options
        ],
        "profile": [
            {
                "key": p.key,
                "label": p.label,
                "label_en": p.label_en or p.label,
                "required": p.required,
                "options": [
                    {"code": o.code, "label": o.label, "label_en": o.label_en or o.label} for o in p.options
                ],
            }
            for p in spec.profile
        ],
        "services": [{"slug": s.slug, "name": s.name} for s in services],
    }


@require_safe
def kiosk(request: HttpRequest, unit_slug: str, service_slug: str | None = None) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("pemda"), slug=unit_slug, active=True)
    spec = current_spec(unit.pemda_id)
    if spec is None:
        raise Http404("no instrument")
    services = [s for s in unit.services.all() if s.active]
    service = None
    if service_slug is not None:
        service = next((s for s in services if s.slug == service_slug), None)
        if service is None:
            raise Http404("no such service")
    config = {
        "unit": unit.slug,
        "unit_name": unit.name,
        "service": service.slug if service else None,
        "service_name": service.name if service else None,
        "api": reverse("api:post_answer"),
        "worker": reverse("kiosk:worker"),
        "scope": reverse("kiosk:worker").rsplit("/", 1)[0] + "/",
    }
    # A device id the server signed, kept by kiosk.js on its first visit: an un-set-up tablet is
    # then a device of its own rather than its address (skm.collection.devices). The set-up
    # token itself comes from /kelola/kios/, never from this page (which anyone can open).
    tablet = {"device": devices.new_device_id(), "setup": reverse("tablets:units")}
    context = {
        "unit": unit,
        "service": service,
        "spec": _spec_data(spec, [] if service else services),
        "config": config,
        "tablet": tablet,
        "text": _text(),
        "t": {key: pair[0] for key, pair in TEXT.items()},
    }
    response = render(request, PAGE_TEMPLATE, context)
    # Always ask the server first (the service worker falls back to its copy when offline).
    patch_cache_control(response, no_cache=True)
    response["X-Robots-Tag"] = "noindex"
    return response


def _version() -> str:
    """Changes whenever the page template, the worker or the kiosk's static files change.

    A new version makes browsers install the new worker, which fetches fresh copies and drops
    the old cache; in production the static names are hashed anyway.
    """
    digest = hashlib.sha256()
    for name in (PAGE_TEMPLATE, WORKER_TEMPLATE):
        digest.update(get_template(name).template.source.encode())
    for name in STATIC_FILES:
        path = finders.find(name)
        if path:
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:16]


_deployed_version = lru_cache(maxsize=1)(_version)  # files change only with a deployment (a restart)


@require_safe
def worker(request: HttpRequest) -> HttpResponse:
    """The service worker script; scope /k/, so it controls every kiosk page."""
    scope = reverse("kiosk:worker").rsplit("/", 1)[0] + "/"
    context = {
        "version": _version() if settings.DEBUG else _deployed_version(),
        "static_urls": [static(name) for name in STATIC_FILES],
        "static_prefix": static(""),
        "scope": scope,
    }
    response = render(request, WORKER_TEMPLATE, context, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = scope
    response["X-Content-Type-Options"] = "nosniff"
    return response
