"""The aggregate of a checked recap by the three methods of SPEC §4 (§8: no data never counts).

A unit is counted once: its annual row, or — when it has only semester or quarter rows — the
unweighted mean of those (the year from its sub-periods); a unit with several services (``layanan``)
is the mean of its services. Every formula is :func:`skm.scoring.aggregate`.

Pooled needs the answer tallies, which a recap does not carry; it is approximated by the
respondent-weighted mean of the per-unsur NRRs — what pooling gives when no answer was left blank —
and the output says so (:data:`POOLED_APPROXIMATION`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from skm.recaps.periods import PeriodKind
from skm.recaps.reader import UNSUR_COLUMNS
from skm.recaps.results import RowResult
from skm.recaps.verdicts import Verdict
from skm.scoring import (
    Aggregate,
    Band,
    Level,
    Method,
    Part,
    Weight,
    aggregate,
    band_for,
    ikm_from_nrr,
)


@dataclass(frozen=True)
class LeftOut:
    row: int
    upp: str
    periode: str
    code: str
    reason: str


@dataclass(frozen=True)
class AggregateResult:
    """One aggregate over the recap's units, naming its method, level and weight (SPEC §4)."""

    method: Method
    weight: Weight
    ikm: Fraction | None
    band: Band | None
    n: int
    units: int
    nrr: dict[str, Fraction]
    left_out: tuple[LeftOut, ...]
    ikm_only_rows: tuple[int, ...]
    description: str
    computable: bool = True
    approximation: str | None = None
    notes: tuple[str, ...] = ()


POOLED_APPROXIMATION = gettext_lazy(
    "Rekap tidak memuat tabulasi jawaban, jadi gabungan (pooled) didekati dengan rata-rata NRR "
    "per unsur tertimbang jumlah responden, lalu IKM = Σ NRR × {weight} × 25. Hasilnya sama "
    "dengan menggabungkan seluruh jawaban bila tidak ada jawaban yang kosong."
)

METHOD_LABELS: dict[Method, Promise] = {
    Method.MEAN_OF_UNITS: gettext_lazy("Rata-rata IKM (tidak tertimbang)"),
    Method.POOLED: gettext_lazy("Gabungan seluruh jawaban"),
    Method.RESPONDENT_WEIGHTED: gettext_lazy("Rata-rata tertimbang jumlah responden"),
}
"""The name of each method of SPEC §4, in the active language (skm.scoring's, translated)."""


def _left(result: RowResult, code: str, reason: str) -> LeftOut:
    recap = result.recap
    return LeftOut(recap.row, recap.upp, recap.periode.label, code, reason)


@dataclass
class _Selection:
    """What represents each unit in the aggregates, and what was left out on the way."""

    unit_parts: list[Part] = field(default_factory=list)
    finest: list[tuple[RowResult, Part]] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    ikm_only: list[int] = field(default_factory=list)
    recomputed: list[int] = field(default_factory=list)


def _usable_part(result: RowResult, weight: Weight, selection: _Selection) -> Part | None:
    if result.recap.n is None or result.recap.n <= 0:
        selection.left_out.append(_left(result, "respondents_missing", _("jumlah responden kosong")))
        return None
    part = result.as_part(weight)
    if part is None:
        unusable = _("IKM kosong atau di luar skala dan tidak dapat dihitung dari nilai unsur")
        selection.left_out.append(_left(result, "ikm_unusable", unusable))
        return None
    if not result.ikm_in_scale:
        selection.recomputed.append(result.recap.row)
    if not result.valid_unsur:
        selection.ikm_only.append(result.recap.row)
    return part


def _combined(label: str, parts: Sequence[Part], level: Level, weight: Weight) -> Part:
    """Parts of one unit (sub-periods, services) combined by the unweighted mean; per-unsur values
    only when every part has all nine."""
    if len(parts) == 1:
        only = parts[0]
        return Part(label, only.nrr, only.ikm, only.n)
    combined = aggregate(parts, Method.MEAN_OF_UNITS, level, weight)
    full = all(len(p.nrr) == len(UNSUR_COLUMNS) for p in parts)
    return Part(label, combined.nrr if full else {}, combined.ikm, combined.n)


