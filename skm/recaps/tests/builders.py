"""Small builders for recap files: rows as dicts of published text, written to CSV or XLSX."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

HEADER = [
    "UPP",
    "Periode",
    *[f"U{i}" for i in range(1, 10)],
    "IKM",
    "Kategori",
    "Jumlah Responden",
    "Layanan",
    "Metode",
    "Populasi",
]
KEYS = [
    "upp",
    "periode",
    *[f"u{i}" for i in range(1, 10)],
    "ikm",
    "kategori",
    "n",
    "layanan",
    "metode",
    "populasi",
]


def row(
    upp: str,
    periode: str,
    unsur: str | list[str] = "",
    ikm: str = "",
    kategori: str = "",
    n: str | int = "",
    *,
    layanan: str = "",
    metode: str = "",
    populasi: str | int = "",
) -> dict[str, str]:
    """One recap row as published. ``unsur`` is nine values, a list or one space-separated
    string copied from a report ("3,379 3,407 …")."""
    values = unsur.split() if isinstance(unsur, str) else list(unsur)
    if values and len(values) != 9:
        raise ValueError(f"nine unsur values expected, got {len(values)}")
    cells = {
        "upp": upp,
        "periode": periode,
        "ikm": ikm,
        "kategori": kategori,
        "n": str(n),
        "layanan": layanan,
        "metode": metode,
        "populasi": str(populasi),
    }
    for i in range(9):
        cells[f"u{i + 1}"] = values[i] if values else ""
    return cells


def _with_decimal(text: str, decimal: str) -> str:
    return text.replace(",", decimal) if decimal != "," else text


def write_csv(
    path: Path,
    rows: list[dict[str, str]],
    *,
    delimiter: str = ";",
    decimal: str = ",",
    header: list[str] | None = None,
    bom: bool = False,
) -> Path:
    """Write rows as CSV; ``decimal="."`` turns every "88,16" into "88.16"."""
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header or HEADER)
        for cells in rows:
            writer.writerow([_with_decimal(cells[key], decimal) for key in KEYS])
    return path


def _numeric(text: str) -> object:
    """A published figure as Excel would hold it in a number cell, with a display format
    keeping its written decimals ("88,20" → 88.2 shown "0.00")."""
    if not text:
        return None
    plain = text.replace(".", "").replace(",", ".")
    value = Decimal(plain)
    if value == value.to_integral_value() and "." not in plain:
        return int(value)
    return float(value)


def write_xlsx(
    path: Path,
    rows: list[dict[str, str]],
    *,
    numeric: bool = True,
    header: list[str] | None = None,
) -> Path:
    """Write rows as XLSX: figures as real numeric cells (``numeric``) or as text cells."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or HEADER)
    for index, cells in enumerate(rows, start=2):
        for column, key in enumerate(KEYS, start=1):
            text = cells[key]
            cell = sheet.cell(row=index, column=column)
            if numeric and key not in {"upp", "periode", "kategori", "layanan", "metode"}:
                cell.value = _numeric(text)
                decimals = len(text.partition(",")[2])
                if decimals:
                    cell.number_format = "0." + "0" * decimals
            else:
                cell.value = text or None
    workbook.save(path)
    return path
