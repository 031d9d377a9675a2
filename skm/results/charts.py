"""Charts drawn on the server as SVG strings (SPEC §6 "Dashboards"): no chart library, no script.

Each function takes plain data (labels already translated by the caller, numbers as int, float,
Decimal or Fraction) and returns a :class:`Chart`: the SVG (``role="img"`` with a ``<title>`` and
``<desc>``, sized by its viewBox so it scales from a phone to a laptop) and the same figures as
table rows, which ``results/_chart.html`` renders under the picture for screen readers and print.
Band edges come from :mod:`skm.scoring.bands`; numbers are written by :func:`skm.lib.numbers.number`
in the active language.

Pages inline the SVG; the yearly report's PDF does the same (WeasyPrint draws inline SVG). For the
DOCX, :func:`to_png` makes a PNG on these machines through the PDF path we already depend on:
WeasyPrint renders the SVG on a page of the chart's size, then poppler's ``pdftoppm -png -r
96×scale -singlefile`` rasterises it, so the PNG is ``width×scale`` by ``height×scale`` pixels.
(There is no ``rsvg-convert`` here and the ``convert`` on PATH is a stand-in, not ImageMagick.)
"""

from __future__ import annotations

import hashlib
import math
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from skm.lib.numbers import number
from skm.scoring.bands import BANDS, band_for
from skm.scoring.rounding import Number, to_fraction
from skm.scoring.weights import Weight

Scale = Literal["nrr", "converted"]

WIDTH = 640
INK = "#1a1a1a"  # text: 17:1 on white
MUTED = "#555555"  # axes, band lines: 7.5:1
GRID = "#d0d0d0"  # only decoration; the figures are in the text and the table
BAR = "#1f5fa8"  # 6.4:1
# One colour per mutu, each at least 4.5:1 on white (WCAG 1.4.11 asks 3:1 for graphics).
MUTU_COLOUR = {"A": "#1b6e37", "B": "#1f5fa8", "C": "#8a5300", "D": "#b3261e"}
CHAR = 7.5  # width of an average character at 13 px, to keep labels apart
FONT = 'font-family="DejaVu Sans, Verdana, sans-serif"'


@dataclass(frozen=True)
class Chart:
    """One chart: its SVG and its figures as a table (``headers`` and rows of display texts)."""

    title: str
    desc: str
    svg: SafeString
    width: int
    height: int
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _svg(title: str, desc: str, height: int, body: Sequence[str]) -> SafeString:
    """The frame every chart shares; ids from the content, so two pages of one chart agree."""
    key = hashlib.sha256(f"{title}\0{desc}\0{''.join(body)}".encode()).hexdigest()[:10]
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="c{key}-t c{key}-d" class="chart" {FONT} font-size="13" fill="{INK}">'
        f'<title id="c{key}-t">{escape(title)}</title><desc id="c{key}-d">{escape(desc)}</desc>'
    )
    # Every text inside went through escape(); numbers and colours are ours.
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - texts escaped above


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.2f}" y="{y:.2f}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


