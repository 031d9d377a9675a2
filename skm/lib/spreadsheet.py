"""Text that goes into CSV/XLSX exports: never a formula (CWE-1236, "CSV injection").

A cell that starts with = + - @ (or a tab/carriage return before one) is read as a formula by
Excel, LibreOffice and Google Sheets. Such text from the public is prefixed with an apostrophe,
which spreadsheet programs show as plain text.
"""

from __future__ import annotations

from typing import Any

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: Any) -> Any:
    """`value` as it may be written to a spreadsheet cell: numbers as numbers, text defused."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    if text.startswith(_TRIGGERS):
        return "'" + text
    return text
