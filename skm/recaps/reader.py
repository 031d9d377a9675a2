"""Reading a recap file (CSV or XLSX) into rows of raw strings (SPEC §8 "Recap checks").

A recap has one row per unit-period with the columns ``upp, periode, u1 … u9, ikm, kategori,
jumlah_responden`` and optionally ``layanan, metode, populasi``. Headers are matched loosely ("U 1",
"Jumlah Responden", "IKM", "Periode Survei"); cells stay strings, exactly as written, because the
checks judge each figure at the precision it was published with ("88,2" is not "88,20").

Every failure to read is a :class:`RecapFileError` with an Indonesian message for the admin.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from skm.recaps.messages import file_error

UNSUR_COLUMNS: tuple[str, ...] = tuple(f"u{i}" for i in range(1, 10))
REQUIRED_COLUMNS: tuple[str, ...] = (
    "upp",
    "periode",
    *UNSUR_COLUMNS,
    "ikm",
    "kategori",
    "jumlah_responden",
)
OPTIONAL_COLUMNS: tuple[str, ...] = ("layanan", "metode", "populasi")

# Header spellings seen in reports and spreadsheets, after _header_key() (case, spaces, dots,
# underscores and hyphens removed).
_ALIASES: dict[str, str] = {
    "upp": "upp",
    "unit": "upp",
    "unitpelayanan": "upp",
    "unitpelayananpublik": "upp",
    "unitpelayananpublikupp": "upp",
    "namaunit": "upp",
    "namaupp": "upp",
    "opdupp": "upp",
    "opdunitpelayananpublik": "upp",
    "periode": "periode",
    "periodesurvei": "periode",
    "periodepelaksanaan": "periode",
    "ikm": "ikm",
    "nilaiikm": "ikm",
    "indekskepuasanmasyarakat": "ikm",
    "kategori": "kategori",
    "mutu": "kategori",
    "kategorimutu": "kategori",
    "mutupelayanan": "kategori",
    "jumlahresponden": "jumlah_responden",
    "jumlahrespon": "jumlah_responden",
    "responden": "jumlah_responden",
    "n": "jumlah_responden",
    "layanan": "layanan",
    "jenislayanan": "layanan",
    "metode": "metode",
    "metodeskm": "metode",
    "populasi": "populasi",
    "jumlahpopulasi": "populasi",
    "populasipenggunalayanan": "populasi",
}
for _i in range(1, 10):
    _ALIASES[f"u{_i}"] = f"u{_i}"
    _ALIASES[f"unsur{_i}"] = f"u{_i}"


@dataclass(frozen=True)
class RawRow:
    """One data row: its row number as a spreadsheet shows it (header = its own row) and cells."""

    row: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()


@dataclass(frozen=True)
class RecapTable:
    """The rows of a recap file, the columns it has (canonical names), where it came from."""

    source: str
    columns: tuple[str, ...]
    rows: list[RawRow] = field(default_factory=list)


class RecapFileError(Exception):
    """The file cannot be read as a recap; ``message`` is the Indonesian text for the admin."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _header_key(text: str) -> str:
    return re.sub(r"[\s._\-/()]+", "", text.casefold())


def normalise_header(text: str) -> str | None:
    """Canonical column name for a header cell ("U 1" → "u1", "Jumlah Responden" →
    "jumlah_responden"), or ``None`` for a column the checks do not use."""
    return _ALIASES.get(_header_key(text))


def read_recap(path: str | Path) -> RecapTable:
    """Read a CSV (``,`` or ``;``, UTF-8 with or without BOM) or XLSX recap into raw rows."""
    path = Path(path)
    if not path.is_file():
        raise RecapFileError("file_missing", file_error("file_missing", path=str(path)))
    suffix = path.suffix.casefold()
    if suffix in {".xlsx", ".xlsm"}:
        grid = _xlsx_grid(path)
    elif suffix in {".csv", ".txt"}:
        grid = _csv_grid(path)
    else:
        raise RecapFileError("file_type", file_error("file_type", path=path.name))
    return _table(str(path), grid)


def _csv_grid(path: Path) -> list[tuple[int, list[str]]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecapFileError("file_encoding", file_error("file_encoding", path=path.name)) from exc
    if "\x00" in text:
        raise RecapFileError("file_unreadable", file_error("file_unreadable", path=path.name))
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # The header carries no decimals, so the delimiter is whichever separator it uses most; a
    # data line would mislead (decimal commas).
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid: list[tuple[int, list[str]]] = []
    try:
        for index, record in enumerate(reader, start=1):
            grid.append((index, record))
    except csv.Error as exc:
        raise RecapFileError("file_unreadable", file_error("file_unreadable", path=path.name)) from exc
    return grid


def _xlsx_grid(path: Path) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise RecapFileError("file_unreadable", file_error("file_unreadable", path=path.name)) from exc
    try:
        sheet = workbook.worksheets[0]
        return [
            (number, [_cell_text(cell.value, cell.number_format) for cell in cells])
            for number, cells in enumerate(sheet.iter_rows(min_row=1), start=1)
        ]
    finally:
        workbook.close()


_FIXED_DECIMALS = re.compile(r"0\.(0+)")


def _cell_text(value: object, number_format: str) -> str:
    """A cell as the text it shows. A number keeps its stored digits, padded to the decimals its
    format displays: 100 formatted "0.00" is "100.00" (two decimals written), 88.16 is "88.16"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
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
            written = len(text.partition(".")[2])
            if written < places:
                text = str(Decimal(text).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))
        return text
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _table(source: str, grid: list[tuple[int, list[str]]]) -> RecapTable:
    header_at = next((i for i, (_, cells) in enumerate(grid) if any(c.strip() for c in cells)), None)
    if header_at is None:
        raise RecapFileError("file_empty", file_error("file_empty", path=Path(source).name))
    _, header = grid[header_at]
    positions: dict[str, int] = {}
    for position, text in enumerate(header):
        column = normalise_header(text)
        if column is None:
            continue
        if column in positions:
            raise RecapFileError("column_duplicate", file_error("column_duplicate", column=text.strip()))
        positions[column] = position
    missing = [column for column in REQUIRED_COLUMNS if column not in positions]
    if missing:
        found = ", ".join(text.strip() for text in header if text.strip()) or "(kosong)"
        raise RecapFileError(
            "column_missing",
            file_error("column_missing", columns=", ".join(missing), found=found),
        )
    rows: list[RawRow] = []
    for number, cells in grid[header_at + 1 :]:
        if not any(c.strip() for c in cells):
            continue
        values = {
            column: (cells[position].strip() if position < len(cells) else "")
            for column, position in positions.items()
        }
        rows.append(RawRow(number, values))
    return RecapTable(source, tuple(positions), rows)
