"""Percentages that add up to exactly 100 (SPEC §6 profile tables; §8: published profiles that
don't add up to 100 are an error we must not make)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def largest_remainder(counts: Mapping[K, int], places: int = 2) -> dict[K, Decimal]:
    """Each count's share of the total in percent at ``places`` decimals, summing to exactly 100.

    Largest remainder (Hamilton) method: every share is first cut down to the last shown place,
    then the units of the last place still missing go, one each, to the shares with the largest
    cut-off remainders (ties: the earlier key). So each shown share is within one unit of the last
    place of the exact share, and they add up to 100 exactly. With a total of 0 every share is 0.
    """
    if places < 0:
        raise ValueError("places cannot be negative")
    if any(c < 0 for c in counts.values()):
        raise ValueError("counts cannot be negative")
    total = sum(counts.values())
    if total == 0:
        return {key: Decimal(0).scaleb(-places) for key in counts}
    units = 100 * 10**places  # the last place's units in 100 %
    floors: dict[K, int] = {}
    remainders: dict[K, int] = {}
    for key, count in counts.items():
        floors[key], remainders[key] = divmod(count * units, total)
    missing = units - sum(floors.values())
    order = sorted(counts, key=lambda k: -remainders[k])  # stable: earlier key first on ties
    for key in order[:missing]:
        floors[key] += 1
    return {key: Decimal(value).scaleb(-places) for key, value in floors.items()}
