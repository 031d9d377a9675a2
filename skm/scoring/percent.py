"""Percentages that add up to exactly 100 (SPEC §6 profile tables): the largest remainder method.

Each count's exact share ``100 × c / Σc`` is cut down to ``places`` decimals; the units of the last
decimal still missing from 100 go, one each, to the shares that lost most in the cut (ties to the
earlier count). So a profile of three equal groups reads 33,34 + 33,33 + 33,33 and never 99,99.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction


def largest_remainder(counts: Sequence[int], places: int) -> list[Decimal]:
    """Shares of ``counts`` in percent with ``places`` decimals, summing to exactly 100.

    All zero (or no counts) gives zeros: there is nothing to share. Negative counts raise
    ValueError. Each share differs from its exact value by less than one unit of the last decimal.
    """
    if places < 0:
        raise ValueError("places cannot be negative")
    if any(c < 0 for c in counts):
        raise ValueError("counts cannot be negative")
    quantum = Decimal(1).scaleb(-places)
    total = sum(counts)
    if total == 0:
        return [Decimal(0).quantize(quantum) for _ in counts]
    steps = 100 * 10**places  # 100 % in units of the last decimal
    exact = [Fraction(c * steps, total) for c in counts]
    floors = [int(x) for x in exact]  # x >= 0, so int() is the floor
    missing = steps - sum(floors)
    by_remainder = sorted(range(len(counts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in by_remainder[:missing]:
        floors[i] += 1
    return [(Decimal(f) * quantum).quantize(quantum) for f in floors]
