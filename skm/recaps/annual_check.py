"""An annual row against the semester or quarter rows of its unit (SPEC §4, §8): each unsur the
mean of the sub-period values, the IKM the mean of the sub-period IKMs, n their sum."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from django.utils.translation import gettext as _

from skm.recaps.ikm_check import WEIGHTS, Reading, judge, weight_check
from skm.recaps.periods import SUBPERIOD_COUNT, Period, PeriodKind
from skm.recaps.reader import UNSUR_COLUMNS
from skm.recaps.results import AnnualCheck, RowResult, UnsurComparison
from skm.recaps.rows import describe_rows
from skm.recaps.verdicts import Note, Problem, Verdict, problem
from skm.scoring import DEFAULT_WEIGHT, Level, Method, Weight, aggregate, format_id


def _skipped(reason: str) -> Note:
    return Note("annual_skipped", _("Sebagian pemeriksaan tahunan dilewati: {reason}.").format(reason=reason))


def check_annual(
    annual: RowResult, subperiods: Sequence[RowResult], weight: Weight = DEFAULT_WEIGHT
) -> AnnualCheck | None:
    """Check an annual row against the semester or quarter rows of its unit (SPEC §4, §8).

    Each unsur must be the unweighted mean of the sub-period values, the IKM the mean of the
    sub-period IKMs (``aggregate`` with MEAN_OF_UNITS over YEAR_FROM_SUBPERIODS, as seed 003 does:
    RSUD Ratu Zalecha 87,61 and 89,66 → 88,64), n their sum. Each mean is judged within the
    rounding of the figures: the annual value's half unit plus the mean of the sub-periods' half
    units (all on the annual row's scale). Semesters are used when there are any, else quarters.
    """
    usable = [s for s in subperiods if s.verdict is not Verdict.NO_DATA]
    if not usable:
        return None
    kind = (
        PeriodKind.SEMESTER
        if any(s.recap.periode.kind is PeriodKind.SEMESTER for s in usable)
        else PeriodKind.QUARTER
    )
    notes: list[Note] = []
    chosen = sorted(
        (s for s in usable if s.recap.periode.kind is kind),
        key=lambda s: (s.recap.periode.ordinal or 0, s.recap.row),
    )
    if len(chosen) < len(usable):
        other = PeriodKind.QUARTER if kind is PeriodKind.SEMESTER else PeriodKind.SEMESTER
        unused = _("Baris {kind} unit ini tidak dipakai untuk pemeriksaan tahunan.")
        notes.append(Note("annual_other_kind", unused.format(kind=other.label)))
    rows = tuple(s.recap.row for s in chosen)
    periods = tuple(s.recap.periode.display for s in chosen)
    ordinals = [s.recap.periode.ordinal for s in chosen]
    if len(set(ordinals)) < len(ordinals):
        notes.append(_skipped(_("periode ganda")))
        return AnnualCheck(kind, rows, periods, None, None, None, None, None, None, tuple(notes))
    wanted = range(1, SUBPERIOD_COUNT[kind] + 1)
    absent = [Period("", kind, k).display for k in wanted if k not in ordinals]
    if absent:
        partial = _("Pemeriksaan tahunan hanya memakai {used}; {missing} tidak ada di rekap.")
        notes.append(
            Note("annual_partial", partial.format(used=", ".join(periods), missing=", ".join(absent)))
        )

    n_expected: int | None = None
    n_ok: bool | None = None
    if annual.recap.n is not None and all(s.recap.n is not None for s in chosen):
        n_expected = sum(s.recap.n or 0 for s in chosen)
        n_ok = annual.recap.n == n_expected
    elif annual.recap.n is not None:
        notes.append(_skipped(_("jumlah responden kosong")))

    # n only counts a part in the unweighted mean, so an unknown n stands in as 1 here.
    parts = [s.as_part(weight, n_unknown_as_one=True) for s in chosen]
    if any(p is None for p in parts):
        notes.append(_skipped(_("IKM dan nilai unsur kosong")))
        return AnnualCheck(kind, rows, periods, None, None, None, None, n_expected, n_ok, tuple(notes))
    year_parts = [p for p in parts if p is not None]
    year = aggregate(year_parts, Method.MEAN_OF_UNITS, Level.YEAR_FROM_SUBPERIODS, weight)

    unsur: tuple[UnsurComparison, ...] | None = None
    if annual.valid_unsur and annual.scale is not None and all(s.valid_unsur for s in chosen):
        factor = annual.scale.factor
        comparisons = []
        for index, column in enumerate(UNSUR_COLUMNS):
            published = annual.figures[index]
            expected = year.nrr[column] * 25 / factor
            spread = [s.figures[index].half_unit * (s.scale or annual.scale).factor / factor for s in chosen]
            tolerance = published.half_unit + sum(spread, Fraction(0)) / len(spread)
            ok = abs(published.value - expected) <= tolerance
            comparisons.append(UnsurComparison(column, published, expected, tolerance, ok))
        unsur = tuple(comparisons)
    elif annual.valid_unsur:
        notes.append(_skipped(_("nilai unsur sub-periode tidak lengkap")))

    ikm_expected = ikm_tolerance = None
    ikm_ok = None
    annual_ikm = annual.recap.ikm
    if annual.ikm_in_scale and annual_ikm is not None:
        if all(s.ikm_in_scale for s in chosen):
            ikm_expected = year.ikm
            halves = [s.recap.ikm.half_unit for s in chosen if s.recap.ikm is not None]
            ikm_tolerance = annual_ikm.half_unit + sum(halves, Fraction(0)) / len(halves)
            assert ikm_expected is not None
            ikm_ok = abs(annual_ikm.value - ikm_expected) <= ikm_tolerance
        else:
            notes.append(_skipped(_("IKM sub-periode kosong")))
    return AnnualCheck(
        kind,
        rows,
        periods,
        unsur,
        ikm_expected,
        ikm_tolerance,
        ikm_ok,
        n_expected,
        n_ok,
        tuple(notes),
    )


def annual_problems(
    annual: RowResult, check: AnnualCheck, chosen: Sequence[RowResult], weight: Weight
) -> list[Problem]:
    """The problems an annual check found: unsur, IKM or n that are not the sub-periods' mean."""
    kind = check.kind.label
    problems: list[Problem] = []
    if check.unsur is not None and not all(c.ok for c in check.unsur):
        details = ", ".join(
            _("{unsur} {value} (seharusnya {expected})").format(
                unsur=c.column.upper(),
                value=c.published.display,
                expected=format_id(c.expected, max(2, c.published.decimals)),
            )
            for c in check.unsur
            if not c.ok
        )
        problems.append(problem("annual_unsur", kind=kind, details=details))
    if check.ikm_ok is False and check.ikm_expected is not None and annual.recap.ikm is not None:
        hint = ""
        if all(s.recap.n for s in chosen):
            parts = [s.as_part(weight) for s in chosen]
            weighted = aggregate(
                [p for p in parts if p is not None],
                Method.RESPONDENT_WEIGHTED,
                Level.YEAR_FROM_SUBPERIODS,
                weight,
            ).ikm
            tolerance = check.ikm_tolerance or Fraction(0)
            if weighted is not None and abs(annual.recap.ikm.value - weighted) <= tolerance:
                hint = " " + _(
                    "Cocok dengan rata-rata tertimbang jumlah responden ({weighted}), padahal tahunan "
                    "dihitung sebagai rata-rata biasa."
                ).format(weighted=format_id(weighted, 2))
        problems.append(
            problem(
                "annual_ikm",
                ikm=annual.recap.ikm.display,
                kind=kind,
                terms=" + ".join(s.recap.ikm.display for s in chosen if s.recap.ikm),
                count=len(chosen),
                mean=format_id(check.ikm_expected, 2),
                hint=hint,
            )
        )
    if check.n_ok is False and annual.recap.n is not None and check.n_expected is not None:
        problems.append(
            problem(
                "annual_n",
                n=format_id(annual.recap.n, 0),
                kind=kind,
                terms=" + ".join(format_id(s.recap.n or 0, 0) for s in chosen),
                total=format_id(check.n_expected, 0),
            )
        )
    return problems


def rejudge_derived_annual(annual: RowResult, chosen: Sequence[RowResult]) -> None:
    """Judge again an annual row whose IKM is the mean of its sub-period IKMs (annual check ok).

    Such an IKM was not computed from the annual unsur values but averaged from sub-period IKMs
    that were each rounded to half a unit of their last decimal; the mean of those half units is
    added to the row's accepted range (seed 003, RSUD Ratu Zalecha: 88,64 is the mean of 87,61
    and 89,66, while its annual unsur values give 88,629 with 1/9). When the row still does not fit,
    the message names the sub-period rows that do not fit either: the error is theirs.
    """
    ikm = annual.recap.ikm
    if ikm is None or not annual.checks:
        return
    subperiod_ikms = [s.recap.ikm for s in chosen]
    if any(f is None for f in subperiod_ikms):
        return
    inherited = sum((f.half_unit for f in subperiod_ikms if f), Fraction(0)) / len(chosen)
    for weight in WEIGHTS:
        annual.checks[weight] = annual.checks[weight].widened(inherited, ikm)
    annual.problems = [p for p in annual.problems if p.code != "ikm_mismatch"]
    annual.notes = [n for n in annual.notes if n.code != "ambiguous"]
    inherited_from = [s.recap for s in chosen if s.verdict is Verdict.INCONSISTENT]
    hint = ""
    if inherited_from:
        hint = " " + _(
            "IKM tahunan memang rata-rata IKM sub-periode; selisihnya berasal dari {rows}, yang juga "
            "tidak sesuai."
        ).format(rows=describe_rows(inherited_from))
    annual.verdict = judge(annual.recap, annual.checks, True, annual.problems, annual.notes, hint=hint)


READING_NOTES = {"ambiguous", "exact_reading", "counted_reading"}


def judge_annual_on_rounding(annual: RowResult) -> None:
    """Judge again, on the rounding of its values alone, an annual row whose sub-period rows are in
    the recap: its values may be their means (seed 003 computes a year so), which are not k/n of
    the annual n, so the exact and counted readings of :func:`skm.recaps.ikm_check.ikm_checks` do
    not hold for it."""
    if annual.scale is None or not annual.checks or annual.recap.ikm is None:
        return
    if all(c.reading is Reading.ROUNDED for c in annual.checks.values()):
        return
    annual.checks = {w: weight_check(annual.figures, annual.scale, annual.recap.ikm, w) for w in WEIGHTS}
    annual.problems = [p for p in annual.problems if p.code != "ikm_mismatch"]
    annual.notes = [n for n in annual.notes if n.code not in READING_NOTES]
    annual.verdict = judge(annual.recap, annual.checks, True, annual.problems, annual.notes)
