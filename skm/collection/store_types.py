"""What storing an answer came to (shared by skm.collection.store and its group commit)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stored:
    answer_id: int | None  # None: not stored (over a limit, or this key was stored before)
    allowed: bool  # False: over a flood limit, nothing was written
    flags: int  # the integrity flags the counts gave it
