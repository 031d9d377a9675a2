"""The scoring core of the SKM platform: NRR, IKM, bands, aggregates, priorities, samples.

Pure Python (stdlib only, no Django): the formulas of SPEC §4, computed exactly with
``fractions.Fraction`` and rounded half up only for display (``decimal.Decimal``).
"""

from skm.scoring.aggregate import Aggregate, Level, Method, Part, aggregate, describe
from skm.scoring.bands import BANDS, BANDS_BY_MUTU, Band, band_for, band_for_nrr
from skm.scoring.confidence import (
    Interval,
    ikm_confidence_interval,
    ikm_confidence_interval_from_answers,
    t_quantile,
)
from skm.scoring.elements import (
    ELEMENT_NAMES,
    ELEMENT_NAMES_EN,
    ELEMENTS,
    ELEMENTS_PENGADUAN_BEFORE_SARANA,
)
from skm.scoring.ikm import (
    Answer,
    Score,
    UnsurScore,
    UnsurTally,
    check_answer,
    ikm_from_converted,
    ikm_from_nrr,
    score_answers,
    score_tallies,
    tally,
)
from skm.scoring.priority import priority_unsur
from skm.scoring.rounding import Number, decimals_of, format_id, round_half_up, to_fraction
from skm.scoring.sample import (
    KREJCIE_MORGAN_MAX,
    SampleAdequacy,
    krejcie_morgan,
    sample_adequacy,
)
from skm.scoring.weights import DEFAULT_WEIGHT, UNSUR_COUNT, Weight

__all__ = [
    "BANDS",
    "BANDS_BY_MUTU",
    "DEFAULT_WEIGHT",
    "ELEMENTS",
    "ELEMENTS_PENGADUAN_BEFORE_SARANA",
    "ELEMENT_NAMES",
    "ELEMENT_NAMES_EN",
    "KREJCIE_MORGAN_MAX",
    "UNSUR_COUNT",
    "Aggregate",
    "Answer",
    "Band",
    "Interval",
    "Level",
    "Method",
    "Number",
    "Part",
    "SampleAdequacy",
    "Score",
    "UnsurScore",
    "UnsurTally",
    "Weight",
    "aggregate",
    "band_for",
    "band_for_nrr",
    "check_answer",
    "decimals_of",
    "describe",
    "format_id",
    "ikm_confidence_interval",
    "ikm_confidence_interval_from_answers",
    "ikm_from_converted",
    "ikm_from_nrr",
    "krejcie_morgan",
    "priority_unsur",
    "round_half_up",
    "sample_adequacy",
    "score_answers",
    "score_tallies",
    "t_quantile",
    "tally",
    "to_fraction",
]
