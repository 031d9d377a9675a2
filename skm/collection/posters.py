"""QR codes and printable A4 posters that lead a citizen to a unit's survey (SPEC §7).

The survey addresses `/s/<unit>/` and `/s/<unit>/<service>/` are printed on paper and taped to
counters for years, so they are built here from the slugs, not looked up from a URL pattern
name that could be renamed. The host comes from `SKM_PUBLIC_URL`, or else from the request.

Posters are rendered by WeasyPrint from `collection/poster.html` with a fetcher that refuses
every URL except `data:`: a poster builds offline and never reaches for a web font or image.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import get_template, render_to_string

from skm.collection import tickets
from skm.organisation.models import Layanan, Unit

QR_ERROR = "m"  # 15 % of the code may be scratched or covered by tape and it still reads
QR_BORDER = 4  # the quiet zone the QR standard asks for, in modules
PNG_SCALE_DEFAULT = 10
PNG_SCALE_MIN, PNG_SCALE_MAX = 4, 20
POSTER_CACHE_SECONDS = 24 * 3600
POSTER_TEMPLATE = "collection/poster.html"


# --- Addresses ---------------------------------------------------------------------------------


def public_base(request: HttpRequest | None = None) -> str:
    """The scheme and host printed on posters, without a trailing slash."""
    base = (getattr(settings, "SKM_PUBLIC_URL", "") or "").rstrip("/")
    if base:
        return base
    if request is None:
        raise ValueError("SKM_PUBLIC_URL is not set and there is no request to take the address from.")
    return request.build_absolute_uri("/").rstrip("/")


def survey_path(unit: Unit, service: Layanan | None = None) -> str:
    if service is None:
        return f"/s/{unit.slug}/"
    return f"/s/{unit.slug}/{service.slug}/"


def survey_url(base: str, unit: Unit, service: Layanan | None = None, ticket: str | None = None) -> str:
    """The survey address; with a ticket (already checked by skm.collection.tickets), its ?ref=."""
    url = base.rstrip("/") + survey_path(unit, service)
    return url + tickets.query(ticket) if ticket else url


def short_url(url: str) -> str:
    """What a person types: the address without its scheme (browsers add https:// themselves)."""
    return re.sub(r"^https?://", "", url)


# --- QR codes ----------------------------------------------------------------------------------


def make_qr(url: str) -> segno.QRCode:
    # boost_error (segno's default) raises the level above M when it costs no extra size.
    return segno.make_qr(url, error=QR_ERROR)


def qr_svg(url: str) -> bytes:
    buf = io.BytesIO()
    make_qr(url).save(buf, kind="svg", scale=10, border=QR_BORDER, title=url, nl=False)
    return buf.getvalue()


def qr_png(url: str, scale: int = PNG_SCALE_DEFAULT) -> bytes:
    scale = max(PNG_SCALE_MIN, min(PNG_SCALE_MAX, scale))
    buf = io.BytesIO()
    make_qr(url).save(buf, kind="png", scale=scale, border=QR_BORDER)
    return buf.getvalue()


# --- Fitting text to the page --------------------------------------------------------------------

_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts")


@functools.cache
def _advance_widths() -> tuple[dict[str, float], float]:
    """Character widths of DejaVu Sans Bold in em; a fair average when the font file is elsewhere."""
    for folder in _FONT_DIRS:
        path = Path(folder) / "DejaVuSans-Bold.ttf"
        if path.exists():
            from fontTools.ttLib import TTFont  # a WeasyPrint dependency

            font = TTFont(str(path), lazy=True)
            upm = font["head"].unitsPerEm
            hmtx = font["hmtx"]
            widths = {chr(code): hmtx[name][0] / upm for code, name in font.getBestCmap().items()}
            return widths, 0.7
    return {}, 0.68


def text_width_em(text: str) -> float:
    widths, fallback = _advance_widths()
    return sum(widths.get(ch, fallback) for ch in text)


def _line_count(tokens: list[str], size_pt: float, width_pt: float, gap_em: float) -> int:
    """Lines a greedy wrap of `tokens` (joined by a gap `gap_em` wide) takes at `size_pt`."""
    gap = gap_em * size_pt
    lines, used = 1, 0.0
    for token in tokens:
        w = text_width_em(token) * size_pt
        if used and used + gap + w > width_pt:
            lines, used = lines + 1, w
        else:
            used = used + gap + w if used else w
        while used > width_pt:  # a token wider than the line is broken anyhow
            lines, used = lines + 1, used - width_pt
    return lines


@dataclass(frozen=True)
class Fit:
    size: int  # pt
    lines: int
    parts: tuple[str, ...] = ()  # for an address: the pieces between its break points


def fit_words(text: str, width_pt: float, plans: tuple[tuple[int, tuple[int, ...]], ...]) -> Fit:
    """The first (max lines, sizes) plan, largest size first, at which `text` wraps into its lines."""
    if not text:
        return Fit(plans[0][1][0], 0)
    words, gap = text.split(), text_width_em(" ")
    for max_lines, sizes in plans:
        for size in sizes:
            if (lines := _line_count(words, size, width_pt, gap)) <= max_lines:
                return Fit(size, lines)
    size = plans[-1][1][-1]
    return Fit(size, _line_count(words, size, width_pt, gap))


def fit_url(url: str, width_pt: float) -> Fit:
    """Large on one line when it fits; else two lines broken after a slash; else after hyphens too."""
    for size in (30, 27, 24, 21, 18):
        if text_width_em(url) * size <= width_pt:
            return Fit(size, 1, (url,))
    at_slashes = tuple(re.findall(r"[^/]*/|[^/]+$", url))
    at_hyphens = tuple(re.findall(r"[^/-]*[/-]|[^/-]+$", url))
    for parts, sizes in ((at_slashes, (24, 21, 19, 17)), (at_hyphens, (19, 17, 15, 14, 13, 12))):
        for size in sizes:
            if (lines := _line_count(list(parts), size, width_pt, 0)) <= 2:
                return Fit(size, lines, parts)
    return Fit(12, _line_count(list(at_hyphens), 12, width_pt, 0), at_hyphens)


# --- Posters -----------------------------------------------------------------------------------

MM = 72 / 25.4
CONTENT_WIDTH_PT = (210 - 2 * 16) * MM  # A4 less the page margins of poster.html
URL_BOX_WIDTH_PT = (CONTENT_WIDTH_PT - 2 * 6.5 * MM) * 0.97  # less padding, border and a margin of error
# A4 less margins and the fixed parts (band, headline, invitation, address label, footer, gaps);
# what remains after the names and the address goes to the QR code, between these bounds.
PAGE_FREE_MM = 297 - 12 - 16 - 108
QR_MIN_MM, QR_MAX_MM = 70, 120


@dataclass(frozen=True)
class Poster:
    pemda: str
    perangkat_daerah: str
    unit: str
    service: str
    url: str
    key: str  # the unit's slug, and the service's after a hyphen: names the file

    @classmethod
    def of(cls, unit: Unit, service: Layanan | None, base: str) -> Poster:
        pd = unit.perangkat_daerah.name
        return cls(
            pemda=unit.pemda.name,
            perangkat_daerah="" if pd == unit.name else pd,
            unit=unit.name,
            service=service.name if service else "",
            url=survey_url(base, unit, service),
            key=unit.slug if service is None else f"{unit.slug}-{service.slug}",
        )

    @property
    def filename(self) -> str:
        return f"poster-{self.key}.pdf"


UNIT_PLANS = ((1, (40, 36, 32, 28)), (2, (32, 28, 24, 21, 18)), (3, (18, 16)))
SERVICE_PLANS = ((1, (26, 23, 20)), (2, (20, 18, 16)), (3, (16, 14)))


def poster_context(poster: Poster, qr_mm: int | None = None) -> dict[str, Any]:
    """Type sizes that fit the names and address, and a QR code as large as the rest leaves room for."""
    url = short_url(poster.url)
    unit = fit_words(poster.unit, CONTENT_WIDTH_PT, UNIT_PLANS)
    service = fit_words(poster.service, CONTENT_WIDTH_PT, SERVICE_PLANS)
    address = fit_url(url, URL_BOX_WIDTH_PT)
    # Heights in mm of what varies with the names (line heights as in poster.html).
    variable_mm = (unit.lines * unit.size * 1.12 + service.lines * service.size * 1.15) / MM
    variable_mm += address.lines * address.size * 1.2 / MM
    # The Perangkat Daerah line: 11 pt capitals spaced .05 em, 1.2 line height, 2 mm below.
    pd_lines = fit_words(poster.perangkat_daerah.upper(), CONTENT_WIDTH_PT * 0.93, ((9, (11,)),)).lines
    variable_mm += pd_lines * 11 * 1.2 / MM + (2 if pd_lines else 0) + (6 if poster.service else 0)
    return {
        "poster": poster,
        "pemda_title": poster.pemda
        if poster.pemda.lower().startswith("pemerintah")
        else f"Pemerintah {poster.pemda}",
        "short_url": url,
        "url_parts": address.parts,
        "unit_size": unit.size,
        "service_size": service.size,
        "url_size": address.size,
        "qr_mm": qr_mm or max(QR_MIN_MM, min(QR_MAX_MM, round(PAGE_FREE_MM - variable_mm))),
        "qr_data_uri": make_qr(poster.url).svg_data_uri(border=QR_BORDER, omitsize=True),
    }


def render_pdf(poster: Poster) -> bytes:
    """One A4 page: should the estimate of the text's height be short, the QR code gives way."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    qr_mm = None
    while True:
        context = poster_context(poster, qr_mm)
        html = render_to_string(POSTER_TEMPLATE, context)
        # Only data: URIs: anything else (a web font, a remote logo) fails the build loudly.
        offline = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
        document = HTML(string=html, url_fetcher=offline).render()
        if len(document.pages) == 1 or context["qr_mm"] <= QR_MIN_MM:
            return bytes(document.write_pdf())
        qr_mm = max(QR_MIN_MM, context["qr_mm"] - 12)


@functools.cache
def _template_source() -> str:
    return str(get_template(POSTER_TEMPLATE).template.source)


def poster_pdf(poster: Poster) -> bytes:
    """The A4 poster as PDF; the same poster is built once a day at most (cached by its content)."""
    digest = hashlib.sha256(repr((_template_source(), asdict(poster))).encode()).hexdigest()[:32]
    key = f"skm:poster:{digest}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf(poster)
        cache.set(key, pdf, POSTER_CACHE_SECONDS)
    return pdf
