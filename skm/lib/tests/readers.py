"""How spreadsheet programs may cut a CSV into fields, for tests of what people download."""

from __future__ import annotations

import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")

HOSTILE = [
    "salah isi;=cmd|' /C calc'!A0",
    "salah isi,=cmd|' /C calc'!A0",
    "=1+1",
    "+1",
    "-1",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    " =1+1",
    "＝1+1",
    "baris satu\r\n=1+1",
    "a; \t=1+1",
    '=HYPERLINK("http://x","klik")',
    'a;"=1+1',
    'a, "" =1+1',
]


def fields(text: str, delimiter: str, quoting: int, skip_space: bool) -> list[str]:
    """Every field a spreadsheet would see reading `text` with this separator, honouring double
    quotes (Excel, LibreOffice's default) or not (LibreOffice with no string delimiter). The BOM
    is left in, so the first field's opening quote is not seen as one: a reader that gets lost."""
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting, skipinitialspace=skip_space
    )
    return [field for row in reader for field in row]


def formula_fields(text: str) -> list[tuple[str, int, bool, str]]:
    """The fields that start a formula, blanks trimmed, under every way of reading `text`."""
    return [
        (delimiter, quoting, skip_space, field)
        for delimiter in (",", ";", "\t")
        for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_NONE)
        for skip_space in (False, True)
        for field in fields(text, delimiter, quoting, skip_space)
        if field.lstrip().startswith(FORMULA_STARTS)
    ]