def _year_of(rows: Sequence[RowResult], label: str, weight: Weight, selection: _Selection) -> Part | None:
    """The year figure of one unit (or one service of it): its first usable annual row — the other
    rows are then represented by it — or else the mean of its other rows (semesters, quarters,
    custom periods), n their sum."""
    annual_rows = [r for r in rows if r.recap.periode.kind is PeriodKind.ANNUAL]
    for position, candidate in enumerate(annual_rows):
        part = _usable_part(candidate, weight, selection)
        if part is None:
            continue
        duplicate = _("baris tahunan ganda; dipakai baris {row}").format(row=candidate.recap.row)
        for later in annual_rows[position + 1 :]:
            selection.left_out.append(_left(later, "annual_duplicate", duplicate))
        represented = _("diwakili baris tahunan {row}").format(row=candidate.recap.row)
        for other in rows:
            if other.recap.periode.kind is not PeriodKind.ANNUAL:
                selection.left_out.append(_left(other, "represented_by_annual", represented))
        selection.finest.append((candidate, part))
        return part
    period_parts = []
    for other in rows:
        if other.recap.periode.kind is PeriodKind.ANNUAL:
            continue
        part = _usable_part(other, weight, selection)
        if part is not None:
            period_parts.append(part)
            selection.finest.append((other, part))
    if not period_parts:
        return None
    return _combined(label, period_parts, Level.YEAR_FROM_SUBPERIODS, weight)


def _select(results: Sequence[RowResult], weight: Weight) -> _Selection:
    """One part per unit: its year figure (:func:`_year_of`); a unit with several services is the
    unweighted mean of its services (SPEC §4)."""
    selection = _Selection()
    units: dict[str, dict[str, list[RowResult]]] = defaultdict(lambda: defaultdict(list))
    for result in results:
        if result.verdict is Verdict.NO_DATA:
            selection.left_out.append(_left(result, "no_data", _("tanpa responden (no data)")))
            continue
        unit, service = result.recap.group_key
        units[unit][service].append(result)
    for services in units.values():
        first = next(iter(services.values()))[0].recap
        label = first.upp or _("baris {row}").format(row=first.row)
        service_parts = [
            part
            for rows in services.values()
            if (part := _year_of(rows, label, weight, selection)) is not None
        ]
        if service_parts:
            selection.unit_parts.append(_combined(label, service_parts, Level.SERVICES_OF_UNIT, weight))
    return selection


def recap_aggregates(results: Sequence[RowResult], weight: Weight) -> list[AggregateResult]:
    """The recap's units aggregated by the three methods of SPEC §4, each over units (a unit
    counted once: its annual row, or the mean of its sub-periods).

    - mean_of_units and respondent_weighted use each unit's published IKM; a unit without unsur
      values (unverifiable) enters with its IKM only and is named in ``ikm_only_rows``;
    - pooled cannot be computed from recaps without answer tallies: it is approximated by the
      respondent-weighted mean of the per-unsur NRRs of the rows that represent the units, and
      IKM = Σ NRR × w × 25 (:data:`POOLED_APPROXIMATION`); rows without unsur values are left out.
    """
    selection = _select(results, weight)
    inconsistent = [r.recap.row for r in results if r.verdict is Verdict.INCONSISTENT]
    other_weight = [
        r.recap.row
        for r in results
        if r.verdict in (Verdict.W0111, Verdict.NINTH) and r.verdict.value != weight.value
    ]
    shared_notes: list[str] = []
    if inconsistent:
        used = ngettext(
            "IKM yang dipakai adalah IKM yang dicantumkan, termasuk baris yang tidak sesuai dengan "
            "nilai unsurnya (baris {rows}).",
            "IKM yang dipakai adalah IKM yang dicantumkan, termasuk baris yang tidak sesuai dengan "
            "nilai unsurnya (baris {rows}).",
            len(inconsistent),
        )
        shared_notes.append(used.format(rows=_listed(inconsistent)))
    if other_weight:
        other = ngettext(
            "Baris {rows} dihitung dengan bobot lain dari {weight}.",
            "Baris {rows} dihitung dengan bobot lain dari {weight}.",
            len(other_weight),
        )
        shared_notes.append(other.format(rows=_listed(other_weight), weight=weight.label))
    if selection.recomputed:
        recomputed = ngettext(
            "IKM baris {rows} kosong atau di luar skala: dihitung dari nilai unsur dengan bobot {weight}.",
            "IKM baris {rows} kosong atau di luar skala: dihitung dari nilai unsur dengan bobot {weight}.",
            len(selection.recomputed),
        )
        shared_notes.append(recomputed.format(rows=_listed(selection.recomputed), weight=weight.label))
    ikm_only = tuple(sorted(set(selection.ikm_only)))
    mean_notes = list(shared_notes)
    if ikm_only:
        only = ngettext(
            "Baris {rows} tanpa nilai unsur: hanya IKM-nya yang ikut dihitung, tidak masuk rata-rata "
            "per unsur.",
            "Baris {rows} tanpa nilai unsur: hanya IKM-nya yang ikut dihitung, tidak masuk rata-rata "
            "per unsur.",
            len(ikm_only),
        )
        mean_notes.append(only.format(rows=_listed(ikm_only)))
    left_out = tuple(sorted(selection.left_out, key=lambda x: x.row))
    results_out = []
    for method in (Method.MEAN_OF_UNITS, Method.RESPONDENT_WEIGHTED):
        combined = aggregate(selection.unit_parts, method, Level.PEMDA, weight)
        results_out.append(_from_aggregate(combined, left_out, ikm_only, tuple(mean_notes)))
    results_out.insert(1, _pooled(selection, weight, left_out, tuple(shared_notes)))
    return results_out


