"""History import (issue 24 item 7): years of per-unit recaps from before the platform.

A history file has the recap columns of ``skm recap check`` plus ``tahun`` (or a year inside the
period label), and optionally ``prioritas`` (the priority unsur as the report wrote them:
"Kecepatan pelayanan, U3, waktu") and ``realisasi`` (RTL realisation %). Reading it gives a
:class:`HistoryPlan` to review: each unit name with the Pemda's unit it most resembles (and a
score), each priority text with the elements it names; the admin fixes both, then
:func:`import_plan` stores each row as ``StoredRecap(source=history)``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from skm.lib.tabular import Limits, read_grid
from skm.organisation.models import Pemda, Period, Unit
from skm.recaps.models import Source
from skm.recaps.periods import PeriodKind
from skm.recaps.reader import RawRow, RecapFileError, RecapTable, read_recap_grid
from skm.recaps.results import RowResult
from skm.recaps.rows import normalise_name
from skm.recaps.storing import Checked, Extra, Placement, check_table, element_names, instrument_elements
from skm.recaps.storing import save_checked as _save

# A history file: a few hundred rows (units × years × periods), short cells.
LIMITS = Limits(rows=20_000, columns=60, cell=2_000, bytes=10 * 1024 * 1024)
# A unit name at least this similar (0–1) to one of the Pemda's is matched without asking.
MATCH_THRESHOLD = 0.6

_EXTRA_ALIASES = {
    "tahun": "tahun",
    "year": "tahun",
    "tahunsurvei": "tahun",
    "prioritas": "prioritas",
    "unsurprioritas": "prioritas",
    "prioritasperbaikan": "prioritas",
    "unsurprioritasperbaikan": "prioritas",
    "realisasi": "realisasi",
    "realisasirtl": "realisasi",
    "persentaserealisasi": "realisasi",
    "realisasitindaklanjut": "realisasi",
}

# Words reports use for an unsur, besides its name (checked against the Pemda's own names too).
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "persyaratan": ("persyaratan", "syarat"),
    "prosedur": ("prosedur", "mekanisme", "sistem", "alur"),
    "waktu": ("waktu", "kecepatan", "lama", "cepat"),
    "biaya": ("biaya", "tarif"),
    "produk": ("produk", "spesifikasi", "hasil"),
    "kompetensi": ("kompetensi", "kemampuan", "keahlian"),
    "perilaku": ("perilaku", "sikap", "keramahan", "kesopanan", "ramah"),
    "sarana": ("sarana", "prasarana", "fasilitas"),
    "pengaduan": ("pengaduan", "saran", "masukan", "keluhan"),
}
_UNSUR_NUMBER = re.compile(r"^(?:u|unsur)\s*-?\s*(\d{1,2})$")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_SPLIT = re.compile(r"[,;/\n]+|\s+dan\s+|\s*&\s*")


class HistoryError(ValueError):
    """The file cannot be imported; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class NameMatch:
    """A unit name as the file writes it and the Pemda's unit it most resembles."""

    name: str
    unit: Unit | None
    score: float  # 0–1

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass(frozen=True)
class PriorityMapping:
    """A priority text as written and the elements it names (empty: not recognised)."""

    text: str
    elements: tuple[str, ...]


@dataclass
class HistoryRow:
    result: RowResult
    year: int | None
    kind: str | None  # a Period.Kind value; None for a custom range
    priority_text: str
    realisation: Decimal | None

    @property
    def row(self) -> int:
        return self.result.recap.row

    @property
    def name(self) -> str:
        return self.result.recap.upp


@dataclass
class HistoryPlan:
    pemda: Pemda
    rows: list[HistoryRow]
    names: dict[str, NameMatch]
    priorities: dict[str, PriorityMapping]
    skipped: list[str] = field(default_factory=list)  # rows that cannot be placed, and why


def _key(text: str) -> str:
    return re.sub(r"[\s._\-/()%]+", "", text.casefold())


