"""Kiosk mode (SPEC §7): a tablet at the counter that keeps collecting when the network drops.

The page carries everything it needs (the Pemda's questions in both languages, the unit's
services, the interface text) so that, once a service worker has cached it, it runs offline.
Completed questionnaires queue on the device (kiosk.js) and go to POST /api/v1/answers with
their idempotency key, so a retry after a lost response is "already received", never a copy,
and with the tablet's token when a unit admin set the tablet up (views/tablets.py).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_safe

from skm.collection import devices
from skm.instrument.spec import InstrumentSpec, current_spec
from skm.organisation.models import Layanan, Unit

PAGE_TEMPLATE = "collection/kiosk.html"
WORKER_TEMPLATE = "collection/kiosk_sw.js"
STATIC_FILES = ("skm/kiosk.css", "skm/kiosk.js")

# What kiosk.js shows, by the keys of the page's data-t attributes. The page carries every
# language (the on-page toggle works offline); {n}, {total}, {s}, {label}, {unit}, {url} are
# filled in by kiosk.js.
INTERFACE = {
    "survey": _("Survei Kepuasan Masyarakat"),
    "intro": _("Bagaimana pelayanan kami hari ini? Tanpa nama, sekitar dua menit."),
    "start": _("Mulai"),
    # The toggle names the other language, in that language.
    "other_language": pgettext_lazy("tombol ganti bahasa kios", "English"),
    "fullscreen": _("Layar penuh"),
    "back": _("Kembali"),
    "question_of": _("Pertanyaan {n} dari {total}"),
    "service_question": _("Layanan apa yang baru Anda terima?"),
    "service_other": _("Lainnya / tidak tahu"),
    "about_you": _("Tentang Anda · {n} dari {total}"),
    "skip": _("Lewati"),
    "suggestion": _("Saran atau masukan"),
    "suggestion_hint": _(
        "Boleh dikosongkan. Mohon jangan menulis NIK; nomor telepon cukup di kolom kontak di bawah."
    ),
    "contact": _("Kontak untuk balasan (tidak wajib)"),
    "contact_hint": _("Nomor HP atau e-mail, hanya bila Anda ingin dibalas. Jangan tulis NIK."),
    "send": _("Kirim"),
    "thanks": _("Terima kasih!"),
    "thanks_body": _("Penilaian Anda membantu kami memperbaiki pelayanan."),
    "thanks_reset": _("Layar kembali ke awal dalam {s} detik."),
    "done": _("Selesai"),
    "waiting": _("{n} jawaban menunggu dikirim"),
    "waiting_one": _("1 jawaban menunggu dikirim"),
    "rejected": _("{n} jawaban ditolak server"),
    "offline": _("Luring"),
    "not_set_up": _("Tablet belum dipasang"),
    "idle_title": _("Masih mengisi?"),
    "idle_body": _("Ketuk layar untuk melanjutkan. Kembali ke awal dalam {s} detik."),
    "continue": _("Lanjutkan"),
    "staff_title": _("Status kios (untuk petugas)"),
    "staff_waiting": _("Menunggu dikirim"),
    "staff_rejected": _("Ditolak server (tidak dikirim ulang)"),
    "staff_none": _("Tidak ada."),
    "staff_device": _("Kode perangkat"),
    "staff_tablet": _("Tablet"),
    "staff_tablet_set": _("{label} (terpasang untuk {unit})"),
    "staff_tablet_none": _(
        "Belum dipasang: kiriman dibatasi seperti ponsel biasa. Admin unit membuka {url} di tablet ini."
    ),
    "staff_tablet_other": _(
        "Dipasang untuk unit lain ({unit}): kiriman ke unit ini dibatasi seperti ponsel biasa."
    ),
    "staff_last_ok": _("Terakhir terkirim"),
    "staff_next": _("Percobaan berikutnya dalam {s} detik"),
    "staff_offline_ready": _("Siap luring"),
    "staff_yes": _("ya"),
    "staff_no": _("belum"),
    "staff_send_now": _("Kirim sekarang"),
    "staff_clear_rejected": _("Hapus daftar ditolak"),
    "staff_clear_confirm": _("Hapus jawaban yang ditolak dari tablet ini? Catat dulu isinya bila perlu."),
    "staff_close": _("Tutup"),
}
# The service worker's own page, for a kiosk address it has not stored yet (no network).
OFFLINE = {
    "title": _("Luring"),
    "heading": _("Tidak ada jaringan"),
    "body": _("Halaman kios ini belum tersimpan di tablet. Buka sekali saat tersambung ke internet."),
}


def _in_every_language(texts: dict[str, Promise]) -> dict[str, dict[str, str]]:
    """{language: {key: text}} for each of settings.LANGUAGES, from the translations."""
    found = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            found[language] = {key: str(text) for key, text in texts.items()}
    return found


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


def _config(unit: Unit, service: Layanan | None) -> dict[str, Any]:
    """Where kiosk.js sends answers and finds its worker, and what it collects for."""
    return {
        "unit": unit.slug,
        "unit_name": unit.name,
        "service": service.slug if service else None,
        "service_name": service.name if service else None,
        "api": reverse("api:post_answer"),
        "worker": reverse("kiosk:worker"),
        "scope": reverse("kiosk:worker").rsplit("/", 1)[0] + "/",
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
    text = _in_every_language(INTERFACE)
    context = {"unit": unit, "service": service, "spec": _spec_data(spec, [] if service else services)}
    # A device id the server signed, kept by kiosk.js on its first visit: an un-set-up tablet is
    # then a device of its own rather than its address (skm.collection.devices). The set-up
    # token itself comes from /kelola/kios/, never from this page (which anyone can open).
    context["tablet"] = {"device": devices.new_device_id(), "setup": reverse("tablets:units")}
    context |= {"config": _config(unit, service), "text": text, "t": text[settings.LANGUAGE_CODE]}
    # The kiosk starts in the default language whatever this browser chose; kiosk.js switches.
    with translation.override(settings.LANGUAGE_CODE):
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
    # The worker's offline page is written in the translations.
    catalogs = sorted(
        path for root in settings.LOCALE_PATHS for path in Path(root).glob("*/LC_MESSAGES/*.mo")
    )
    for path in [*(finders.find(name) for name in STATIC_FILES), *catalogs]:
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
        "language": settings.LANGUAGE_CODE,
        "offline": json.dumps(_in_every_language(OFFLINE)),
    }
    response = render(request, WORKER_TEMPLATE, context, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = scope
    response["X-Content-Type-Options"] = "nosniff"
    return response
