"""Checking a submitted recap: does each published figure follow from the others (SPEC §8)?

Pure functions over the rows of :mod:`skm.recaps.reader`; every formula comes from
:mod:`skm.scoring`. The checks, per row:

- the IKM recomputed from U1…U9 with 0.111 and with 1/9, judged within the rounding of the
  published figures (:func:`weight_check`), giving a verdict (:class:`Verdict`);
- the published category against the band of the published IKM;
- values outside the scale; rows with the same nine values (likely copies);
- an annual row against its semester or quarter rows (mean per unsur and for the IKM, n the sum);
- the sample against Krejcie & Morgan where a population is given;
- the Metode SKM normalised to online / manual / hybrid.

Then the aggregate of all units by the three methods of SPEC §4 (:func:`recap_aggregates`).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from skm.recaps.messages import (
    hint_text,
    note_text,
    problem_text,
)
from skm.recaps.methods import NormalisedMethod, normalise_method
from skm.recaps.periods import SUBPERIOD_COUNT, Period, PeriodKind, parse_period
from skm.recaps.reader import UNSUR_COLUMNS, RawRow, RecapTable
from skm.scoring import (
    DEFAULT_WEIGHT,
    Band,
    Level,
    Method,
    Part,
    Weight,
    aggregate,
    band_for,
    decimals_of,
    format_id,
    ikm_from_converted,
    ikm_from_nrr,
    krejcie_morgan,
    sample_adequacy,
    to_fraction,
)
from skm.scoring.bands import BANDS_BY_MUTU

WEIGHTS: tuple[Weight, ...] = (Weight.W0111, Weight.NINTH)
NRR_RANGE = (Fraction(1), Fraction(4))
CONVERTED_RANGE = (Fraction(25), Fraction(100))


class Verdict(StrEnum):
    """What a row's IKM follows from (SPEC §8). ``ambiguous``: both weights fit, because the
    published figures are too coarse to tell them apart (they differ by about 0.09 points)."""

    W0111 = "0.111"
    NINTH = "1/9"
    AMBIGUOUS = "ambiguous"
    INCONSISTENT = "inconsistent"
    UNVERIFIABLE = "unverifiable"
    NO_DATA = "no data"


class Scale(StrEnum):
    """The scale of a row's unsur values, detected per row."""

    NRR = "nrr"
    CONVERTED = "converted"

    @property
    def bounds(self) -> tuple[Fraction, Fraction]:
        return NRR_RANGE if self is Scale.NRR else CONVERTED_RANGE

    @property
    def factor(self) -> int:
        """Multiplier to the 25–100 scale: converted = NRR × 25 (SPEC §4)."""
        return 25 if self is Scale.NRR else 1

    @property
    def label(self) -> str:
        return "NRR 1–4" if self is Scale.NRR else "konversi 25–100"


@dataclass(frozen=True)
class Figure:
    """A published number: its value and how many decimals were written ("88,2" → 1)."""

    text: str
    value: Fraction
    decimals: int
    half: Fraction | None = None

    @property
    def half_unit(self) -> Fraction:
        """How far the true value may lie from the written one: half a unit of the last written
        decimal (half-up rounding), unless ``half`` says otherwise — for a figure read on another
        scale ("3,76" read as 94,00: ±0,125) or derived from a coarser one (81,75 = 3,27 × 25)."""
        if self.half is not None:
            return self.half
        return Fraction(1, 2 * 10**self.decimals)

    def on_scale(self, factor: Fraction) -> Figure:
        """The same figure read on another scale: value and rounding both multiplied."""
        return Figure(self.text, self.value * factor, self.decimals, self.half_unit * factor)

    @property
    def display(self) -> str:
        """Indonesian display at the written precision: "88.2" → "88,2"."""
        return format_id(self.value, self.decimals)


@dataclass(frozen=True)
class Problem:
    """Something wrong with a row; ``code`` is stable (JSON interface), ``message`` Indonesian."""

    code: str
    message: str


@dataclass(frozen=True)
class Note:
    """Something to know about a row that is not an error (no data, ambiguous weight…)."""

    code: str
    message: str


