"""Saving a clean preview: every new row and its rollups in one transaction, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import IntegrityError, transaction

from skm.accounts import audit
from skm.collection import bulk, rollups
from skm.collection.importing.preview import (
    AT,
    IN_CHUNK,
    PROFILE_COLUMNS,
    ParsedRow,
    Preview,
    same_questionnaire,
    stored_answers,
)
from skm.collection.models import Channel
from skm.instrument.spec import current_spec
from skm.lib.errors import message
from skm.scoring.elements import ELEMENTS


@dataclass
class SaveResult:
    created: int
    already: int


class NotClean(ValueError):
    """save() was given a preview with problems, or one the database has moved past: nothing is stored."""


def _inserts(preview: Preview, rows: list[ParsedRow], user: Any) -> Iterator[dict[str, Any]]:
    """The rows as bulk.insert_answers() takes them, one at a time (it inserts in batches)."""
    unit = preview.unit
    base = {
        "pemda_id": unit.pemda_id,
        "unit_id": unit.pk,
        "instrument_version_id": preview.version_id,
        "channel": Channel.IMPORT.value,
        "entered_by_id": user.pk if getattr(user, "is_authenticated", False) else None,
    }
    for row in rows:
        yield {**base, **row.columns(), "day": row.day, "idempotency_key": row.key}


def _tallies(preview: Preview, rows: list[ParsedRow]) -> Iterator[SimpleNamespace]:
    """What rollups.deltas() reads of an answer, without building model instances."""
    unit = preview.unit
    for row in rows:
        content = row.content
        yield SimpleNamespace(
            pemda_id=unit.pemda_id,
            unit_id=unit.pk,
            service_id=content[AT["service_id"]],
            day=row.day,
            excluded=False,
            channel=Channel.IMPORT.value,
            **{column: content[AT[column]] for column in (*ELEMENTS, *PROFILE_COLUMNS)},
        )


def _still_fits(preview: Preview) -> bool:
    """Whether the instrument and services the rows were judged against are still the unit's."""
    spec = current_spec(preview.unit.pemda_id)
    if spec is None or spec.version_id != preview.version_id:
        return False
    used = {row.content[AT["service_id"]] for row in preview.rows} - {None}
    return used <= set(preview.unit.services.values_list("pk", flat=True))


def save(preview: Preview, *, user: Any = None) -> SaveResult:
    """Store every new row of a clean preview and its rollups in one transaction: all or nothing.
    Raises NotClean, with a message in the active language, when the database moved past it."""
    if not preview.ok:
        raise NotClean(f"{preview.invalid} invalid rows, {len(preview.file_errors)} file errors")
    if not _still_fits(preview):
        raise NotClean(message("save_stale"))
    unit = preview.unit
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                # Another import may have stored some keys in this unit since the preview was made.
                rows, skipped = [], 0
                for start in range(0, len(preview.rows), IN_CHUNK):
                    chunk = preview.rows[start : start + IN_CHUNK]
                    stored = stored_answers(unit, (r.key for r in chunk))
                    for row in chunk:
                        earlier = stored.get(row.key)
                        if earlier is None:
                            rows.append(row)
                        elif same_questionnaire(earlier, row):
                            skipped += 1
                        else:
                            raise NotClean(message("save_conflict", value=row.key, row=row.row))
                already = len(preview.already) + skipped
                if rows:
                    bulk.insert_answers(_inserts(preview, rows, user))
                    rollups.apply(_tallies(preview, rows))
                    audit.record(
                        "answer.import",
                        unit,
                        user=user,
                        summary=f"Impor {len(rows)} jawaban dari {preview.filename}"[:300],
                        after={
                            "file": preview.filename,
                            "sha256": preview.sha256,
                            "format": str(preview.format),
                            "created": len(rows),
                            "already": already,
                        },
                    )
            return SaveResult(created=len(rows), already=already)
        except IntegrityError:
            # A concurrent import stored one of these keys between our check and our insert.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
