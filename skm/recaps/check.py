"""Checking a submitted recap: does each published figure follow from the others (SPEC §8)?

Pure functions over the rows of :mod:`skm.recaps.reader`; every formula comes from
:mod:`skm.scoring`. Each row on its own (:mod:`skm.recaps.row_check`: its IKM from U1…U9 with
0.111 and with 1/9, category, scale, sample, Metode SKM), then across rows, here: likely copies,
periods written twice, annual rows against their sub-period rows (:mod:`skm.recaps.annual_check`)
and the weight the recap follows. The aggregates come after (:mod:`skm.recaps.aggregates`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from skm.recaps.annual_check import (
    annual_problems,
    check_annual,
    judge_annual_on_rounding,
    rejudge_derived_annual,
)
from skm.recaps.ikm_check import WEIGHTS
from skm.recaps.periods import SUBPERIOD_COUNT, PeriodKind
from skm.recaps.reader import RecapTable
from skm.recaps.results import RowResult
from skm.recaps.row_check import check_row
from skm.recaps.rows import describe_rows, parse_row
from skm.recaps.verdicts import Verdict, problem
from skm.scoring import DEFAULT_WEIGHT, Weight


def _annual_and_own_subperiod(a: RowResult, b: RowResult) -> bool:
    """An annual row and a semester/quarter row of the same unit: with one sub-period the annual
    row legitimately repeats it, and the annual check judges the pair anyway."""
    if a.recap.group_key != b.recap.group_key:
        return False
    kinds = {a.recap.periode.kind, b.recap.periode.kind}
    return PeriodKind.ANNUAL in kinds and bool(kinds & set(SUBPERIOD_COUNT))


def find_copies(results: Sequence[RowResult]) -> dict[int, list[RowResult]]:
    """Rows whose nine unsur values equal another row's on the same scale (SPEC §8: two units, or
    two periods of one unit): row number → the other rows. "3,4" equals "3,40"."""
    by_values: dict[tuple[object, ...], list[RowResult]] = defaultdict(list)
    for result in results:
        if result.valid_unsur:
            by_values[(result.scale, *result.unsur_values)].append(result)
    copies: dict[int, list[RowResult]] = {}
    for group in by_values.values():
        for result in group:
            others = [
                other
                for other in group
                if other is not result and not _annual_and_own_subperiod(result, other)
            ]
            if others:
                copies[result.recap.row] = others
    return copies


def find_duplicate_periods(results: Sequence[RowResult]) -> dict[int, list[RowResult]]:
    """Rows of one unit (and service) with the same annual, semester or quarter period."""
    by_period: dict[tuple[object, ...], list[RowResult]] = defaultdict(list)
    for result in results:
        period = result.recap.periode
        if period.kind is not PeriodKind.CUSTOM:
            by_period[(*result.recap.group_key, period.kind, period.ordinal)].append(result)
    return {result.recap.row: group for group in by_period.values() if len(group) > 1 for result in group}


def choose_weight(results: Sequence[RowResult]) -> tuple[Weight, str]:
    """The weight the recap itself follows: the one more rows fit (ties and none: 0.111)."""
    count = {w: sum(1 for r in results if r.verdict.value == w.value) for w in WEIGHTS}
    fits = _("{w0111} baris cocok dengan 0,111, {w19} dengan 1/9").format(
        w0111=count[Weight.W0111], w19=count[Weight.NINTH]
    )
    if count[Weight.NINTH] > count[Weight.W0111]:
        return Weight.NINTH, _("otomatis: {fits}").format(fits=fits)
    if count[Weight.W0111] > count[Weight.NINTH]:
        return Weight.W0111, _("otomatis: {fits}").format(fits=fits)
    return DEFAULT_WEIGHT, _("otomatis: {fits}; dipakai bobot bawaan 0,111").format(fits=fits)


@dataclass(frozen=True)
class CheckedRows:
    """The rows of a recap, checked one by one and across rows, and the weight of the recap."""

    rows: list[RowResult]
    weight: Weight
    weight_reason: str


def _check_annual_rows(results: list[RowResult], weight: Weight) -> None:
    """Each annual row against the sub-period rows of its unit and service."""
    by_row = {r.recap.row: r for r in results}
    groups: dict[tuple[str, str], list[RowResult]] = defaultdict(list)
    for result in results:
        groups[result.recap.group_key].append(result)
    for members in groups.values():
        subperiods = [m for m in members if m.recap.periode.is_subperiod]
        for annual in members:
            if annual.recap.periode.kind is not PeriodKind.ANNUAL:
                continue
            if annual.verdict is Verdict.NO_DATA or not subperiods:
                continue
            check = check_annual(annual, subperiods, weight)
            if check is None:
                continue
            judge_annual_on_rounding(annual)
            annual.annual = check
            annual.notes.extend(check.notes)
            chosen = [by_row[r] for r in check.subperiod_rows]
            if check.ikm_ok:
                rejudge_derived_annual(annual, chosen)
            annual.problems.extend(annual_problems(annual, check, chosen, weight))


def check_rows(table: RecapTable, weight: Weight | None = None) -> CheckedRows:
    """Check every row of a recap on its own and against the others (SPEC §8).

    ``weight`` is the Pemda's weight, used where a missing sub-period IKM must be recomputed; by
    default the weight most rows follow (:func:`choose_weight`).
    """
    results = [check_row(parse_row(raw)) for raw in table.rows]
    by_row = {r.recap.row: r for r in results}
    chosen_weight = weight
    if weight is None:
        weight, reason = choose_weight(results)
    else:
        reason = _("ditetapkan")

    for row, others in find_copies(results).items():
        result = by_row[row]
        result.copy_of = [o.recap.row for o in others]
        result.problems.append(problem("copy", others=describe_rows([o.recap for o in others])))
    for row, group in find_duplicate_periods(results).items():
        result = by_row[row]
        result.problems.append(
            problem(
                "period_duplicate",
                unit=result.recap.upp or _("Baris {row}").format(row=row),
                period=result.recap.periode.display,
                rows=", ".join(str(r.recap.row) for r in group),
            )
        )

    _check_annual_rows(results, weight)
    if chosen_weight is None:
        # Annual rows judged against their sub-periods may now fit a weight: count again.
        weight, reason = choose_weight(results)
    return CheckedRows(results, weight, reason)
