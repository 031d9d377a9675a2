"""Idempotency keys (SPEC §8: one submission per visit), scoped to their unit.

A key names one questionnaire *within one unit*: the database's unique key is (unit, key), so two
units (or two Pemda) may use the same sheet numbers as import `kunci` without losing each other's
rows, and nothing about another unit's answer is ever looked up by a key.

Within a unit, a key that arrives again is either a retry (the same questionnaire: the first copy
stands, "already received") or a conflict (another questionnaire under a key already used: refused
with 409, as ODK Central refuses a submission whose instanceID exists with different content).
`same_content` tells them apart from what was stored and what arrived, column by column.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from skm.scoring.elements import ELEMENTS

# What a respondent said and about which service: equal in a retry, different in another
# questionnaire. Not the time when the sender did not give one (the server's clock differs per try).
CONTENT_COLUMNS: tuple[str, ...] = (
    *ELEMENTS,
    "extra",
    "service_id",
    "gender",
    "age_band",
    "education",
    "occupation",
    "suggestion",
    "contact",
)


def same_content(stored: Mapping[str, Any], new: Mapping[str, Any], *, with_time: bool) -> bool:
    """Whether `new` (column → value, as `store.answer_values` gives them) repeats `stored` (the same
    columns read back): every CONTENT_COLUMNS value equal, and `submitted_at` too when `with_time`
    (the sender stated when it was answered)."""
    for column in CONTENT_COLUMNS:
        if _blank(stored.get(column)) != _blank(new.get(column)):
            return False
    return not with_time or stored.get("submitted_at") == new.get("submitted_at")


def _blank(value: Any) -> Any:
    return None if value in ("", None, {}) else value