@dataclass(frozen=True)
class RecapRow:
    """One parsed recap row. Unreadable cells became ``None`` plus a problem in ``problems``."""

    row: int
    upp: str
    periode: Period
    layanan: str
    unsur: tuple[Figure | None, ...]
    ikm: Figure | None
    kategori: str
    n: int | None
    populasi: int | None
    metode: NormalisedMethod
    problems: tuple[Problem, ...] = ()

    @property
    def unit_key(self) -> str:
        """The unit name normalised for matching: case, punctuation and spacing ignored."""
        return normalise_name(self.upp) or f"#baris-{self.row}"

    @property
    def group_key(self) -> tuple[str, str]:
        return self.unit_key, normalise_name(self.layanan)

    @property
    def label(self) -> str:
        """How messages name the row: "Kelurahan X, Tahunan"."""
        parts = [self.upp or f"baris {self.row}"]
        if self.layanan:
            parts.append(self.layanan)
        if self.periode.label:
            parts.append(self.periode.label)
        return ", ".join(parts)


@dataclass(frozen=True)
class WeightCheck:
    """The IKM recomputed with one weight and whether the published IKM fits it.

    ``low`` and ``high`` bound the published IKMs that fit: the IKM recomputed from the unsur
    values at either end of their rounding (each published value stands for anything within half
    a unit of its last written decimal, kept inside the scale), widened by half a unit of the
    IKM's own last decimal (its half-up rounding). ``matches`` is ``low ≤ published ≤ high``, or
    None when no IKM was published.
    """

    weight: Weight
    ikm: Fraction
    low: Fraction
    high: Fraction
    matches: bool | None

    @property
    def tolerance(self) -> Fraction:
        """The largest distance from ``ikm`` that still fits."""
        return max(self.ikm - self.low, self.high - self.ikm)

    def widened(self, by: Fraction, published: Figure | None) -> WeightCheck:
        low, high = self.low - by, self.high + by
        matches = None if published is None else low <= published.value <= high
        return WeightCheck(self.weight, self.ikm, low, high, matches)


@dataclass(frozen=True)
class CategoryCheck:
    published: str
    mutu: str | None
    kinerja: str | None
    expected: Band | None
    ok: bool | None


@dataclass(frozen=True)
class SampleCheck:
    population: int
    n: int | None
    required: int
    adequate: bool | None
    shortfall: int | None


@dataclass(frozen=True)
class UnsurComparison:
    column: str
    published: Figure
    expected: Fraction
    tolerance: Fraction
    ok: bool


@dataclass(frozen=True)
class AnnualCheck:
    """An annual row against the sub-period rows of its unit (SPEC §4, §8): each unsur the mean of
    the sub-period values, the IKM the mean of the sub-period IKMs, n their sum. A part that could
    not be checked is None and says why in ``notes``."""

    kind: PeriodKind
    subperiod_rows: tuple[int, ...]
    periods: tuple[str, ...]
    unsur: tuple[UnsurComparison, ...] | None
    ikm_expected: Fraction | None
    ikm_tolerance: Fraction | None
    ikm_ok: bool | None
    n_expected: int | None
    n_ok: bool | None
    notes: tuple[Note, ...] = ()

    @property
    def ok(self) -> bool | None:
        checks = [c for c in (self.ikm_ok, self.n_ok) if c is not None]
        if self.unsur is not None:
            checks.extend(c.ok for c in self.unsur)
        return all(checks) if checks else None


@dataclass
class RowResult:
    """Everything found about one row."""

    recap: RecapRow
    verdict: Verdict
    scale: Scale | None
    checks: dict[Weight, WeightCheck]
    category: CategoryCheck | None
    sample: SampleCheck | None
    unsur_usable: bool = False
    figures: tuple[Figure, ...] = ()
    copy_of: list[int] = field(default_factory=list)
    annual: AnnualCheck | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def valid_unsur(self) -> bool:
        """Nine readable unsur values, all on the row's scale (and the row has data)."""
        return self.unsur_usable and self.scale is not None

    @property
    def unsur_values(self) -> list[Fraction]:
        return [f.value for f in self.recap.unsur if f is not None]

    @property
    def ikm_in_scale(self) -> bool:
        ikm = self.recap.ikm
        return ikm is not None and CONVERTED_RANGE[0] <= ikm.value <= CONVERTED_RANGE[1]


# --------------------------------------------------------------------------- parsing

_EMPTY = {"", "-", "–", "—", "n/a", "na", "#n/a"}
_GROUPED_INT = re.compile(r"\d{1,3}(?:[.,\s]\d{3})+")


def normalise_name(text: str) -> str:
    """A unit or service name for matching: "UPTD Puskesmas Aluh-Aluh" → "uptd puskesmas aluh
    aluh" (case, punctuation and spacing ignored)."""
    return " ".join(re.findall(r"[0-9a-z]+", text.casefold()))


