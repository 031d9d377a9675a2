"""A judged preview kept between its page and the save, so the file is read once.

`kept()` turns a preview into JSON-ready data and `restored()` back. The upload pages keep it
server-side under a token (`store`): MEDIA_ROOT/imports/<token>.json (who uploaded it for which
unit, and what the preview page shows) and <token>.rows.jsonl (the rows to store, one JSON list
per line). The file's bytes are not kept; the save stores exactly the rows the preview showed.
The messages are kept as worded at the upload.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

from skm.collection.importing.columns import Column, Format
from skm.collection.importing.preview import ParsedRow, Preview, RowContext, RowProblem, SampleRow
from skm.instrument.spec import current_spec
from skm.organisation.models import Unit

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")
KEEP_UPLOADS = dt.timedelta(hours=24)


def kept(preview: Preview) -> tuple[dict[str, Any], Iterator[list[Any]]]:
    """A preview as JSON-ready data: what its page shows, and the rows save() stores, one list per
    row as they are written (kept apart, so the page is shown again without loading the rows)."""
    summary = {
        "filename": preview.filename,
        "sha256": preview.sha256,
        "format": str(preview.format),
        "version_id": preview.version_id,
        "columns": [[c.index, c.header, c.target, c.label, c.score] for c in preview.columns],
        "file_errors": preview.file_errors,
        "total": preview.total,
        "valid": preview.valid,
        "already": preview.already,
        "problems": [[p.row, p.messages] for p in preview.problems],
        "invalid": preview.invalid,
        "sample": [
            [
                s.row,
                s.status,
                s.when.isoformat() if s.when else None,
                s.service,
                s.values,
                s.profile,
                s.suggestion,
            ]
            for s in preview.sample
        ],
        "day_first": preview.day_first,
        "lookalikes": preview.lookalikes,
    }
    rows = ([r.row, r.key, r.submitted_at.isoformat(), r.day.isoformat(), *r.content] for r in preview.rows)
    return summary, rows


def restored(summary: dict[str, Any], unit: Unit, rows: Iterable[list[Any]] | None = None) -> Preview:
    """A preview from what `kept()` gave, with its rows when given. Its instrument is the unit's
    current one; save() refuses when that is not the one the rows were judged with."""
    spec = current_spec(unit.pemda_id)
    preview = Preview(
        unit=unit,
        filename=summary["filename"],
        sha256=summary["sha256"],
        format=Format(summary["format"]),
        columns=[Column(*c) for c in summary["columns"]],
        file_errors=summary["file_errors"],
        total=summary["total"],
        valid=summary["valid"],
        already=summary["already"],
        problems=[RowProblem(row, messages) for row, messages in summary["problems"]],
        invalid=summary["invalid"],
        sample=[
            SampleRow(row, status, dt.datetime.fromisoformat(when) if when else None, *rest)
            for row, status, when, *rest in summary["sample"]
        ],
        day_first=summary["day_first"],
        lookalikes=summary["lookalikes"],
        spec=spec,
        version_id=summary["version_id"],
    )
    if rows is not None and spec is not None:
        context = RowContext(unit, spec, unit.services.all())
        # Codes ("L", "u35", "sma") come back from JSON as a new string per row: share them.
        shared: dict[str, str] = {}
        preview.rows = [
            ParsedRow(
                row,
                key,
                dt.datetime.fromisoformat(at),
                dt.date.fromisoformat(day),
                tuple(shared.setdefault(v, v) if isinstance(v, str) and len(v) <= 16 else v for v in content),
                context,
            )
            for row, key, at, day, *content in rows
        ]
    return preview


# --- Kept on disk under a token -------------------------------------------------------------------


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def store(
    preview: Preview | None, *, table_error: str = "", fmt: str, unit: Unit, user: Any, filename: str
) -> str:
    """Keep a judged upload (or why it could not be read) under a new token; forget those older
    than KEEP_UPLOADS."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - KEEP_UPLOADS.total_seconds()
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    note: dict[str, Any] = {"filename": filename, "format": fmt, "unit": unit.pk, "user": user.pk}
    if preview is None:
        note["table_error"] = table_error
    else:
        note["preview"], rows = kept(preview)
        with (folder / f"{token}.rows.jsonl").open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, separators=(",", ":")) + "\n")
    (folder / f"{token}.json").write_text(json.dumps(note), encoding="utf-8")
    return token


def load(token: str, unit: Unit, user: Any) -> dict[str, Any] | None:
    """The note behind `token` if this user made the upload for this unit; else None."""
    if not TOKEN_RE.match(token):
        return None
    try:
        note = json.loads((_folder() / f"{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if note.get("unit") != unit.pk or note.get("user") != user.pk:
        return None
    return note


def load_rows(token: str, unit: Unit, summary: dict[str, Any]) -> Preview | None:
    """The kept preview with its rows, read line by line; None when they are gone."""
    try:
        with (_folder() / f"{token}.rows.jsonl").open(encoding="utf-8") as lines:
            return restored(summary, unit, (json.loads(line) for line in lines))
    except (OSError, ValueError):
        return None


def forget(token: str) -> None:
    for suffix in (".json", ".rows.jsonl"):
        (_folder() / f"{token}{suffix}").unlink(missing_ok=True)