def similarity(a: str, b: str) -> float:
    """How alike two unit names are (0–1), case, punctuation and word order ignored."""
    left, right = normalise_name(a), normalise_name(b)
    if not left or not right:
        return 0.0
    if left == right:
        return 1.0
    plain = difflib.SequenceMatcher(None, left, right).ratio()
    ordered = difflib.SequenceMatcher(
        None, " ".join(sorted(left.split())), " ".join(sorted(right.split()))
    ).ratio()
    return max(plain, ordered)


def match_unit(name: str, units: Sequence[Unit]) -> NameMatch:
    """The unit most like `name`; None when none reaches :data:`MATCH_THRESHOLD`."""
    best, score = None, 0.0
    for unit in units:
        found = similarity(name, unit.name)
        if found > score:
            best, score = unit, found
    return NameMatch(name, best if score >= MATCH_THRESHOLD else None, score)


def map_priority(text: str, elements: Sequence[str], names: Mapping[str, str]) -> tuple[str, ...]:
    """The elements a free-text priority names: "U3" (the instrument's third), a name or a word
    reports use for it ("Kecepatan pelayanan" → waktu); unknown pieces are dropped."""
    found: list[str] = []
    for piece in _SPLIT.split(text):
        piece = " ".join(piece.casefold().split())
        if not piece:
            continue
        element = _one_priority(piece, elements, names)
        if element and element not in found:
            found.append(element)
    return tuple(found)


def _one_priority(piece: str, elements: Sequence[str], names: Mapping[str, str]) -> str | None:
    number = _UNSUR_NUMBER.match(piece.replace(".", ""))
    if number:
        position = int(number.group(1)) - 1
        return elements[position] if 0 <= position < len(elements) else None
    words = set(re.findall(r"[a-z]+", piece))
    for element in elements:
        if piece == element or normalise_name(names.get(element, "")) == normalise_name(piece):
            return element
    for element in elements:
        if words & set(_KEYWORDS.get(element, (element,))):
            return element
    best, score = None, 0.0
    for element in elements:
        ratio = difflib.SequenceMatcher(None, piece, normalise_name(names.get(element, element))).ratio()
        if ratio > score:
            best, score = element, ratio
    return best if score >= MATCH_THRESHOLD else None


def _kind(result: RowResult) -> str | None:
    period = result.recap.periode
    if period.kind is PeriodKind.ANNUAL:
        return Period.Kind.TAHUNAN.value
    if period.kind is PeriodKind.SEMESTER and period.ordinal:
        return f"s{period.ordinal}"
    if period.kind is PeriodKind.QUARTER and period.ordinal:
        return f"tw{period.ordinal}"
    return None


def _year(text: str, label: str) -> int | None:
    cleaned = text.strip()
    if cleaned.isdigit() and 1900 < int(cleaned) < 2200:
        return int(cleaned)
    found = _YEAR.search(label)
    return int(found.group(0)) if found else None


def _realisation(text: str) -> Decimal | None:
    cleaned = text.strip().replace("%", "").replace(",", ".").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if 0 <= value <= 100 else None


def read_history(pemda: Pemda, data: bytes | str | Path, filename: str | None = None) -> HistoryPlan:
    """Read and check a history file and propose the matches and mappings to review."""
    try:
        grid = read_grid(data, filename=filename, limits=LIMITS)
    except ValueError as exc:  # TableError
        raise HistoryError(str(exc)) from None
    try:
        table = read_recap_grid(filename or str(data), grid)
    except RecapFileError as exc:
        raise HistoryError(exc.message) from None
    extras = _extra_columns(grid)
    # Each year is checked on its own: an annual row against the semesters of the same year.
    by_year: dict[int | None, list[RawRow]] = {}
    for raw in table.rows:
        cells = extras.get(raw.row, {})
        year = _year(cells.get("tahun", ""), raw.get("periode"))
        by_year.setdefault(year, []).append(raw)
    elements = instrument_elements(pemda)
    names_of = element_names(pemda)
    units = list(Unit.objects.filter(pemda=pemda).order_by("position", "name"))
    rows: list[HistoryRow] = []
    skipped: list[str] = []
    for year, raws in by_year.items():
        results = check_table(pemda, RecapTable(table.source, table.columns, raws))
        for result in results:
            cells = extras.get(result.recap.row, {})
            row = HistoryRow(
                result,
                year,
                _kind(result),
                cells.get("prioritas", ""),
                _realisation(cells.get("realisasi", "")),
            )
            if year is None:
                skipped.append(_("baris {row}: tahun tidak diketahui").format(row=row.row))
            elif row.kind is None:
                skipped.append(
                    _("baris {row}: periode “{period}” bukan tahunan, semester atau triwulan").format(
                        row=row.row, period=result.recap.periode.label
                    )
                )
            rows.append(row)
    rows.sort(key=lambda r: r.row)
    names = {r.name: match_unit(r.name, units) for r in rows}
    priorities = {
        r.priority_text: PriorityMapping(r.priority_text, map_priority(r.priority_text, elements, names_of))
        for r in rows
        if r.priority_text.strip()
    }
    return HistoryPlan(pemda, rows, names, priorities, skipped)