def parse_figure(text: str) -> Figure | None:
    """A published number, decimal comma or dot; ``None`` for an empty cell ("", "-").

    Raises ValueError for text that is not a number."""
    cleaned = text.strip().replace(" ", "")
    if cleaned.casefold() in _EMPTY:
        return None
    return Figure(cleaned, to_fraction(cleaned), decimals_of(cleaned))


def parse_count(text: str) -> int | None:
    """A whole number such as a respondent count or a population: "1.000", "1,000", "1 000" and
    "1000" are all 1000 (grouped thousands); ``None`` for an empty cell. ValueError otherwise."""
    cleaned = text.strip()
    if cleaned.casefold() in _EMPTY:
        return None
    if _GROUPED_INT.fullmatch(cleaned):
        return int(re.sub(r"\D", "", cleaned))
    value = to_fraction(cleaned.replace(" ", ""))
    if value.denominator != 1 or value < 0:
        raise ValueError(f"not a whole number: {text!r}")
    return int(value)


def parse_row(raw: RawRow) -> RecapRow:
    """Parse one raw row; a cell that is not a number becomes ``None`` and a problem."""
    problems: list[Problem] = []

    def figure(column: str) -> Figure | None:
        text = raw.get(column)
        try:
            return parse_figure(text)
        except ValueError:
            problems.append(
                Problem(
                    "value_unreadable",
                    problem_text("value_unreadable", column=_col(column), value=text),
                )
            )
            return None

    def count(column: str) -> int | None:
        text = raw.get(column)
        try:
            return parse_count(text)
        except ValueError:
            problems.append(
                Problem(
                    "value_unreadable",
                    problem_text("value_unreadable", column=_col(column), value=text),
                )
            )
            return None

    unsur = tuple(figure(column) for column in UNSUR_COLUMNS)
    ikm = figure("ikm")
    n = count("jumlah_responden")
    populasi = count("populasi")
    return RecapRow(
        row=raw.row,
        upp=" ".join(raw.get("upp").split()),
        periode=parse_period(raw.get("periode")),
        layanan=" ".join(raw.get("layanan").split()),
        unsur=unsur,
        ikm=ikm,
        kategori=raw.get("kategori"),
        n=n,
        populasi=populasi,
        metode=normalise_method(raw.get("metode")),
        problems=tuple(problems),
    )


def _col(column: str) -> str:
    return {"jumlah_responden": "jumlah responden", "ikm": "IKM"}.get(column, column.upper())


# --------------------------------------------------------------------------- one row


def detect_scale(values: Sequence[Fraction]) -> Scale:
    """NRR (1–4) or converted (25–100), by the majority of the nine values: a converted row with
    one NRR among them (seed 001, Kecamatan Banjarmasin Timur, U8 "3,76") stays converted and the
    odd value is reported as outside the scale."""
    small = sum(1 for v in values if v <= NRR_RANGE[1])
    return Scale.NRR if small * 2 > len(values) else Scale.CONVERTED


def recompute(values: Sequence[Fraction], scale: Scale, weight: Weight) -> Fraction:
    """The IKM (25–100) from nine unsur values on their scale (SPEC §4, via skm.scoring.ikm)."""
    if scale is Scale.NRR:
        return ikm_from_nrr(values, weight)
    return ikm_from_converted(values, weight)


def _nrr_places(converted: Fraction) -> int | None:
    """Decimals of converted / 25 when it has at most 3 (81,75 → 3,27 → 2), else None."""
    nrr = converted / 25
    for places in range(4):
        if (nrr * 10**places).denominator == 1:
            return places
    return None


def nrr_derived_precision(figures: tuple[Figure, ...]) -> tuple[tuple[Figure, ...], list[Note]]:
    """Converted values that are NRR × 25 carry the rounding of the NRR, not their own.

    Seed 003 prints "81,75 82,00 80,00 …" under "3,27 3,28 3,2 …": exact multiples of 25 × 0,01,
    so each stands for 3,27 ± 0,005, i.e. 81,75 ± 0,125, not ± 0,005. When all nine values divided
    by 25 have at most 3 decimals (by chance with two-decimal values: 1 in 5⁹), the row is read
    with the precision of NRRs written with that many decimals. Returns the figures and a note.
    """
    places = [_nrr_places(f.value) for f in figures]
    if any(p is None for p in places):
        return figures, []
    nrr_places = max(p for p in places if p is not None)
    half = Fraction(25, 2 * 10**nrr_places)
    if all(f.half_unit >= half for f in figures):
        return figures, []
    adjusted = tuple(Figure(f.text, f.value, f.decimals, max(f.half_unit, half)) for f in figures)
    example = figures[0]
    note = Note(
        "nrr_derived",
        note_text(
            "nrr_derived",
            places=nrr_places,
            value=example.display,
            nrr=format_id(example.value / 25, nrr_places),
            half=format_id(half, 4 if nrr_places < 3 else 5).rstrip("0"),
        ),
    )
    return adjusted, [note]