def _listed(rows: Sequence[int]) -> str:
    return ", ".join(str(r) for r in rows)


def _units(count: int) -> str:
    return ngettext("{n} unit", "{n} unit", count).format(n=count)


def _describe(combined: Aggregate) -> str:
    """The footnote of a mean over the Pemda's units (as skm.scoring describes it, translated);
    every unit part has respondents, so none is skipped."""
    if not combined.parts:
        return _("Pemerintah Daerah: tidak ada data.")
    if combined.method is Method.MEAN_OF_UNITS:
        return _("Pemerintah Daerah: rata-rata IKM {units} (tidak tertimbang).").format(
            units=_units(combined.parts)
        )
    return _("Pemerintah Daerah: rata-rata IKM {units}, tertimbang jumlah responden.").format(
        units=_units(combined.parts)
    )


def _from_aggregate(
    combined: Aggregate,
    left_out: tuple[LeftOut, ...],
    ikm_only: tuple[int, ...],
    notes: tuple[str, ...],
) -> AggregateResult:
    return AggregateResult(
        method=combined.method,
        weight=combined.weight,
        ikm=combined.ikm,
        band=combined.band,
        n=combined.n,
        units=combined.parts,
        nrr=dict(combined.nrr),
        left_out=left_out,
        ikm_only_rows=ikm_only,
        description=_describe(combined),
        computable=combined.ikm is not None,
        notes=notes,
    )


def _pooled(
    selection: _Selection, weight: Weight, left_out: tuple[LeftOut, ...], notes: tuple[str, ...]
) -> AggregateResult:
    full = [(r, p) for r, p in selection.finest if len(p.nrr) == len(UNSUR_COLUMNS)]
    no_unsur = _("tanpa nilai unsur: jawaban tidak dapat digabung")
    extra = [
        _left(r, "no_unsur_for_pooled", no_unsur)
        for r, p in selection.finest
        if len(p.nrr) != len(UNSUR_COLUMNS)
    ]
    all_left = tuple(sorted((*left_out, *extra), key=lambda x: x.row))
    approximation = str(POOLED_APPROXIMATION).format(weight=weight.label)
    if not full:
        return AggregateResult(
            Method.POOLED,
            weight,
            None,
            None,
            0,
            0,
            {},
            all_left,
            (),
            _("tidak ada data"),
            computable=False,
            approximation=approximation,
            notes=notes,
        )
    weighted = aggregate([part for _row, part in full], Method.RESPONDENT_WEIGHTED, Level.PEMDA, weight)
    ikm = ikm_from_nrr([weighted.nrr[c] for c in UNSUR_COLUMNS], weight)
    units = len({row.recap.unit_key for row, _part in full})
    description = _(
        "Pemerintah Daerah: rata-rata NRR per unsur dari {rows} ({units}), tertimbang jumlah "
        "responden ({n}), sebagai pendekatan gabungan seluruh jawaban."
    ).format(
        rows=ngettext("{n} baris", "{n} baris", len(full)).format(n=len(full)),
        units=_units(units),
        n=weighted.n,
    )
    return AggregateResult(
        method=Method.POOLED,
        weight=weight,
        ikm=ikm,
        band=band_for(ikm, weight=weight),
        n=weighted.n,
        units=units,
        nrr=dict(weighted.nrr),
        left_out=all_left,
        ikm_only_rows=(),
        description=description,
        computable=True,
        approximation=approximation,
        notes=notes,
    )
