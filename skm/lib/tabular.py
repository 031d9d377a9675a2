"""Read a CSV or XLSX table into rows of strings keyed by normalised header names.

Shared by every importer (units, recaps, answers) so they accept the same files: CSV with `,`
or `;` (taken from the header line), UTF-8 with or without BOM, or the first sheet of an XLSX.
Cells come back as text exactly as a person typed them; numbers from XLSX are written without
float noise. Header matching ignores case, spaces and punctuation.

Rows are streamed (`iter_grid`) and never padded to the size a file declares for itself: an XLSX
row is as wide as its last cell holding text, whatever its `<dimension>` says. The reader stops at
the first row, column or cell beyond its `Limits`, with a message saying the limit and where it
was hit, so a small file cannot make it build or walk a large grid.

Over 400 lines on purpose: the CSV and XLSX readers share the limits and their checks, and every
check must sit in the loop that reads the bytes; split apart, a reader could skip one.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from skm.lib.errors import message

MAX_ROWS = 1_000_000
MAX_BYTES = 50 * 1024 * 1024
# Generous for the unit and recap files (a dozen columns or two), small enough that one row cannot
# turn into a grid.
MAX_COLUMNS = 1_000
# Excel's own limit on the characters in one cell.
MAX_CELL = 32_767
# Excel's own limit on the rows of a sheet: more lines (CSV) or row elements (XLSX), empty or not,
# is not a spreadsheet, and walking them would take time with nothing to show for it.
SHEET_ROWS = 1_048_576
# Uncompressed sizes of XLSX parts, taken from the zip's directory before anything is parsed (a
# 10 MB upload can inflate to gigabytes). The sheet is streamed, so its cap bounds time: a
# 100,000-row Google Forms export of 30 columns is about 120 MB of XML. Every other XML part
# (shared strings, styles, the workbook) openpyxl reads whole, so its cap bounds memory: the
# shared strings (distinct texts) of that export take a few MB.
SHEET_PART_BYTES = 256 * 1024 * 1024
OTHER_PART_BYTES = 16 * 1024 * 1024
# Distinct texts (XLSX shared strings) per row the limits allow: in a file of answers a row brings
# at most a time, a key and a suggestion of its own; everything else repeats (labels, codes).
TEXTS_PER_ROW = 3


class TableError(ValueError):
    """A file that cannot be read as a table: `code` is stable (skm.lib.errors, "Files"), the
    message is in the language active when it was raised."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        self.message = message(code, **fields)
        super().__init__(self.message)


@dataclass(frozen=True)
class Limits:
    """How much of a file a reader takes before refusing it (`iter_grid`)."""

    rows: int = MAX_ROWS  # rows holding text after the first one (the header)
    columns: int = MAX_COLUMNS  # up to a row's last cell holding text: empty trailing cells do not count
    cell: int = MAX_CELL  # characters in one cell
    bytes: int = MAX_BYTES  # the file as stored


def thousands(n: int) -> str:
    """12345 → '12.345' (Indonesian thousands separator)."""
    return f"{n:,}".replace(",", ".")


def column_name(index: int) -> str:
    """1 → 'A (ke-1)', 16384 → 'XFD (ke-16.384)': the letters a spreadsheet shows, and the count."""
    letters, n = "", index
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return _("{letters} (ke-{n})").format(letters=letters, n=thousands(index))


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