def weight_check(unsur: Sequence[Figure], scale: Scale, ikm: Figure | None, weight: Weight) -> WeightCheck:
    """Recompute the IKM with ``weight`` and judge the published one within its rounding (§8).

    Each published unsur value ``u_i`` written with ``d_i`` decimals stands for any value within
    ``h_i = ½·10^-d_i`` of it (kept inside the scale: "4" is 3,5–4); the IKM formula of
    :mod:`skm.scoring.ikm` applied to the lower and to the upper ends gives the range of IKMs the
    true values could have had (for NRR values ``w × 25 × Σ(u_i ± h_i)``). The published IKM,
    itself rounded half up to ``D`` decimals, fits when it lies within that range widened by
    ``H = ½·10^-D``. A row written with 3 decimals is thus held to a tighter bound than one
    written with 0.
    """
    low_bound, high_bound = scale.bounds
    values = [f.value for f in unsur]
    value = recompute(values, scale, weight)
    low = recompute([max(low_bound, f.value - f.half_unit) for f in unsur], scale, weight)
    high = recompute([min(high_bound, f.value + f.half_unit) for f in unsur], scale, weight)
    if ikm is None:
        return WeightCheck(weight, value, low, high, None)
    check = WeightCheck(weight, value, low, high, None)
    return check.widened(ikm.half_unit, ikm)


_KINERJA = ("sangat baik", "kurang baik", "tidak baik", "baik")


def read_category(text: str) -> tuple[str | None, str | None]:
    """Mutu letter and kinerja of a published category, any case: "B (bAIK)" → ("B", "Baik"),
    "Sangat Baik" → (None, "Sangat Baik"), "(B atau Baik)" → ("B", "Baik")."""
    plain = " ".join(re.findall(r"[a-z]+", text.casefold()))
    kinerja = None
    for phrase in _KINERJA:
        found = re.search(rf"\b{phrase}\b", plain)
        if found:
            kinerja = phrase
            plain = plain[: found.start()] + " " + plain[found.end() :]
            break
    letters = re.findall(r"\b([abcd])\b", plain)
    mutu = letters[0].upper() if len(set(letters)) == 1 else None
    kinerja_label = None
    if kinerja:
        kinerja_label = next(
            band.kinerja for band in BANDS_BY_MUTU.values() if band.kinerja.casefold() == kinerja
        )
    return mutu, kinerja_label


def category_check(kategori: str, ikm: Figure | None) -> tuple[CategoryCheck | None, list[Problem]]:
    """The published category against the band of the published IKM (SPEC §4 "Bands")."""
    if not kategori:
        return None, []
    mutu, kinerja = read_category(kategori)
    expected: Band | None = None
    if ikm is not None and CONVERTED_RANGE[0] <= ikm.value <= CONVERTED_RANGE[1]:
        expected = band_for(ikm.value)
    problems: list[Problem] = []
    if mutu is None and kinerja is None:
        problems.append(
            Problem("category_unreadable", problem_text("category_unreadable", published=kategori))
        )
        return CategoryCheck(kategori, None, None, expected, False), problems
    if mutu is not None and kinerja is not None and BANDS_BY_MUTU[mutu].kinerja != kinerja:
        problems.append(
            Problem(
                "category_conflict",
                problem_text(
                    "category_conflict",
                    published=kategori,
                    mutu=mutu,
                    kinerja_of_mutu=BANDS_BY_MUTU[mutu].kinerja,
                    kinerja=kinerja,
                ),
            )
        )
    if expected is None:
        return CategoryCheck(kategori, mutu, kinerja, None, None), problems
    ok = (mutu is None or mutu == expected.mutu) and (kinerja is None or kinerja == expected.kinerja)
    if not ok and ikm is not None:
        problems.append(
            Problem(
                "category_mismatch",
                problem_text(
                    "category_mismatch",
                    published=kategori,
                    ikm=ikm.display,
                    expected=f"{expected.mutu} – {expected.kinerja}",
                ),
            )
        )
    return CategoryCheck(kategori, mutu, kinerja, expected, ok and not problems), problems


