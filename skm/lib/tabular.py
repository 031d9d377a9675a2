"""Read a CSV or XLSX table into rows of strings keyed by normalised header names.

Shared by every importer (units, recaps, answers) so they accept the same files: CSV with `,`
or `;` (taken from the header line), UTF-8 with or without BOM, or the first sheet of an XLSX. Cells come back as text exactly as a person typed them; numbers from
XLSX are written without float noise. Header matching ignores case, spaces and punctuation.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

MAX_ROWS = 1_000_000
MAX_BYTES = 50 * 1024 * 1024

FILE_MESSAGES: dict[str, str] = {
    "file_missing": "Berkas {path} tidak ditemukan.",
    "file_type": "Berkas {path} bukan CSV atau XLSX. Simpan sebagai .csv atau .xlsx.",
    "file_encoding": (
        'Berkas {path} bukan teks UTF-8. Dari Excel, simpan ulang dengan "CSV UTF-8 (Comma delimited)".'
    ),
    "file_unreadable": "Berkas {path} tidak dapat dibaca sebagai tabel (rusak atau bukan CSV/XLSX).",
    "file_empty": "Berkas {path} kosong: tidak ada baris judul kolom.",
    "file_too_large": "Berkas {path} terlalu besar (lebih dari {limit} baris atau 50 MB).",
    "column_missing": "Kolom wajib tidak ditemukan: {columns}. Kolom yang ada: {found}.",
}


class TableError(ValueError):
    """A file that cannot be read as a table; `code` is stable, the message Indonesian."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.message = FILE_MESSAGES[code].format(**fields)
        super().__init__(self.message)


def normalise_header(text: str) -> str:
    """'Jumlah Responden ' → 'jumlah_responden'; 'U 1' → 'u1'; 'IKM' → 'ikm'."""
    text = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    text = re.sub(r"[^0-9a-z]+", "_", text).strip("_")
    return re.sub(r"^u_(\d)$", r"u\1", text)


@dataclass
class Table:
    headers: list[str]  # normalised
    raw_headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line/row number in the file, values)


_FIXED_DECIMALS = re.compile(r"0\.(0+)")


def cell_text(value: object, number_format: str = "") -> str:
    """A spreadsheet cell as the text it shows. A number keeps its stored digits, padded to the
    decimals its format displays (100 formatted "0.00" is "100.00"), never float noise."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            text = str(int(value))
        else:
            text = repr(value) if isinstance(value, float) else str(value)
        if "e" in text.casefold():
            text = format(Decimal(repr(value)), "f")
        shown = _FIXED_DECIMALS.search(number_format or "")
        if shown:
            places = len(shown.group(1))
            if len(text.partition(".")[2]) < places:
                text = str(Decimal(text).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))
        return text
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _csv_grid(data: bytes, name: str) -> list[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError("file_encoding", path=name) from None
    if "\x00" in text:
        raise TableError("file_unreadable", path=name)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # The header carries no decimals, so the delimiter is whichever separator it uses most; a
    # data line would mislead (decimal commas).
    delimiter = max((";", ",", "\t"), key=first_line.count)
    try:
        return list(enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1))
    except csv.Error:
        raise TableError("file_unreadable", path=name) from None


def _xlsx_grid(data: bytes, name: str) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise TableError("file_unreadable", path=name) from None
    try:
        grid = []
        for number, cells in enumerate(workbook.worksheets[0].iter_rows(), start=1):
            if number > MAX_ROWS + 1:
                raise TableError("file_too_large", path=name, limit=MAX_ROWS)
            grid.append((number, [cell_text(c.value, getattr(c, "number_format", "")) for c in cells]))
        return grid
    except TableError:
        raise
    except Exception:
        raise TableError("file_unreadable", path=name) from None
    finally:
        workbook.close()


def read_grid(source: str | Path | bytes, *, filename: str | None = None) -> list[tuple[int, list[str]]]:
    """Every row of a CSV or of the first XLSX sheet as (row number, cells as text)."""
    if isinstance(source, str | Path):
        path = Path(source)
        name = filename or path.name
        if not path.is_file():
            raise TableError("file_missing", path=str(path))
        if path.stat().st_size > MAX_BYTES:
            raise TableError("file_too_large", path=name, limit=MAX_ROWS)
        data = path.read_bytes()
    else:
        data, name = source, filename or "unggahan"
        if len(data) > MAX_BYTES:
            raise TableError("file_too_large", path=name, limit=MAX_ROWS)
    suffix = Path(name).suffix.casefold()
    if suffix in {".xlsx", ".xlsm"}:
        return _xlsx_grid(data, name)
    if suffix in {".csv", ".txt", ""}:
        grid = _csv_grid(data, name)
        if len(grid) > MAX_ROWS + 1:
            raise TableError("file_too_large", path=name, limit=MAX_ROWS)
        return grid
    raise TableError("file_type", path=name)


def read_table(source: str | Path | bytes, *, filename: str | None = None) -> Table:
    """Read the table in `source` (a path, or bytes with `filename` telling the format)."""
    grid = read_grid(source, filename=filename)
    name = filename or (Path(source).name if isinstance(source, str | Path) else "unggahan")
    raw_headers: list[str] | None = None
    headers: list[str] = []
    out: list[tuple[int, dict[str, str]]] = []
    for number, row in grid:
        cells = [str(c).strip() for c in row]
        if not any(cells):
            continue
        if raw_headers is None:
            raw_headers = cells
            headers = [normalise_header(h) for h in raw_headers]
            continue
        out.append((number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headers) if h}))
    if raw_headers is None:
        raise TableError("file_empty", path=name)
    return Table(headers=headers, raw_headers=raw_headers, rows=out)


def require_columns(table: Table, required: tuple[str, ...]) -> None:
    missing = [c for c in required if c not in table.headers]
    if missing:
        raise TableError("column_missing", columns=", ".join(missing), found=", ".join(table.raw_headers))
