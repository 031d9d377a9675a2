"""A recap row as published: its figures at the precision they were written with (SPEC §8).

Cells of :mod:`skm.recaps.reader` become numbers that remember their decimals ("88,2" is not
"88,20"), the period its kind, the method its normalised value. A cell that is not a number
becomes ``None`` and a problem of the row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeVar

from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skm.recaps.methods import NormalisedMethod, normalise_method
from skm.recaps.periods import Period, parse_period
from skm.recaps.reader import UNSUR_COLUMNS, RawRow
from skm.recaps.verdicts import Problem, problem
from skm.scoring import decimals_of, format_id, to_fraction

NRR_RANGE = (Fraction(1), Fraction(4))
CONVERTED_RANGE = (Fraction(25), Fraction(100))


class Scale(TextChoices):
    """The scale of a row's unsur values, detected per row (:func:`detect_scale`)."""

    NRR = "nrr", "NRR 1–4"
    CONVERTED = "converted", gettext_lazy("konversi 25–100")

    @property
    def bounds(self) -> tuple[Fraction, Fraction]:
        return NRR_RANGE if self is Scale.NRR else CONVERTED_RANGE

    @property
    def factor(self) -> int:
        """Multiplier to the 25–100 scale: converted = NRR × 25 (SPEC §4)."""
        return 25 if self is Scale.NRR else 1


def detect_scale(values: Sequence[Fraction]) -> Scale:
    """NRR (1–4) or converted (25–100), by the majority of the nine values: a converted row with
    one NRR among them (seed 001, Kecamatan Banjarmasin Timur, U8 "3,76") stays converted and the
    odd value is reported as outside the scale."""
    small = sum(1 for v in values if v <= NRR_RANGE[1])
    return Scale.NRR if small * 2 > len(values) else Scale.CONVERTED


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
        parts = [self.upp or _("baris {row}").format(row=self.row)]
        if self.layanan:
            parts.append(self.layanan)
        if self.periode.label:
            parts.append(self.periode.label)
        return ", ".join(parts)


def describe_rows(rows: Sequence[RecapRow]) -> str:
    """Rows as a message names them: "baris 4 (Kelurahan X, Tahunan) dan baris 9 (…)"."""
    described = [_("baris {row} ({label})").format(row=r.row, label=r.label) for r in rows]
    if len(described) == 1:
        return described[0]
    return ", ".join(described[:-1]) + f" {_('dan')} " + described[-1]


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


T = TypeVar("T")


def parse_row(raw: RawRow) -> RecapRow:
    """Parse one raw row; a cell that is not a number becomes ``None`` and a problem."""
    problems: list[Problem] = []

    def read(column: str, parse: Callable[[Any], T | None]) -> T | None:
        text = raw.get(column)
        try:
            return parse(text)
        except ValueError:
            problems.append(problem("value_unreadable", column=_column_name(column), value=text))
            return None

    def figure(column: str) -> Figure | None:
        return read(column, parse_figure)

    def count(column: str) -> int | None:
        return read(column, parse_count)

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


def _column_name(column: str) -> str:
    """A column as messages name it: "U3", "IKM", "jumlah responden"."""
    if column == "jumlah_responden":
        return _("jumlah responden")
    return "IKM" if column == "ikm" else column.upper()