def _out_of_scale(recap: RecapRow, scale: Scale) -> list[Problem]:
    """Unsur values outside the row's scale, with a hint when the value fits the other scale."""
    low, high = scale.bounds
    problems: list[Problem] = []
    unsur = [f for f in recap.unsur if f is not None]
    for column, figure in zip(UNSUR_COLUMNS, recap.unsur, strict=True):
        if figure is None or low <= figure.value <= high:
            continue
        hint = ""
        if scale is Scale.CONVERTED and NRR_RANGE[0] <= figure.value <= NRR_RANGE[1]:
            converted = figure.value * 25
            fixed = [f.on_scale(Fraction(25)) if f is figure else f for f in unsur]
            hint = hint_text(
                "nrr_in_converted",
                value=figure.display,
                converted=format_id(converted, 2),
                fits=_fits(fixed, Scale.CONVERTED, recap.ikm),
            )
        elif scale is Scale.NRR and CONVERTED_RANGE[0] <= figure.value <= CONVERTED_RANGE[1]:
            nrr = figure.value / 25
            fixed = [f.on_scale(Fraction(1, 25)) if f is figure else f for f in unsur]
            hint = hint_text(
                "converted_in_nrr",
                value=figure.display,
                nrr=format_id(nrr, 3),
                fits=_fits(fixed, Scale.NRR, recap.ikm),
            )
        problems.append(
            Problem(
                "unsur_out_of_scale",
                problem_text(
                    "unsur_out_of_scale",
                    unsur=column.upper(),
                    value=figure.display,
                    scale=scale.label,
                    hint=hint,
                ),
            )
        )
    return problems


def _fits(unsur: list[Figure], scale: Scale, ikm: Figure | None) -> str:
    """Which weight the IKM would fit if an odd value were read on the other scale."""
    low, high = scale.bounds
    if ikm is None or len(unsur) != len(UNSUR_COLUMNS):
        return ""
    if not all(low <= f.value <= high for f in unsur):
        return ""
    fitting = [w for w in WEIGHTS if weight_check(unsur, scale, ikm, w).matches]
    if not fitting:
        return ""
    return hint_text("fits_weight", weight=" atau ".join(w.label for w in fitting))


def _mismatch_hint(recap: RecapRow, checks: dict[Weight, WeightCheck]) -> str:
    ikm = recap.ikm
    if ikm is None:
        return ""
    for column, figure in zip(UNSUR_COLUMNS, recap.unsur, strict=True):
        if figure is not None and figure.value == ikm.value:
            return hint_text("equals_unsur", unsur=column.upper())
    for weight, check in checks.items():
        scaled = check.ikm * 10**ikm.decimals
        if Fraction(math.floor(scaled), 10**ikm.decimals) == ikm.value:
            return hint_text(
                "truncated",
                weight=weight.label,
                exact=format_id(check.ikm, ikm.decimals + 2),
                ikm=ikm.display,
            )
    return ""


def _is_zero(figure: Figure | None) -> bool:
    return figure is not None and figure.value == 0