def _short(label: str, limit: int) -> str:
    """A label cut to fit its column; the full text stays in the bar's tooltip and the table."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _empty(title: str) -> Chart:
    message = _("Belum ada data")
    height = 160
    body = [_text(WIDTH / 2, height / 2, message, "middle", f' font-size="18" fill="{MUTED}"')]
    return Chart(title, message, _svg(title, message, height, body), WIDTH, height, (), ())


def _label_every(labels: Sequence[str], slot: float) -> int:
    """Label every k-th column so that at most twelve labels show and none runs into the next."""
    longest = max(len(line) for label in labels for line in label.split("\n")) * CHAR + 6
    return max(math.ceil(len(labels) / 12), math.ceil(longest / slot))


def _axis_label(x: float, y: float, label: str, room: float) -> str:
    """A label under the axis, one line per "\n", cut to its room and kept inside the frame."""
    parts = []
    for n, line in enumerate(label.split("\n")):
        line = _short(line, int(room / CHAR))
        half = len(line) * CHAR / 2 + 2
        middle = min(max(x, half), WIDTH - half)
        parts.append(_text(middle, y + 16 * n, line, "middle"))
    return "".join(parts)


def _nice_top(largest: int) -> tuple[int, int]:
    """Top of a count axis and its tick step (1, 2 or 5 × 10ᵏ), with at most five steps."""
    step = 10 ** max(0, len(str(max(largest, 1))) - 1)
    while math.ceil(largest / step) > 5:
        step = step * 2 if str(step)[0] in "15" else step * 5 // 2
    return step * max(1, math.ceil(largest / step)), step


def _places(edge: Fraction) -> int:
    """Decimals an edge needs to be written exactly: 88.31 → 2, 3.5324 → 4, 2.6 → 2."""
    return next(p for p in range(2, 5) if (edge * 10**p).denominator == 1)


def _edge(lower: Fraction, scale: Scale) -> Fraction:
    return lower / 25 if scale == "nrr" else lower


def unsur_bars(
    labels: Sequence[str],
    values: Sequence[Number],
    *,
    scale: Scale = "converted",
    places: int = 2,
    title: str | None = None,
) -> Chart:
    """One horizontal bar per unsur, in the caller's order, with the mutu band edges as lines.

    A bar's length is proportional to its value (the axis starts at 0); its colour is its mutu
    (the category of SPEC §4, from :func:`band_for` on the converted value).
    """
    title = title or _("Nilai per unsur")
    if len(labels) != len(values):
        raise ValueError("one value per unsur label")
    if not values:
        return _empty(title)
    top = 4 if scale == "nrr" else 100
    factor = 25 if scale == "nrr" else 1
    left, right, row, head = 210, 580, 30, 34
    height = head + row * len(values) + 30
    length = right - left
    body = []
    for tick in range(0, top + 1, top // 4):
        x = left + length * tick / top
        body.append(f'<line x1="{x:.2f}" y1="{head - 6}" x2="{x:.2f}" y2="{height - 26}" stroke="{GRID}"/>')
        body.append(_text(x, height - 10, number(tick, 0), "middle", f' fill="{MUTED}"'))
    rows, on_top = [], []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        exact = to_fraction(value)
        band = band_for(exact * factor)
        y = head + i * row
        width = length * exact / top
        shown = number(exact, places)
        body.append(
            f'<rect class="bar" x="{left}" y="{y + 5}" width="{float(width):.2f}" height="20" '
            f'fill="{MUTU_COLOUR[band.mutu]}"><title>{escape(label)}: {shown} ({band.mutu})</title></rect>'
        )
        body.append(_text(left - 8, y + 20, _short(label, int((left - 12) / CHAR)), "end"))
        on_top.append(
            f'<rect x="{left + float(width) + 2:.2f}" y="{y + 6}" width="{len(shown) * CHAR + 4:.2f}" '
            f'height="18" fill="#ffffff"/>' + _text(left + float(width) + 4, y + 20, shown)
        )
        rows.append((label, shown, f"{band.mutu} ({_(band.kinerja)})"))
    edges = []
    for band in BANDS[:-1]:
        edge = _edge(to_fraction(band.lower), scale)
        x = left + float(length * edge / top)
        body.append(
            f'<line class="band" x1="{x:.2f}" y1="{head - 6}" x2="{x:.2f}" y2="{height - 26}" '
            f'stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="5 3"/>'
        )
        body.append(_text(x, head - 12, band.mutu, "middle", f' font-weight="bold" fill="{MUTED}"'))
        edges.append(f"{band.mutu} ≥ {number(edge, _places(edge))}")
    body += on_top  # the figures over the band lines, the lines over the bars
    scale_name = _("NRR, skala 1–4") if scale == "nrr" else _("nilai konversi, skala 25–100")
    desc = _("Batang per unsur (%(scale)s); garis putus-putus: batas mutu %(edges)s.") % {
        "scale": scale_name,
        "edges": ", ".join(edges),
    }
    value_head = _("NRR") if scale == "nrr" else _("Nilai konversi")
    headers = (_("Unsur"), value_head, _("Mutu"))
    return Chart(title, desc, _svg(title, desc, height, body), WIDTH, height, headers, tuple(rows))


def _columns(
    title: str,
    desc: str,
    labels: Sequence[str],
    counts: Sequence[int],
    colours: Sequence[str],
    axis: Sequence[str] | None = None,
) -> tuple[SafeString, int]:
    """Vertical columns of counts on a 0-based axis; ``axis`` may write the labels shorter."""
    height, base, head, left, right = 300, 250, 24, 56, WIDTH - 24
    top, step = _nice_top(max(counts))
    body = []
    for tick in range(0, top + 1, step):
        y = base - (base - head) * tick / top
        body.append(f'<line x1="{left}" y1="{y:.2f}" x2="{right}" y2="{y:.2f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 4, number(tick, 0), "end", f' fill="{MUTED}"'))
    slot = (right - left) / len(counts)
    axis = axis or labels
    every = _label_every(axis, slot)
    for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
        h = (base - head) * count / top
        x = left + i * slot + slot * 0.1
        body.append(
            f'<rect class="bar" x="{x:.2f}" y="{base - h:.2f}" width="{slot * 0.8:.2f}" '
            f'height="{h:.2f}" fill="{colours[i]}"><title>{escape(label)}: {number(count, 0)}</title></rect>'
        )
        middle = x + slot * 0.4
        if len(counts) <= 12:
            body.append(_text(middle, base - h - 5, number(count, 0), "middle"))
        if i % every == 0:
            body.append(_axis_label(middle, base + 18, axis[i], slot * every))
    body.append(f'<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="{MUTED}"/>')
    return _svg(title, desc, height, body), height


def category_counts(counts: Mapping[str, int], *, title: str | None = None) -> Chart:
    """How many (units, services…) fall in each mutu, A to D, the absent ones as 0."""
    title = title or _("Sebaran mutu")
    figures = [int(counts.get(band.mutu, 0)) for band in BANDS]
    if not sum(figures):
        return _empty(title)
    labels = [f"{band.mutu} ({_(band.kinerja)})" for band in BANDS]
    desc = "; ".join(f"{label}: {number(n, 0)}" for label, n in zip(labels, figures, strict=True))
    colours = [MUTU_COLOUR[band.mutu] for band in BANDS]
    axis = [f"{band.mutu}\n{_(band.kinerja)}" for band in BANDS]
    svg, height = _columns(title, desc, labels, figures, colours, axis)
    rows = tuple((label, number(n, 0)) for label, n in zip(labels, figures, strict=True))
    return Chart(title, desc, svg, WIDTH, height, (_("Mutu"), _("Jumlah")), rows)


def answers_over_time(periods: Sequence[tuple[str, int]], *, title: str | None = None) -> Chart:
    """Answers per day, week or month (the caller names the periods, in order, empty ones as 0)."""
    title = title or _("Jumlah jawaban per periode")
    total = sum(count for _label, count in periods)
    if not total:
        return _empty(title)
    labels = [label for label, _count in periods]
    counts = [count for _label, count in periods]
    desc = ngettext(
        "%(total)s jawaban dalam %(first)s – %(last)s; terbanyak %(most)s.",
        "%(total)s jawaban dalam %(first)s – %(last)s; terbanyak %(most)s.",
        total,
    ) % {
        "total": number(total, 0),
        "first": labels[0],
        "last": labels[-1],
        "most": number(max(counts), 0),
    }
    svg, height = _columns(title, desc, labels, counts, [BAR] * len(counts))
    rows = tuple((label, number(count, 0)) for label, count in periods)
    return Chart(title, desc, svg, WIDTH, height, (_("Periode"), _("Jawaban")), rows)


def trend(points: Sequence[tuple[str, Number | None]], *, places: int = 2, title: str | None = None) -> Chart:
    """IKM (25–100) per period as a line, broken where a period has no figure (None)."""
    title = title or _("Tren IKM")
    known = [to_fraction(v) for _label, v in points if v is not None]
    if not known:
        return _empty(title)
    room = 100 - max(25, 5 * math.floor((min(known) - 5) / 5))  # room under the lowest point
    step = 5 if room <= 30 else 10 if room <= 60 else 25
    low = 100 - step * math.ceil(room / step)
    height, base, head, left, right = 300, 250, 20, 56, WIDTH - 24
    slot = (right - left) / len(points)

    def y_of(value: Fraction) -> float:
        return float(base - (base - head) * (value - low) / (100 - low))

    body = []
    for tick in range(low, 101, step):
        y = y_of(Fraction(tick))
        body.append(f'<line x1="{left}" y1="{y:.2f}" x2="{right}" y2="{y:.2f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 4, number(tick, 0), "end", f' fill="{MUTED}"'))
    for band in BANDS[:-1]:
        if band.lower > low:
            y = y_of(to_fraction(band.lower))
            body.append(
                f'<line class="band" x1="{left}" y1="{y:.2f}" x2="{right}" y2="{y:.2f}" '
                f'stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="5 3"/>'
            )
            body.append(_text(right + 4, y + 4, band.mutu, extra=f' font-weight="bold" fill="{MUTED}"'))
    every = _label_every([label for label, _value in points], slot)
    segments: list[list[str]] = [[]]
    rows, gaps = [], []
    for i, (label, value) in enumerate(points):
        x = left + slot * (i + 0.5)
        if i % every == 0:
            body.append(_axis_label(x, base + 18, label, slot * every))
        if value is None:
            segments.append([])
            gaps.append(label)
            rows.append((label, "–", "–"))
            continue
        exact = to_fraction(value)
        band = band_for(exact, weight=Weight.W0111)  # 0.111 reaches down to 24.98
        shown = number(exact, places)
        segments[-1].append(f"{x:.2f},{y_of(exact):.2f}")
        body.append(
            f'<circle class="point" cx="{x:.2f}" cy="{y_of(exact):.2f}" r="4" fill="{BAR}">'
            f"<title>{escape(label)}: {shown} ({band.mutu})</title></circle>"
        )
        if len(points) <= 12:
            body.append(_text(x, y_of(exact) - 9, shown, "middle"))
        rows.append((label, shown, f"{band.mutu} ({_(band.kinerja)})"))
    lines = [
        f'<polyline class="line" points="{" ".join(s)}" fill="none" stroke="{BAR}" stroke-width="2.5"/>'
        for s in segments
        if len(s) > 1
    ]
    desc = _("IKM dari %(first)s sampai %(last)s: terendah %(low)s, tertinggi %(high)s.") % {
        "first": points[0][0],
        "last": points[-1][0],
        "low": number(min(known), places),
        "high": number(max(known), places),
    }
    if gaps:
        desc += " " + _("Tanpa data: %(periods)s.") % {"periods": ", ".join(gaps)}
    first_point = next(i for i, part in enumerate(body) if part.startswith("<circle"))
    body[first_point:first_point] = lines  # under the points, over the grid
    svg = _svg(title, desc, height, body)
    return Chart(title, desc, svg, WIDTH, height, (_("Periode"), _("IKM"), _("Mutu")), tuple(rows))


def to_png(chart: Chart, scale: int = 2) -> bytes:
    """The chart as a PNG of ``width×scale`` × ``height×scale`` pixels (see the module docstring)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    page = (
        f"<style>@page{{size:{chart.width}px {chart.height}px;margin:0}}body{{margin:0}}"
        f"svg{{display:block;width:{chart.width}px;height:{chart.height}px}}</style>{chart.svg}"
    )
    offline = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    pdf = HTML(string=page, url_fetcher=offline).write_pdf()
    command = ["pdftoppm", "-png", "-r", str(96 * scale), "-singlefile", "-"]
    done = subprocess.run(command, input=pdf, capture_output=True, check=True)  # noqa: S603 - fixed argv
    return done.stdout
