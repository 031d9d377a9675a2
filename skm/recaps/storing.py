"""Checking and saving a recap a unit enters or uploads in the workspace (issue 24 item 4, SPEC §8).

Every channel (the form, an uploaded file, the history import) turns its input into the rows of a
:class:`~skm.recaps.reader.RecapTable` and runs the same check as ``skm recap check``
(:func:`skm.recaps.report.check_recap`). A row with problems is saved only with an explanation per
problem; ``unverifiable`` and ``no data`` rows are saved with that verdict (how they enter the
results: :mod:`skm.recaps.stored`).

The recap columns are U1…Un in the order of the Pemda's instrument: U1 is its first unsur,
whatever its name (seed 003 puts pengaduan before sarana).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skm.accounts import audit
from skm.instrument.spec import current_spec
from skm.organisation.models import Pemda, Period, Unit
from skm.recaps.models import Source, StoredRecap
from skm.recaps.reader import UNSUR_COLUMNS, RawRow, RecapTable
from skm.recaps.report import check_recap
from skm.recaps.results import RowResult
from skm.recaps.rows import Scale
from skm.scoring.elements import ELEMENT_NAMES, ELEMENTS
from skm.scoring.rounding import round_half_up


def instrument_elements(pemda: Pemda) -> tuple[str, ...]:
    """The Pemda's unsur in its instrument's order (the regulation's when it has none)."""
    spec = current_spec(pemda.pk)
    order = tuple(q.element for q in spec.ikm_questions) if spec else ()
    return order or ELEMENTS


def element_names(pemda: Pemda) -> dict[str, str]:
    """The Pemda's own name of each unsur (its instrument's), else the regulation's."""
    spec = current_spec(pemda.pk)
    names = {q.element: q.name for q in spec.ikm_questions} if spec else {}
    return {e: names.get(e) or ELEMENT_NAMES.get(e, e) for e in instrument_elements(pemda)}


def element_column(position: int) -> str:
    """The recap column of the unsur at `position` (0-based) of the instrument: "u1"…"""
    return f"u{position + 1}"


@dataclass(frozen=True)
class EntryRow:
    """One row as entered: the unit's (``service`` empty) or one service's. Texts as typed."""

    service: str
    values: Mapping[str, str]  # element → value (NRR 1–4 or converted 25–100)
    ikm: str
    category: str
    n: str
    metode: str = ""

    @property
    def is_blank(self) -> bool:
        texts = [self.ikm, self.category, self.n, *self.values.values()]
        return not any(t.strip() for t in texts)

    def cells(self, unit: Unit, period_label: str, elements: Sequence[str]) -> dict[str, str]:
        cells = {
            "upp": unit.name,
            "periode": period_label,
            "layanan": self.service.strip(),
            "ikm": self.ikm.strip(),
            "kategori": self.category.strip(),
            "jumlah_responden": self.n.strip(),
            "metode": self.metode.strip(),
        }
        for position, element in enumerate(elements):
            cells[element_column(position)] = self.values.get(element, "").strip()
        return cells

    def as_json(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "values": dict(self.values),
            "ikm": self.ikm,
            "category": self.category,
            "n": self.n,
            "metode": self.metode,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EntryRow:
        values = data.get("values") or {}
        return cls(
            service=str(data.get("service", "")),
            values={str(k): str(v) for k, v in values.items()},
            ikm=str(data.get("ikm", "")),
            category=str(data.get("category", "")),
            n=str(data.get("n", "")),
            metode=str(data.get("metode", "")),
        )


def period_label(period: Period) -> str:
    """The period as a recap row writes it, so the check reads its kind ("Semester I")."""
    if period.kind == Period.Kind.CUSTOM:
        return period.display_label
    return str(Period.Kind(period.kind).label)


def entry_table(unit: Unit, label: str, rows: Sequence[EntryRow]) -> RecapTable:
    """The entered rows as a recap table, numbered from 1 as the page shows them."""
    elements = instrument_elements(unit.pemda)
    raw = [RawRow(number, row.cells(unit, label, elements)) for number, row in enumerate(rows, start=1)]
    columns = tuple(dict.fromkeys(c for r in raw for c in r.cells))
    return RecapTable(_("isian {unit}").format(unit=unit.name), columns, raw)


def check_table(pemda: Pemda, table: RecapTable) -> list[RowResult]:
    """The check of ``skm recap check`` with the Pemda's weight (SPEC §8)."""
    return check_recap(table, pemda.weight_enum).rows


@dataclass
class Checked:
    """Rows checked, and what the admin said about their problems: (row, problem index) → text."""

    results: list[RowResult]
    explanations: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def problem_count(self) -> int:
        return sum(len(r.problems) for r in self.results)

    def unexplained(self) -> list[tuple[int, int]]:
        return [
            (r.recap.row, i)
            for r in self.results
            for i, _p in enumerate(r.problems)
            if not self.explanations.get((r.recap.row, i), "").strip()
        ]


class Unexplained(ValueError):
    """A problem of the check has no explanation: the recap is not saved."""


class PeriodClosed(ValueError):
    """The recap's period is closed: its figures are frozen, so no recap enters it until reopened."""


def closed_period(pemda: Pemda, placement: Placement) -> Period | None:
    """The closed Period the placement falls in (its own, or for history the Pemda's period of the
    same kind and year), locked until the transaction ends so a close cannot slip in between."""
    found = Period.objects.select_for_update().filter(pemda=pemda)
    if placement.period is not None:
        found = found.filter(pk=placement.period.pk)
    else:
        found = found.filter(kind=placement.kind, year=placement.year)
    return next((p for p in found if p.closed_at is not None), None)


def _decimal(value: Fraction) -> str:
    """An exact value as decimal text ("88.25"): a published figure × 25 always has one."""
    return format(round_half_up(value, 6).normalize(), "f")


def converted_values(result: RowResult, elements: Sequence[str]) -> tuple[dict[str, str], dict[str, str]]:
    """element → converted value (25–100), and element → NRR as written when the row gave NRRs."""
    converted: dict[str, str] = {}
    nrr: dict[str, str] = {}
    if result.scale is None:
        return converted, nrr
    for element, figure in zip(elements, result.recap.unsur, strict=False):
        if figure is None:
            continue
        converted[element] = _decimal(figure.value * result.scale.factor)
        if result.scale is Scale.NRR:
            nrr[element] = _decimal(figure.value)
    return converted, nrr


@dataclass(frozen=True)
class Placement:
    """Where saved rows go: a Period of the Pemda, or a year and kind (history without one)."""

    period: Period | None
    year: int
    kind: str
    label: str = ""

    @classmethod
    def of(cls, period: Period) -> Placement:
        return cls(period, period.year, period.kind, period.display_label)


@dataclass(frozen=True)
class Extra:
    """What history adds to a row: priority unsur (elements, and the text as written), RTL %."""

    priority: tuple[str, ...] = ()
    priority_original: str = ""
    realisation: Decimal | None = None


def save_checked(
    unit: Unit,
    placement: Placement,
    checked: Checked,
    *,
    source: str,
    user: Any,
    extras: Mapping[int, Extra] | None = None,
) -> list[StoredRecap]:
    """Store the checked rows of one unit, replacing its earlier recap of the same period (and
    service): all rows or none, audited. Raises :class:`PeriodClosed` when the period is closed,
    :class:`Unexplained` when a problem has no explanation (history keeps its problems without one: the report was published as it is)."""
    if source != Source.HISTORY and checked.unexplained():
        raise Unexplained(_("Setiap masalah perlu diperbaiki atau dijelaskan sebelum disimpan."))
    elements = instrument_elements(unit.pemda)
    extras = extras or {}
    saved: list[StoredRecap] = []
    with transaction.atomic():
        closed = closed_period(unit.pemda, placement)
        if closed is not None:
            raise PeriodClosed(
                _(
                    "Periode {period} sudah ditutup dan angkanya dibekukan: rekap tidak dapat disimpan. "
                    "Admin Pemda dapat membukanya kembali."
                ).format(period=closed.display_label)
            )
        for result in checked.results:
            recap = result.recap
            converted, nrr = converted_values(result, elements)
            problems = [
                {
                    "code": p.code,
                    "message": p.message,
                    "explanation": checked.explanations.get((recap.row, i), "").strip(),
                }
                for i, p in enumerate(result.problems)
            ]
            extra = extras.get(recap.row, Extra())
            earlier = StoredRecap.objects.filter(
                unit=unit,
                year=placement.year,
                period_kind=placement.kind,
                period=placement.period,
                service=recap.layanan,
            )
            for old in earlier:
                audit.record("recap.replace", old, user=user, summary=str(old)[:300], before=old.snapshot())
                old.delete()
            stored = StoredRecap.objects.create(
                pemda=unit.pemda,
                unit=unit,
                period=placement.period,
                year=placement.year,
                period_kind=placement.kind,
                period_label=(recap.periode.label or placement.label)[:80],
                service=recap.layanan[:200],
                converted=converted,
                nrr=nrr,
                ikm=_ikm(result),
                category=recap.kategori[:40],
                n=recap.n,
                metode=recap.metode.normalised.value if recap.metode.normalised else "",
                metode_original=recap.metode.original[:120],
                verdict=result.verdict.value,
                problems=problems,
                notes=[{"code": n.code, "message": n.message} for n in result.notes],
                explanation="\n".join(p["explanation"] for p in problems if p["explanation"]),
                source=source,
                priority=list(extra.priority),
                priority_original=extra.priority_original[:300],
                realisation=extra.realisation,
                entered_by=user if getattr(user, "is_authenticated", False) else None,
            )
            audit.record("recap.save", stored, user=user, summary=str(stored)[:300], after=stored.snapshot())
            saved.append(stored)
    return saved


def _ikm(result: RowResult) -> Decimal | None:
    """The published IKM when it lies on the 25–100 scale (else the values give it: stored.py)."""
    ikm = result.recap.ikm
    if ikm is None or not result.ikm_in_scale:
        return None
    return round_half_up(ikm.value, 4)


def unsur_headers(pemda: Pemda) -> list[tuple[str, str, str]]:
    """(column, element, name) of each unsur of the Pemda's instrument, for forms and templates.
    The recap check reads at most the columns U1…U9 (:data:`UNSUR_COLUMNS`)."""
    names = element_names(pemda)
    return [
        (element_column(i), e, names[e])
        for i, e in enumerate(instrument_elements(pemda))
        if i < len(UNSUR_COLUMNS)
    ]