def check_row(recap: RecapRow) -> RowResult:
    """All checks that need only the row itself (SPEC §8)."""
    problems = list(recap.problems)
    notes: list[Note] = []
    present = [f for f in recap.unsur if f is not None]
    has_unsur = bool(present)
    has_ikm = recap.ikm is not None and not _is_zero(recap.ikm)

    if not recap.upp:
        problems.append(Problem("unit_missing", problem_text("unit_missing")))
    if not recap.periode.label:
        problems.append(Problem("period_missing", problem_text("period_missing")))
    if recap.metode.original and recap.metode.normalised is None:
        notes.append(Note("method_unknown", note_text("method_unknown", original=recap.metode.original)))

    no_data = (
        recap.n == 0
        or (_is_zero(recap.ikm) and not has_unsur)
        or (recap.n is None and not has_unsur and not has_ikm)
    )
    if no_data:
        shown = [what for what, there in (("IKM", has_ikm), ("nilai unsur", has_unsur)) if there]
        if recap.n and _is_zero(recap.ikm):
            shown = ["IKM 0"]
        if shown:
            problems.append(
                Problem(
                    "respondents_zero_with_data",
                    problem_text(
                        "respondents_zero_with_data",
                        n=recap.n if recap.n is not None else "kosong",
                        what=" dan ".join(shown),
                    ),
                )
            )
        notes.append(Note("no_data", note_text("no_data")))
        return RowResult(recap, Verdict.NO_DATA, None, {}, None, None, problems=problems, notes=notes)

    if recap.n is None:
        problems.append(Problem("respondents_missing", problem_text("respondents_missing")))
    if recap.ikm is not None and not (CONVERTED_RANGE[0] <= recap.ikm.value <= CONVERTED_RANGE[1]):
        hint = ""
        if NRR_RANGE[0] <= recap.ikm.value <= NRR_RANGE[1]:
            hint = hint_text(
                "ikm_nrr_scale",
                ikm=recap.ikm.display,
                converted=format_id(recap.ikm.value * 25, 2),
            )
        problems.append(
            Problem(
                "ikm_out_of_scale",
                problem_text("ikm_out_of_scale", ikm=recap.ikm.display, hint=hint),
            )
        )

    scale: Scale | None = None
    checks: dict[Weight, WeightCheck] = {}
    usable = False
    if has_unsur and len(present) < len(UNSUR_COLUMNS):
        missing = [c.upper() for c, f in zip(UNSUR_COLUMNS, recap.unsur, strict=True) if f is None]
        problems.append(
            Problem("unsur_incomplete", problem_text("unsur_incomplete", missing=", ".join(missing)))
        )
    elif has_unsur:
        scale = detect_scale([f.value for f in present])
        out = _out_of_scale(recap, scale)
        problems.extend(out)
        usable = not out

    figures: tuple[Figure, ...] = ()
    if usable and scale is not None:
        figures = tuple(present)
        if scale is Scale.CONVERTED:
            figures, derived = nrr_derived_precision(figures)
            notes.extend(derived)
        checks = {w: weight_check(figures, scale, recap.ikm, w) for w in WEIGHTS}
    verdict = _verdict(recap, checks, usable, problems, notes)

    category, category_problems = category_check(recap.kategori, recap.ikm)
    problems.extend(category_problems)

    sample = None
    if recap.populasi is not None:
        sample, sample_problems, sample_notes = _sample(recap)
        problems.extend(sample_problems)
        notes.extend(sample_notes)
    return RowResult(
        recap,
        verdict,
        scale,
        checks,
        category,
        sample,
        unsur_usable=usable,
        figures=figures,
        problems=problems,
        notes=notes,
    )


def _verdict(
    recap: RecapRow,
    checks: dict[Weight, WeightCheck],
    usable: bool,
    problems: list[Problem],
    notes: list[Note],
    hint: str = "",
) -> Verdict:
    if not usable:
        if recap.ikm is None and not any(f is not None for f in recap.unsur):
            problems.append(Problem("figures_missing", problem_text("figures_missing", n=recap.n)))
        notes.append(Note("unverifiable", note_text("unverifiable")))
        return Verdict.UNVERIFIABLE
    shown = {w: format_id(c.ikm, 2) for w, c in checks.items()}
    if recap.ikm is None:
        problems.append(
            Problem(
                "ikm_missing",
                problem_text("ikm_missing", w0111=shown[Weight.W0111], w19=shown[Weight.NINTH]),
            )
        )
        notes.append(Note("unverifiable", note_text("unverifiable")))
        return Verdict.UNVERIFIABLE
    fitting = [w for w, c in checks.items() if c.matches]
    if len(fitting) == len(WEIGHTS):
        notes.append(
            Note(
                "ambiguous",
                note_text(
                    "ambiguous",
                    ikm=recap.ikm.display,
                    w0111=shown[Weight.W0111],
                    w19=shown[Weight.NINTH],
                ),
            )
        )
        return Verdict.AMBIGUOUS
    if fitting:
        return Verdict(fitting[0].value)
    problems.append(
        Problem(
            "ikm_mismatch",
            problem_text(
                "ikm_mismatch",
                ikm=recap.ikm.display,
                w0111=shown[Weight.W0111],
                w19=shown[Weight.NINTH],
                hint=hint or _mismatch_hint(recap, checks),
            ),
        )
    )
    return Verdict.INCONSISTENT


