"""Benchmark: the pure-Python scoring core (skm/scoring) against its naive Fraction-by-Fraction form.

    .venv/bin/python bench/scoring_core.py [--repeat 7] [--seed 1]

Times, best of --repeat runs of many calls each:

- ``score_tallies`` on nine unsur with ~1000 answers each (n = 1000), weights 0.111 and 1/9;
- ``Part.from_score`` for 156 units (a Pemda of 156 units, seed 001's size; each unit with
  30–1000 respondents and some blanks): the parts of an aggregate, with their checks;
- ``aggregate`` over those 156 parts, for MEAN_OF_UNITS, RESPONDENT_WEIGHTED and POOLED.

The baseline, timed in the same run, is the scoring core as it was before it was made fast (kept
below as ``naive_*`` and ``NaivePart``, with the rounding, bands and means of
``skm.scoring.tests.naive``, the reference the property tests compare with): every NRR, weighted and converted value a Fraction
product, the IKM nine Fraction additions, the band decided on a ``Decimal`` from
``round_half_up``, means added one Fraction at a time, parts checked by comparing Fractions with
ints. Before timing, both are run on the same inputs and must give equal results (same
Fractions, bands and Decimals), or the bench stops. Ratio = naive ÷ current.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from skm.scoring import (
    ELEMENTS,
    Aggregate,
    Level,
    Method,
    Part,
    Score,
    UnsurScore,
    UnsurTally,
    Weight,
    aggregate,
    describe,
    score_tallies,
)
from skm.scoring.ikm import check_unsur_count
from skm.scoring.tests import naive  # the plain Fraction formulas the tests also compare with

PARTS = 156

# --- the naive reference: the scoring core before it was made fast -------------------------------


def naive_score_tallies(tallies: Mapping[str, UnsurTally], n: int, weight: Weight) -> Score:
    if n < 0:
        raise ValueError("the number of respondents cannot be negative")
    check_unsur_count(tallies.keys())
    weight = Weight(weight)
    w = weight.fraction
    unsur: dict[str, UnsurScore] = {}
    missing: list[str] = []
    for element, t in tallies.items():
        if t.count > n:
            raise ValueError(f"{element}: {t.count} answers from {n} respondents")
        nrr = t.nrr
        if nrr is None:
            missing.append(element)
            continue
        unsur[element] = UnsurScore(element, nrr, nrr * w, nrr * 25, naive.band_for_nrr(nrr))
    ikm_nrr = ikm = band = None
    if not missing:
        ikm_nrr = sum((u.weighted for u in unsur.values()), Fraction(0))
        ikm = ikm_nrr * 25
        band = naive.band_for(ikm, weight=weight)
    return Score(weight, n, unsur, ikm_nrr, ikm, band, tuple(missing), dict(tallies))


def naive_aggregate(parts: Sequence[Part], method: Method, level: Level, weight: Weight) -> Aggregate:
    used = [p for p in parts if p.n > 0]
    skipped = tuple(p.label for p in parts if p.n == 0)
    n = sum(p.n for p in used)
    nrr: dict[str, Fraction] = {}
    ikm = band = None
    if method is Method.POOLED:
        pooled: dict[str, UnsurTally] = {}
        for tallies in (p.tallies for p in used if p.tallies is not None):
            for element, t in tallies.items():
                pooled[element] = pooled.get(element, UnsurTally(0, 0)) + t
        score = naive_score_tallies(pooled, n, weight)
        nrr = {element: u.nrr for element, u in score.unsur.items()}
        ikm, band = score.ikm, score.band
    else:
        by_n = method is Method.RESPONDENT_WEIGHTED
        for element in dict.fromkeys(e for p in used for e in p.nrr):
            mean = naive.mean(((p.nrr[element], p.n) for p in used if element in p.nrr), by_n)
            if mean is not None:
                nrr[element] = mean
        ikm = naive.mean(((p.ikm, p.n) for p in used if p.ikm is not None), by_n)
        band = None if ikm is None else naive.band_for(ikm, weight=weight)
    description = describe(method, level, len(used), n, len(skipped))
    return Aggregate(method, level, weight, nrr, ikm, band, n, len(used), skipped, description)


class NaivePart(Part):
    """A Part checked with Fraction comparisons against ints, as before."""

    def __post_init__(self) -> None:
        if self.n < 0:
            raise ValueError(f"{self.label}: the number of respondents cannot be negative")
        if self.n > 0 and self.ikm is None:
            raise ValueError(f"{self.label}: {self.n} respondents but no IKM")
        if self.ikm is not None and not 0 < self.ikm <= 100:
            raise ValueError(f"{self.label}: IKM {float(self.ikm)} is outside the 25–100 scale")
        for element, value in self.nrr.items():
            if not 1 <= value <= 4:
                raise ValueError(f"{self.label}: NRR of {element} is outside the 1–4 scale")


# --- inputs -------------------------------------------------------------------------------------


def unit_tallies(rng: random.Random, n: int) -> dict[str, UnsurTally]:
    """Nine tallies of a unit with n respondents: up to 5 % blanks, answers mostly 3 and 4."""
    tallies = {}
    for element in ELEMENTS:
        count = n - rng.randint(0, n // 20)
        total = sum(rng.choices((1, 2, 3, 4), (1, 4, 40, 25), k=count))
        tallies[element] = UnsurTally(count, total)
    return tallies


def best(fn: Callable[[], object], repeat: int) -> float:
    """Seconds per call of ``fn``: the best of ``repeat`` runs, each of enough calls for ~0.2 s."""
    calls, elapsed = 1, 0.0
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed > 0.2:
            break
        calls *= 2
    times = [elapsed / calls]
    for _ in range(repeat - 1):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - start) / calls)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    rows: list[tuple[str, str, float, float]] = []  # (what, unit, naive, current)

    for weight in Weight:
        tallies = unit_tallies(rng, 1000)
        if score_tallies(tallies, 1000, weight) != naive_score_tallies(tallies, 1000, weight):
            raise SystemExit(f"score_tallies differs from the naive reference ({weight})")
        rows.append(
            (
                f"score_tallies, 9 unsur × ~1000 answers, w = {weight.label}",
                "µs",
                best(lambda t=tallies, w=weight: naive_score_tallies(t, 1000, w), args.repeat) * 1e6,
                best(lambda t=tallies, w=weight: score_tallies(t, 1000, w), args.repeat) * 1e6,
            )
        )

    weight = Weight.W0111
    scores = []
    for i in range(PARTS):
        n = rng.randint(30, 1000)
        scores.append((f"unit {i}", score_tallies(unit_tallies(rng, n), n, weight)))
    parts = [Part.from_score(label, score) for label, score in scores]
    rows.append(
        (
            f"Part.from_score, {PARTS} parts",
            "ms",
            best(lambda: [NaivePart.from_score(label, score) for label, score in scores], args.repeat) * 1e3,
            best(lambda: [Part.from_score(label, score) for label, score in scores], args.repeat) * 1e3,
        )
    )
    for method in Method:
        current = aggregate(parts, method, Level.PEMDA, weight)
        if current != naive_aggregate(parts, method, Level.PEMDA, weight):
            raise SystemExit(f"aggregate differs from the naive reference ({method})")
        rows.append(
            (
                f"aggregate, {PARTS} parts, {method.value}",
                "ms",
                best(lambda m=method: naive_aggregate(parts, m, Level.PEMDA, weight), args.repeat) * 1e3,
                best(lambda m=method: aggregate(parts, m, Level.PEMDA, weight), args.repeat) * 1e3,
            )
        )

    print(f"python {sys.version.split()[0]}, best of {args.repeat}; results equal to the naive reference")
    print(f"{'':56} {'naive':>10} {'current':>10} {'ratio':>7}")
    for what, unit, plain, current in rows:
        print(f"{what:56} {plain:7.1f} {unit:2} {current:7.1f} {unit:2} {plain / current:6.1f}x")


if __name__ == "__main__":
    main()
