"""Reading a recap file (CSV or XLSX) into rows of raw strings (SPEC §8 "Recap checks").

A recap has one row per unit-period with the columns ``upp, periode, u1 … u9, ikm, kategori,
jumlah_responden`` and optionally ``layanan, metode, populasi``. Headers are matched loosely ("U 1",
"Jumlah Responden", "IKM", "Periode Survei"); cells stay strings, exactly as written, because the
checks judge each figure at the precision it was published with ("88,2" is not "88,20").

Every failure to read is a :class:`RecapFileError` with a message for the admin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from skm.lib.errors import message
from skm.lib.tabular import TableError, read_grid

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
    """The file cannot be read as a recap; ``message`` is the text for the admin."""

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
    try:
        grid = read_grid(path)
    except TableError as exc:
        raise RecapFileError(exc.code, exc.message) from None
    return _table(str(path), grid)


def read_recap_grid(source: str, grid: list[tuple[int, list[str]]]) -> RecapTable:
    """The recap in rows already read (:func:`skm.lib.tabular.read_grid` with the caller's limits,
    e.g. an upload's): the same header matching and errors as :func:`read_recap`."""
    return _table(source, grid)


def _table(source: str, grid: list[tuple[int, list[str]]]) -> RecapTable:
    header_at = next((i for i, (_, cells) in enumerate(grid) if any(c.strip() for c in cells)), None)
    if header_at is None:
        empty = TableError("file_empty", path=Path(source).name)
        raise RecapFileError(empty.code, empty.message)
    _, header = grid[header_at]
    positions: dict[str, int] = {}
    for position, text in enumerate(header):
        column = normalise_header(text)
        if column is None:
            continue
        if column in positions:
            raise RecapFileError("column_duplicate", message("column_duplicate", column=text.strip()))
        positions[column] = position
    missing = [column for column in REQUIRED_COLUMNS if column not in positions]
    if missing:
        found = ", ".join(text.strip() for text in header if text.strip())
        raise RecapFileError(
            "column_missing",
            message("recap_column_missing", columns=", ".join(missing), found=found),
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