def _sample(recap: RecapRow) -> tuple[SampleCheck | None, list[Problem], list[Note]]:
    population = recap.populasi
    assert population is not None
    if population < 1:
        invalid = Problem("population_invalid", problem_text("population_invalid", population=0))
        return None, [invalid], []
    shown_population = format_id(population, 0)
    if recap.n is None:
        note = Note("sample_unknown_n", note_text("sample_unknown_n", population=shown_population))
        return SampleCheck(population, None, krejcie_morgan(population), None, None), [], [note]
    adequacy = sample_adequacy(recap.n, population)
    assert adequacy.required is not None
    problems = []
    if recap.n > population:
        problems.append(
            Problem(
                "sample_exceeds_population",
                problem_text(
                    "sample_exceeds_population",
                    n=format_id(recap.n, 0),
                    population=shown_population,
                ),
            )
        )
    elif not adequacy.adequate:
        problems.append(
            Problem(
                "sample_short",
                problem_text(
                    "sample_short",
                    n=format_id(recap.n, 0),
                    required=format_id(adequacy.required, 0),
                    population=shown_population,
                ),
            )
        )
    check = SampleCheck(population, recap.n, adequacy.required, adequacy.adequate, adequacy.shortfall)
    return check, problems, []


# --------------------------------------------------------------------------- across rows


def _describe_rows(rows: Sequence[RowResult]) -> str:
    described = [f"baris {r.recap.row} ({r.recap.label})" for r in rows]
    if len(described) == 1:
        return described[0]
    return ", ".join(described[:-1]) + " dan " + described[-1]


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


def as_part(result: RowResult, weight: Weight, *, n_unknown_as_one: bool = False) -> Part | None:
    """A published row as an aggregate :class:`~skm.scoring.Part`: its unsur values when usable,
    its IKM (recomputed with ``weight`` when it is missing or out of scale), its n. None when it
    has neither an IKM nor usable unsur values, or no n (unless ``n_unknown_as_one``)."""
    recap = result.recap
    n = recap.n
    if n is None or n <= 0:
        if not n_unknown_as_one:
            return None
        n = 1
    ikm: Fraction | None = None
    if result.ikm_in_scale and recap.ikm is not None:
        ikm = recap.ikm.value
    elif result.valid_unsur and result.scale is not None:
        ikm = recompute(result.unsur_values, result.scale, weight)
    if ikm is None:
        return None
    values = result.unsur_values if result.valid_unsur else []
    return Part.from_published(
        recap.label,
        values,
        ikm,
        n,
        elements=UNSUR_COLUMNS,
        converted=result.scale is Scale.CONVERTED,
    )


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
        notes.append(Note("annual_other_kind", note_text("annual_other_kind", kind=other.value)))
    rows = tuple(s.recap.row for s in chosen)
    periods = tuple(s.recap.periode.display for s in chosen)
    ordinals = [s.recap.periode.ordinal for s in chosen]
    if len(set(ordinals)) < len(ordinals):
        notes.append(Note("annual_skipped", note_text("annual_skipped", reason="periode ganda")))
        return AnnualCheck(kind, rows, periods, None, None, None, None, None, None, tuple(notes))
    wanted = range(1, SUBPERIOD_COUNT[kind] + 1)
    absent = [Period("", kind, k).display for k in wanted if k not in ordinals]
    if absent:
        notes.append(
            Note(
                "annual_partial",
                note_text("annual_partial", used=", ".join(periods), missing=", ".join(absent)),
            )
        )

    n_expected: int | None = None
    n_ok: bool | None = None
    if annual.recap.n is not None and all(s.recap.n is not None for s in chosen):
        n_expected = sum(s.recap.n or 0 for s in chosen)
        n_ok = annual.recap.n == n_expected
    elif annual.recap.n is not None:
        notes.append(Note("annual_skipped", note_text("annual_skipped", reason="jumlah responden kosong")))

    # n only counts a part in the unweighted mean, so an unknown n stands in as 1 here.
    parts = [as_part(s, weight, n_unknown_as_one=True) for s in chosen]
    if any(p is None for p in parts):
        notes.append(Note("annual_skipped", note_text("annual_skipped", reason="IKM dan nilai unsur kosong")))
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
        notes.append(
            Note(
                "annual_skipped",
                note_text("annual_skipped", reason="nilai unsur sub-periode tidak lengkap"),
            )
        )

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
            notes.append(
                Note(
                    "annual_skipped",
                    note_text("annual_skipped", reason="IKM sub-periode kosong"),
                )
            )
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


