"""Everything the checks found about one recap row: the records :mod:`skm.recaps.report` turns
into JSON and text (SPEC §8)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from skm.recaps.ikm_check import WeightCheck, recompute
from skm.recaps.periods import PeriodKind
from skm.recaps.reader import UNSUR_COLUMNS
from skm.recaps.rows import CONVERTED_RANGE, Figure, RecapRow, Scale
from skm.recaps.verdicts import Note, Problem, Verdict
from skm.scoring import Band, Part, Weight


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

    def as_part(self, weight: Weight, *, n_unknown_as_one: bool = False) -> Part | None:
        """The row as an aggregate :class:`~skm.scoring.Part`: its unsur values when usable, its
        IKM (recomputed with ``weight`` when it is missing or out of scale), its n. None when it
        has neither an IKM nor usable unsur values, or no n (unless ``n_unknown_as_one``)."""
        recap = self.recap
        n = recap.n
        if n is None or n <= 0:
            if not n_unknown_as_one:
                return None
            n = 1
        ikm: Fraction | None = None
        if self.ikm_in_scale and recap.ikm is not None:
            ikm = recap.ikm.value
        elif self.valid_unsur and self.scale is not None:
            ikm = recompute(self.unsur_values, self.scale, weight)
        if ikm is None:
            return None
        values = self.unsur_values if self.valid_unsur else []
        return Part.from_published(
            recap.label,
            values,
            ikm,
            n,
            elements=UNSUR_COLUMNS,
            converted=self.scale is Scale.CONVERTED,
        )
