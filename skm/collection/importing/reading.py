"""Reading a file into a preview: its rows streamed within `LIMITS`, its columns mapped, only the
cells of mapped columns kept, then every row judged (`judging`).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.utils import timezone

from skm.collection.importing.columns import KEY, TIME, Format, detect_format, map_columns
from skm.collection.importing.judging import SEPARATOR, judge_rows
from skm.collection.importing.preview import Preview, file_key
from skm.collection.importing.text import shorten
from skm.collection.importing.times import ambiguous, day_first
from skm.instrument.spec import current_spec
from skm.lib.errors import message
from skm.lib.tabular import MAX_BYTES, Limits, iter_grid
from skm.organisation.models import Unit

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # the upload page; the command takes up to LIMITS.bytes
UPLOAD_SUFFIXES = (".csv", ".xlsx")
# What one import reads at most (README, "Impor jawaban"); beyond, the file is refused where the
# limit was hit, before anything else is done with it.
# * rows 100,000: a year of answers of one unit. The busiest counters (a Puskesmas, Dukcapil) take
#   some hundreds of questionnaires a day, 50,000–80,000 a year; the judged rows of 100,000 stay
#   within tens of MB.
# * columns 100: our template has 17, a Google Forms export one per question plus timestamp,
#   e-mail and profile (20–40); a form with extra questions still fits. Cells after a row's last
#   one holding text do not count.
# * cell 5,000 characters: the longest thing a cell holds is a suggestion, stored up to 2,000
#   (validation.SUGGESTION_LIMIT); a longer one still reaches that row-level message.
# * bytes 50 MB for `skm import-answers` (the upload page stops at its MAX_UPLOAD_BYTES first).
LIMITS = Limits(rows=100_000, columns=100, cell=5_000, bytes=MAX_BYTES)


def read(
    data: bytes,
    filename: str,
    unit: Unit,
    *,
    fmt: Format | str = Format.AUTO,
    now: dt.datetime | None = None,
) -> Preview:
    """Dry run: read the file, map its columns, judge every row. Raises TableError for a file that
    cannot be read or goes beyond LIMITS (at the first row, column or cell beyond them). Its
    messages are in the active language."""
    now = now or timezone.now()
    grid = iter_grid(data, filename=filename, limits=LIMITS)
    fmt = Format(fmt)
    sha = hashlib.sha256(data).hexdigest()
    preview = Preview(unit=unit, filename=filename, sha256=sha, format=fmt)
    first = next(grid, None)
    spec = current_spec(unit.pemda_id)
    preview.spec = spec
    if spec is None:
        preview.file_errors.append(message("no_instrument"))
        return preview
    preview.version_id = spec.version_id
    if first is None:
        preview.file_errors.append(message("no_rows"))
        return preview
    headers = first[1]
    if fmt == Format.AUTO:
        fmt = preview.format = detect_format(headers, spec)
    preview.columns, targets = map_columns(headers, spec, fmt)
    by_target = {c.target: c for c in preview.columns if c.target}
    missing = [t for t in targets if t.question and t.question.element and t.key not in by_target]
    if TIME not in by_target:
        preview.file_errors.append(message("time_column_missing"))
    if missing:
        preview.file_errors.append(
            message(
                "columns_missing",
                missing="; ".join(f"{t.label} ({shorten(t.question.text, 70)})" for t in missing),  # type: ignore[union-attr]
            )
        )

    # Only the cells of mapped columns are kept, joined into one string per row (a tuple of cells
    # costs some 50 bytes per cell more); the keys and the times are taken as the rows pass.
    used = [] if preview.file_errors else preview.used_columns
    slot = {column.index: i for i, column in enumerate(used)}
    at_time = slot[by_target[TIME].index] if used else 0
    at_key = slot[by_target[KEY].index] if used and KEY in by_target else None
    rows: list[tuple[int, str | tuple[str, ...]]] = []
    keys: list[str] = []
    times: list[str] = []
    for number, cells in grid:
        preview.total += 1
        if not used:
            continue  # the file cannot be imported: only count its rows
        kept = [cells[column.index] if column.index < len(cells) else "" for column in used]
        joined = SEPARATOR.join(kept)
        rows.append((number, joined if joined.count(SEPARATOR) == len(kept) - 1 else tuple(kept)))
        keys.append((kept[at_key].strip() if at_key is not None else "") or file_key(sha, number))
        times.append(kept[at_time])
    if not preview.total:
        preview.file_errors.append(message("no_rows"))
    if preview.file_errors:
        return preview

    dayfirst = day_first(times, google_export=fmt == Format.GOOGLE_FORMS)
    if ambiguous(times):
        preview.day_first = dayfirst
    del times
    judge_rows(preview, rows, keys, spec, by_target, slot, fmt, dayfirst, now)
    return preview