def _annual_problems(
    annual: RowResult, check: AnnualCheck, chosen: Sequence[RowResult], weight: Weight
) -> list[Problem]:
    kind = check.kind.value
    problems: list[Problem] = []
    if check.unsur is not None and not all(c.ok for c in check.unsur):
        details = ", ".join(
            f"{c.column.upper()} {c.published.display} "
            f"(seharusnya {format_id(c.expected, max(2, c.published.decimals))})"
            for c in check.unsur
            if not c.ok
        )
        problems.append(Problem("annual_unsur", problem_text("annual_unsur", kind=kind, details=details)))
    if check.ikm_ok is False and check.ikm_expected is not None and annual.recap.ikm is not None:
        hint = ""
        if all(s.recap.n for s in chosen):
            parts = [as_part(s, weight) for s in chosen]
            weighted = aggregate(
                [p for p in parts if p is not None],
                Method.RESPONDENT_WEIGHTED,
                Level.YEAR_FROM_SUBPERIODS,
                weight,
            ).ikm
            tolerance = check.ikm_tolerance or Fraction(0)
            if weighted is not None and abs(annual.recap.ikm.value - weighted) <= tolerance:
                hint = hint_text("annual_weighted", weighted=format_id(weighted, 2))
        problems.append(
            Problem(
                "annual_ikm",
                problem_text(
                    "annual_ikm",
                    ikm=annual.recap.ikm.display,
                    kind=kind,
                    terms=" + ".join(s.recap.ikm.display for s in chosen if s.recap.ikm),
                    count=len(chosen),
                    mean=format_id(check.ikm_expected, 2),
                    hint=hint,
                ),
            )
        )
    if check.n_ok is False and annual.recap.n is not None and check.n_expected is not None:
        problems.append(
            Problem(
                "annual_n",
                problem_text(
                    "annual_n",
                    n=format_id(annual.recap.n, 0),
                    kind=kind,
                    terms=" + ".join(format_id(s.recap.n or 0, 0) for s in chosen),
                    total=format_id(check.n_expected, 0),
                ),
            )
        )
    return problems


def _rejudge_derived_annual(annual: RowResult, chosen: Sequence[RowResult]) -> None:
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
    inherited_from = [s for s in chosen if s.verdict is Verdict.INCONSISTENT]
    annual.verdict = _verdict(
        annual.recap,
        annual.checks,
        True,
        annual.problems,
        annual.notes,
        hint=hint_text("inherited", rows=_describe_rows(inherited_from)) if inherited_from else "",
    )


def choose_weight(results: Sequence[RowResult]) -> tuple[Weight, str]:
    """The weight the recap itself follows: the one more rows fit (ties and none: 0.111)."""
    count = {w: sum(1 for r in results if r.verdict.value == w.value) for w in WEIGHTS}
    fits = f"{count[Weight.W0111]} baris cocok dengan 0,111, {count[Weight.NINTH]} dengan 1/9"
    if count[Weight.NINTH] > count[Weight.W0111]:
        return Weight.NINTH, f"otomatis: {fits}"
    if count[Weight.W0111] > count[Weight.NINTH]:
        return Weight.W0111, f"otomatis: {fits}"
    return DEFAULT_WEIGHT, f"otomatis: {fits}; dipakai bobot bawaan 0,111"


@dataclass(frozen=True)
class CheckedRows:
    """The rows of a recap, checked one by one and across rows, and the weight of the recap."""

    rows: list[RowResult]
    weight: Weight
    weight_reason: str


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
        reason = "ditetapkan"

    for row, others in find_copies(results).items():
        result = by_row[row]
        result.copy_of = [o.recap.row for o in others]
        result.problems.append(Problem("copy", problem_text("copy", others=_describe_rows(others))))
    for row, group in find_duplicate_periods(results).items():
        result = by_row[row]
        result.problems.append(
            Problem(
                "period_duplicate",
                problem_text(
                    "period_duplicate",
                    unit=result.recap.upp or f"Baris {row}",
                    period=result.recap.periode.display,
                    rows=", ".join(str(r.recap.row) for r in group),
                ),
            )
        )

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
            annual.annual = check
            annual.notes.extend(check.notes)
            chosen = [by_row[r] for r in check.subperiod_rows]
            if check.ikm_ok:
                _rejudge_derived_annual(annual, chosen)
            annual.problems.extend(_annual_problems(annual, check, chosen, weight))

    if chosen_weight is None:
        # Annual rows judged against their sub-periods may now fit a weight: count again.
        weight, reason = choose_weight(results)
    return CheckedRows(results, weight, reason)