def _extra_columns(grid: list[tuple[int, list[str]]]) -> dict[int, dict[str, str]]:
    """Row number → the history columns (tahun, prioritas, realisasi) the recap reader ignores."""
    header_at = next((i for i, (_, cells) in enumerate(grid) if any(c.strip() for c in cells)), None)
    if header_at is None:
        return {}
    positions = {
        _EXTRA_ALIASES[_key(text)]: i
        for i, text in enumerate(grid[header_at][1])
        if _key(text) in _EXTRA_ALIASES
    }
    return {
        number: {column: (cells[i].strip() if i < len(cells) else "") for column, i in positions.items()}
        for number, cells in grid[header_at + 1 :]
    }


@dataclass(frozen=True)
class Imported:
    saved: int
    units: int
    left_out: list[str]


def import_plan(
    plan: HistoryPlan,
    units: Mapping[str, int | None],
    priorities: Mapping[str, Sequence[str]],
    *,
    user: Any = None,
) -> Imported:
    """Store the plan's rows as history, with the unit chosen for each name (None: leave it
    out) and the elements chosen for each priority text. Rows without a year or a standard
    period are left out."""
    by_pk = {u.pk: u for u in Unit.objects.filter(pemda=plan.pemda)}
    periods = {(p.kind, p.year): p for p in Period.objects.filter(pemda=plan.pemda).exclude(kind="custom")}
    allowed = set(instrument_elements(plan.pemda))
    groups: dict[tuple[int, int, str], list[HistoryRow]] = {}
    left_out: list[str] = []
    for row in plan.rows:
        unit_id = units.get(row.name)
        if unit_id is None or unit_id not in by_pk:
            left_out.append(_("baris {row}: “{name}” tidak dicocokkan").format(row=row.row, name=row.name))
            continue
        if row.year is None or row.kind is None:
            continue
        groups.setdefault((unit_id, row.year, row.kind), []).append(row)
    saved = 0
    for (unit_id, year, kind), rows in groups.items():
        extras = {
            r.row: Extra(
                tuple(e for e in priorities.get(r.priority_text, ()) if e in allowed),
                r.priority_text,
                r.realisation,
            )
            for r in rows
        }
        placement = Placement(periods.get((kind, year)), year, kind)
        if placement.period is not None and placement.period.closed_at is not None:
            left_out.extend(
                _("baris {row}: periode {period} sudah ditutup").format(
                    row=r.row, period=placement.period.display_label
                )
                for r in rows
            )
            continue
        stored = _save(
            by_pk[unit_id],
            placement,
            Checked([r.result for r in rows]),
            source=Source.HISTORY,
            user=user,
            extras=extras,
        )
        saved += len(stored)
    return Imported(saved, len({key[0] for key in groups}), left_out)


def automatic_choices(plan: HistoryPlan) -> tuple[dict[str, int | None], dict[str, tuple[str, ...]]]:
    """The proposed matches and mappings as choices (what --dry-run prints and the command uses)."""
    units = {name: (m.unit.pk if m.unit else None) for name, m in plan.names.items()}
    priorities = {text: m.elements for text, m in plan.priorities.items()}
    return units, priorities