class _Rows:
    """The limit checks shared by both formats, applied row by row as the file is read."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name, self.limits, self.with_text = name, limits, 0

    def line(self, number: int) -> None:
        """Every line or row element, empty or not."""
        if number > SHEET_ROWS:
            raise TableError(
                "too_many_lines", path=self.name, limit=thousands(SHEET_ROWS), row=thousands(number)
            )

    def cells(self, row: int, cells: list[str]) -> list[str]:
        """A row holding text: counted, checked, and cut after its last cell holding text."""
        width = len(cells)
        while width and not cells[width - 1].strip():
            width -= 1
        self.shape(row, width)
        del cells[width:]
        self.lengths(row, cells)
        return cells

    def shape(self, row: int, width: int) -> None:
        """Count a row holding text, `width` cells up to its last one holding text."""
        self.with_text += 1
        limits = self.limits
        if self.with_text > limits.rows + 1:  # + the header
            raise TableError(
                "too_many_rows", path=self.name, limit=thousands(limits.rows), row=thousands(row)
            )
        if width > limits.columns:
            raise TableError(
                "too_many_columns",
                path=self.name,
                limit=thousands(limits.columns),
                row=thousands(row),
                column=column_name(width),
            )

    def lengths(self, row: int, cells: list[str]) -> None:
        for i, text in enumerate(cells):
            if len(text) > self.limits.cell:
                raise TableError(
                    "cell_too_long",
                    path=self.name,
                    row=thousands(row),
                    column=column_name(i + 1),
                    length=thousands(len(text)),
                    limit=thousands(self.limits.cell),
                )


def _csv_rows(stream: IO[bytes], name: str, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    check = _Rows(name, limits)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    number = 0
    try:
        # The header carries no decimals, so the delimiter is whichever separator it uses most; a
        # data line would mislead (decimal commas).
        first_line = text.readline()
        while first_line and not first_line.strip():
            first_line = text.readline()
        delimiter = max((";", ",", "\t"), key=first_line.count)
        text.seek(0)
        for number, cells in enumerate(csv.reader(text, delimiter=delimiter), start=1):
            check.line(number)
            if any(c.strip() for c in cells):
                yield number, check.cells(number, cells)
    except UnicodeDecodeError:
        raise TableError("file_encoding", path=name) from None
    except csv.Error as exc:
        if "field limit" in str(exc):  # the csv module's own cap (131,072), far above ours
            raise TableError(
                "line_cell_too_long", path=name, row=thousands(number + 1), limit=thousands(limits.cell)
            ) from None
        raise TableError("file_unreadable", path=name) from None  # a NUL byte, a broken quote


def _check_parts(stream: IO[bytes], name: str) -> None:
    """Refuse an XLSX whose parts inflate beyond SHEET_PART_BYTES / OTHER_PART_BYTES."""
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
    except Exception:  # not a zip, or a damaged one: zipfile raises many kinds
        raise TableError("file_unreadable", path=name) from None
    for part in parts:
        if not part.filename.lower().endswith((".xml", ".rels")):
            continue  # pictures and the like: openpyxl does not read them in read-only mode
        limit = SHEET_PART_BYTES if "worksheets/" in part.filename else OTHER_PART_BYTES
        if part.file_size > limit:
            raise TableError(
                "part_too_large",
                path=name,
                part=part.filename,
                size=thousands(part.file_size // 2**20),
                limit=thousands(limit // 2**20),
            )
    stream.seek(0)


def _workbook(stream: IO[bytes], name: str, limits: Limits) -> Any:
    """openpyxl's read-only workbook, its shared strings read without keeping their XML.

    openpyxl's own reader (read_string_table) keeps every parsed <si> element in the tree, cleared
    but there, some 150 bytes per text: 16 MB of short texts took 140 MB. Here the tree is emptied
    after each text, and there may be at most TEXTS_PER_ROW per row the limits allow."""
    from openpyxl.cell.text import Text
    from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    most = TEXTS_PER_ROW * (limits.rows + 1)
    text_tag, plain_tag = f"{{{SHEET_MAIN_NS}}}si", f"{{{SHEET_MAIN_NS}}}t"

    class Reader(ExcelReader):
        def read_strings(self) -> None:
            part = self.package.find(SHARED_STRINGS)
            if part is None:
                return
            texts: list[str] = []
            with self.archive.open(part.PartName[1:]) as source:
                root = None
                for event, element in iterparse(source, events=("start", "end")):
                    if root is None:
                        root = element  # <sst>
                    elif event == "end" and element.tag == text_tag:
                        if len(element) == 1 and element[0].tag == plain_tag:  # <si><t>…</t></si>
                            text = element[0].text or ""
                        else:  # rich text runs, phonetic hints
                            text = Text.from_tree(element).content
                        texts.append(text.replace("x005F_", ""))
                        root.clear()
                        if len(texts) > most:
                            raise TableError(
                                "too_many_texts", path=name, limit=thousands(most), per_row=TEXTS_PER_ROW
                            )
            self.shared_strings = texts

    reader = Reader(stream, read_only=True, data_only=True)
    try:
        reader.read()
    except ValueError as exc:  # openpyxl wraps what goes wrong while reading in a ValueError
        if isinstance(exc.__cause__, TableError):
            raise exc.__cause__ from None
        raise
    return reader.wb


def _xlsx_rows(stream: IO[bytes], name: str, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.worksheet._reader import ROW_TAG, WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    _check_parts(stream, name)
    try:
        workbook = _workbook(stream, name, limits)
        sheet = workbook.worksheets[0]
    except TableError:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise TableError("file_unreadable", path=name) from None
    check = _Rows(name, limits)
    formats: dict[int, str] = {}

    def number_format(style_id: int) -> str:
        if style_id not in formats:
            formats[style_id] = ReadOnlyCell(sheet, 0, 0, None, "n", style_id).number_format
        return formats[style_id]

    # openpyxl's own read-only rows (ReadOnlyWorksheet._cells_by_row) pad every row to the width
    # the sheet declares and yield an empty row for every missing row number: a 2 KB file declaring
    # A1:XFD1048576 became a grid of 17 billion cells. Here its parser reads one <row> at a time;
    # each row is dropped from the tree once read, and only its cells holding text are kept.
    sheet_data_tag = f"{{{SHEET_MAIN_NS}}}sheetData"
    elements = 0
    try:
        with sheet._get_source() as source:
            parser = WorkSheetParser(
                source,
                sheet._shared_strings,
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            sheet_data = None
            for event, element in iterparse(source, events=("start", "end")):
                if event == "start":
                    if element.tag == sheet_data_tag:
                        sheet_data = element
                    continue
                if element.tag == sheet_data_tag:
                    break  # what follows the cells (merges, validations, …) is not needed
                if element.tag != ROW_TAG:
                    continue
                row, parsed = parser.parse_row(element)
                parser.row_dimensions.clear()  # heights and styles of rows: kept per row, not needed
                if sheet_data is not None:
                    sheet_data.clear()
                elements += 1
                check.line(max(row, elements))
                texts: dict[int, str] = {}
                for cell in parsed:
                    value = cell["value"]
                    if value is None:
                        continue
                    numeric = isinstance(value, int | float) and not isinstance(value, bool)
                    text = cell_text(value, number_format(cell["style_id"]) if numeric else "")
                    if text:
                        texts[cell["column"]] = text
                if texts:
                    width = max(texts)  # a row is as wide as its last cell holding text
                    check.shape(row, width)
                    cells = [""] * width
                    for column, text in texts.items():
                        cells[column - 1] = text
                    check.lengths(row, cells)
                    yield row, cells
    except TableError:
        raise
    except Exception:
        raise TableError("file_unreadable", path=name) from None
    finally:
        workbook.close()


def iter_grid(
    source: str | Path | bytes, *, filename: str | None = None, limits: Limits | None = None
) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV or of the first XLSX sheet that hold text, as (row number, cells as text),
    read one at a time. A row stops at its last cell holding text. Raises TableError at the first
    row, column or cell beyond `limits`; the file's size and type are checked before reading."""
    limits = limits or Limits()
    opener: Callable[[], IO[bytes]]
    if isinstance(source, str | Path):
        path = Path(source)
        name = filename or path.name
        if not path.is_file():
            raise TableError("file_missing", path=str(path))
        size = path.stat().st_size
        opener = functools.partial(path.open, "rb")
    else:
        data = source
        name, size = filename or "unggahan", len(data)
        opener = functools.partial(io.BytesIO, data)
    if size > limits.bytes:
        raise TableError("file_too_large", path=name, limit=thousands(limits.bytes // 2**20))
    suffix = Path(name).suffix.casefold()
    if suffix in {".xlsx", ".xlsm"}:
        reader = _xlsx_rows
    elif suffix in {".csv", ".txt", ""}:
        reader = _csv_rows
    else:
        raise TableError("file_type", path=name)
    return _opened(opener, reader, name, limits)


def _opened(
    opener: Callable[[], IO[bytes]],
    reader: Callable[[IO[bytes], str, Limits], Iterator[tuple[int, list[str]]]],
    name: str,
    limits: Limits,
) -> Iterator[tuple[int, list[str]]]:
    with opener() as stream:
        yield from reader(stream, name, limits)


def read_grid(
    source: str | Path | bytes, *, filename: str | None = None, limits: Limits | None = None
) -> list[tuple[int, list[str]]]:
    """Every row of a CSV or of the first XLSX sheet that holds text (see `iter_grid`)."""
    return list(iter_grid(source, filename=filename, limits=limits))


def read_table(source: str | Path | bytes, *, filename: str | None = None) -> Table:
    """Read the table in `source` (a path, or bytes with `filename` telling the format)."""
    name = filename or (Path(source).name if isinstance(source, str | Path) else "unggahan")
    raw_headers: list[str] | None = None
    headers: list[str] = []
    out: list[tuple[int, dict[str, str]]] = []
    for number, row in iter_grid(source, filename=filename):
        cells = [str(c).strip() for c in row]
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
