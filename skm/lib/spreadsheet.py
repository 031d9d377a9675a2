"""Text that goes into CSV/XLSX exports: never a formula (CWE-1236, "CSV injection").

A cell that starts with = + - @ (or a tab/carriage return before one) is read as a formula by
Excel, LibreOffice and Google Sheets. Such text from the public is prefixed with an apostrophe,
which spreadsheet programs show as plain text.

A CSV has a second way in: the reader chooses the separator. Excel takes the system's list
separator, which is ";" under Indonesian regional settings (the decimal separator is ","), and
LibreOffice asks. Excel and LibreOffice honour double quotes whatever the separator, so every field
is quoted; a reader that ignores quotes (LibreOffice with an empty "string delimiter", a script that
splits lines) would still cut "a;=b" into "a" and "=b", so text after a comma, semicolon, tab or line
break that would start a formula is defused too. (Checked by importing such files into LibreOffice
7.4 with "Evaluate formulas" on, for , ; and tab, string delimiter " ' or none, spaces trimmed or
not.) LibreOffice's "Space" separator is not covered: defusing every " -" would mangle ordinary
sentences.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

# What makes a formula once leading whitespace is trimmed, with the full-width forms some input
# methods type.
_FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Tab and line breaks in front of anything: some readers drop them and read what follows.
_TRIGGERS = (*_FORMULA_STARTS, "\t", "\r", "\n")
_SEPARATORS = ",;\t\r\n"
# After a separator, blanks that are not separators themselves and double quotes (a reader that
# splits there may read '""=1' as an empty quoted string followed by "=1"), then a formula start.
# The apostrophe goes right after the last separator, so the field such a reader gets starts with it
# (and a "\r\n" pair is not broken up).
_AFTER_SEPARATOR = re.compile(
    r"(?<=[" + re.escape(_SEPARATORS) + r"])"
    r'(?=(?:[^\S\t\r\n]|")*[' + re.escape("".join(_FORMULA_STARTS)) + "])"
)


def safe_cell(value: Any) -> Any:
    """`value` as it may be written to a spreadsheet cell: numbers as numbers, text defused."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    if text.startswith(_TRIGGERS) or text.lstrip().startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def safe_csv_field(value: Any) -> Any:
    """`value` as a CSV field: `safe_cell`, and no formula after a `,` `;` tab or line break in it."""
    value = safe_cell(value)
    if isinstance(value, str):
        return _AFTER_SEPARATOR.sub("'", value)
    return value


class TextSink(Protocol):
    def write(self, text: str, /) -> Any: ...


class SafeCsvWriter:
    """A csv writer for files people open in a spreadsheet: every field quoted and defused."""

    def __init__(self, stream: TextSink) -> None:
        self._writer = csv.writer(stream, quoting=csv.QUOTE_ALL)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_csv_field(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_csv_writer(stream: TextSink) -> SafeCsvWriter:
    """The one way to write a CSV for people: `stream` gets a BOM (without one Excel reads the
    file in the Windows code page), then quoted, defused rows."""
    stream.write("\ufeff")
    return SafeCsvWriter(stream)


def append_safe_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append `values` to an openpyxl worksheet, text through `safe_cell` and typed as text.

    openpyxl stores a string that starts with "=" as a formula and "#N/A" and the like as errors;
    forcing the text type makes every string a string cell, whatever `safe_cell` lets through.
    Numbers, dates and times keep their types.
    """
    from openpyxl.cell import Cell

    cells = []
    for value in values:
        if not isinstance(value, dt.date | dt.time | dt.timedelta | Decimal):
            value = safe_cell(value)
        cell = Cell(sheet, value=value)
        if isinstance(cell.value, str):
            cell.data_type = "s"
        cells.append(cell)
    sheet.append(cells)
