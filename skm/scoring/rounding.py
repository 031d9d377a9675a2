"""Exact numbers, half-up rounding and Indonesian display (SPEC §4 "Precision", §9).

Every figure of the scoring core is a :class:`fractions.Fraction`, so that a category edge such as
88.305 → 88.31 is decided exactly; a :class:`decimal.Decimal` appears only as the rounded value that
is shown or compared with a published figure.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction
from typing import TypeAlias

Number: TypeAlias = int | str | Decimal | Fraction | float
"""Anything the core accepts as a figure: exact types, a float, or text such as ``"88,93"``."""

# Indonesian: decimal comma, optional dot thousands ("1.234,50", "88,93", "1.234").
_ID_COMMA = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+")
_ID_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3}){2,}")
# Machine format (CSV/JSON, SPEC §9): decimal dot, no grouping ("88.93", "3").
_DOT = re.compile(r"[+-]?\d+(?:\.\d+)?")


def _normalise(text: str) -> str:
    """Turn a written figure into a machine decimal string ("1.234,50" → "1234.50").

    A comma is always the decimal separator and dots before it group thousands; with no comma,
    a single dot is a decimal point (the machine format of SPEC §9) and two or more dots group
    thousands ("1.234.567"). "1.234" is therefore read as 1.234, never as 1234.
    """
    s = text.strip()
    if _ID_COMMA.fullmatch(s):
        return s.replace(".", "").replace(",", ".")
    if _ID_THOUSANDS.fullmatch(s):
        return s.replace(".", "")
    if _DOT.fullmatch(s):
        return s
    raise ValueError(f"not a number: {text!r}")


def to_fraction(x: Number) -> Fraction:
    """Return ``x`` as an exact Fraction (SPEC §4 "Precision", §9 number format).

    Strings may use the Indonesian decimal comma and dot thousands ("88,93", "1.234,50") or the
    machine decimal dot ("88.93"). Floats are read through their shortest repr,
    ``Fraction(str(x))``, so ``0.1`` is exactly 1/10 rather than the nearest binary fraction.
    Booleans, NaN and infinities are refused with ValueError.
    """
    if isinstance(x, bool):
        raise ValueError("a boolean is not a figure")
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    if isinstance(x, Decimal):
        if not x.is_finite():
            raise ValueError(f"not a finite number: {x}")
        return Fraction(x)
    if isinstance(x, float):
        if not math.isfinite(x):
            raise ValueError(f"not a finite number: {x}")
        return Fraction(str(x))
    if isinstance(x, str):
        return Fraction(Decimal(_normalise(x)))
    raise ValueError(f"not a figure: {x!r}")


def round_half_up(x: Number, places: int = 2) -> Decimal:
    """Round ``x`` to ``places`` decimals, half away from zero, exactly (SPEC §4 "Precision").

    ``q = ⌊|x|·10^places + ½⌋ · sign(x) / 10^places``, computed exactly in integers from the
    Fraction's numerator and denominator (:func:`half_up_digits`), so it never truncates
    (89.0561 → 89.06, where seed 001 printed 89,05) and a tie is always decided upward
    (88.305 → 88.31, 88.635 → 88.64). The result carries exactly ``places`` decimals.
    """
    if places < 0:
        raise ValueError("places must be 0 or more")
    value = to_fraction(x)
    digits = half_up_digits(value.numerator, value.denominator, places)
    sign = "-" if value.numerator < 0 and digits != 0 else ""
    # The string form: Decimal(int).scaleb() would round to the context's 28 digits.
    return Decimal(f"{sign}{digits}E-{places}")


def half_up_digits(numerator: int, denominator: int, places: int) -> int:
    """``⌊|p/q|·10^places + ½⌋`` for q > 0: the digits of p/q rounded half up (SPEC §4 "Precision").

    Pure integers, exact: ⌊|p|·10^k/q + ½⌋ = ⌊(2·|p|·10^k + q) / 2q⌋, one floor division.
    """
    scale: int = 10**places  # an int: places ≥ 0
    return (2 * abs(numerator) * scale + denominator) // (2 * denominator)


def decimals_of(text: str) -> int:
    """Number of decimals written in a published figure: "87,6" → 1, "88" → 0, "86,712" → 3.

    Used to compare a recomputed figure with a published one at the precision the publisher
    chose (SPEC §4 "Precision": some Pemda print 3 decimals; §8 recap checks).
    """
    normalised = _normalise(text)
    _, dot, decimals = normalised.partition(".")
    return len(decimals) if dot else 0


def format_id(x: Number, places: int = 2) -> str:
    """Indonesian display of ``x``: rounded half up to ``places``, dot thousands, decimal comma.

    ``format_id(1234.5) == "1.234,50"``, ``format_id("88.925") == "88,93"`` (SPEC §9, §4
    "Precision").
    """
    rounded = round_half_up(x, places)
    sign = "-" if rounded < 0 else ""
    whole, _, decimals = f"{abs(rounded):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{decimals}" if places else f"{sign}{grouped}"
