"""Read a CSV or XLSX table into rows of strings keyed by normalised header names.

Shared by every importer (units, recaps, answers) so they accept the same files: CSV with `,`
or `;` (sniffed), UTF-8 with or without BOM (or Windows-1252 as exported by old Excel), or the
first sheet of an XLSX. Cells come back as text exactly as a person typed them; numbers from
XLSX are written without float noise. Header matching ignores case, spaces and punctuation.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

MAX_ROWS = 1_000_000


class TableError(ValueError):
    """A file that cannot be read as a table; the message is Indonesian, for the user."""


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


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError("Berkas tidak dapat dibaca sebagai teks (bukan UTF-8).")


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = _decode(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise TableError(f"Berkas XLSX tidak dapat dibuka: {exc.__class__.__name__}.") from None
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_text(v) for v in row]
    finally:
        workbook.close()


def read_table(source: str | Path | bytes, *, filename: str | None = None) -> Table:
    """Read the table in `source` (a path, or bytes with `filename` telling the format)."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TableError(f"Berkas {path.name} tidak dapat dibaca: {exc.strerror}.") from None
        filename = filename or path.name
    else:
        data = source
    name = (filename or "").lower()
    is_xlsx = name.endswith((".xlsx", ".xlsm")) or data[:2] == b"PK"
    if name.endswith(".xls") and not is_xlsx:
        raise TableError("Format .xls lama tidak didukung: simpan ulang sebagai .xlsx atau .csv.")
    rows = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
    raw_headers: list[str] | None = None
    out: list[tuple[int, dict[str, str]]] = []
    for number, row in enumerate(rows, start=1):
        cells = [_cell_text(c) for c in row]
        if not any(cells):
            continue
        if raw_headers is None:
            raw_headers = cells
            headers = [normalise_header(h) for h in raw_headers]
            continue
        if len(out) >= MAX_ROWS:
            raise TableError(f"Berkas terlalu besar: lebih dari {MAX_ROWS:,} baris.".replace(",", "."))
        out.append((number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headers) if h}))
    if raw_headers is None:
        raise TableError("Berkas kosong: tidak ada baris judul kolom.")
    return Table(headers=headers, raw_headers=raw_headers, rows=out)


def require_columns(table: Table, required: tuple[str, ...]) -> None:
    missing = [c for c in required if c not in table.headers]
    if missing:
        raise TableError(
            "Kolom wajib tidak ditemukan: "
            + ", ".join(missing)
            + ". Kolom yang ada: "
            + ", ".join(table.raw_headers)
            + "."
        )
