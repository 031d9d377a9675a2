"""Import master data (Perangkat Daerah, UPP, jenis layanan) from CSV/XLSX: all rows or none.

Columns (header case and spacing free): perangkat_daerah, unit, jenis_unit; optional frekuensi,
populasi, layanan (names separated by ';'), kode (link code), dalam_pendampingan (ya/tidak).
An existing unit (same name in the Pemda) is updated and gains the services it lacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from skm.lib.errors import RowError
from skm.lib.tabular import Table, read_table, require_columns
from skm.organisation import lookup
from skm.organisation.models import (
    RESERVED_SERVICE_SLUGS,
    Frequency,
    Layanan,
    Pemda,
    PerangkatDaerah,
    Unit,
    UnitType,
)

REQUIRED = ("perangkat_daerah", "unit", "jenis_unit")
ALIASES = {
    "opd": "perangkat_daerah",
    "pd": "perangkat_daerah",
    "upp": "unit",
    "nama_upp": "unit",
    "nama_unit": "unit",
    "jenis": "jenis_unit",
    "tipe_unit": "jenis_unit",
    "frekuensi_survei": "frekuensi",
    "populasi_pengguna_layanan": "populasi",
    "jenis_layanan": "layanan",
}
FREQUENCIES = {
    "tahunan": Frequency.TAHUNAN,
    "semester": Frequency.SEMESTER,
    "semesteran": Frequency.SEMESTER,
    "triwulan": Frequency.TRIWULAN,
    "triwulanan": Frequency.TRIWULAN,
}
YES = {"ya", "y", "yes", "1", "true", "benar"}
NO = {"tidak", "t", "no", "0", "false", "", "salah"}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class UnitRow:
    row: int
    perangkat_daerah: str
    unit: str
    unit_type: UnitType
    frequency: str | None
    population: int | None
    services: list[str]
    slug: str | None
    accompanied: bool | None


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    rows: list[UnitRow] = field(default_factory=list)
    created_pd: int = 0
    created_units: int = 0
    updated_units: int = 0
    created_services: int = 0
    saved: bool = False


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _alias(table: Table) -> None:
    for i, header in enumerate(table.headers):
        if header in ALIASES and ALIASES[header] not in table.headers:
            table.headers[i] = ALIASES[header]
            for _, values in table.rows:
                if header in values:
                    values[ALIASES[header]] = values.pop(header)


def parse_rows(pemda: Pemda, table: Table) -> ImportResult:
    result = ImportResult()
    types = {t.name.lower(): t for t in pemda.unit_types.all()}
    seen: dict[str, int] = {}
    for number, values in table.rows:
        errors: list[RowError] = []
        pd_name, unit_name = _clean(values.get("perangkat_daerah", "")), _clean(values.get("unit", ""))
        for column, value in (("perangkat_daerah", pd_name), ("unit", unit_name)):
            if not value:
                errors.append(RowError(number, "required", {"column": column}))
            elif len(value) > 200:
                errors.append(RowError(number, "too_long", {"column": column, "limit": 200}))
        type_text = _clean(values.get("jenis_unit", ""))
        unit_type = types.get(type_text.lower())
        if not type_text:
            errors.append(RowError(number, "required", {"column": "jenis_unit"}))
        elif unit_type is None:
            choices = ", ".join(t.name for t in pemda.unit_types.all())
            errors.append(RowError(number, "unknown_unit_type", {"value": type_text, "choices": choices}))
        freq_text = _clean(values.get("frekuensi", "")).lower()
        frequency = FREQUENCIES.get(freq_text) if freq_text else None
        if freq_text and frequency is None:
            errors.append(RowError(number, "unknown_frequency", {"value": freq_text}))
        pop_text = _clean(values.get("populasi", "")).replace(".", "").replace(",", "")
        population = None
        if pop_text:
            if pop_text.isdigit():
                population = int(pop_text)
            else:
                errors.append(
                    RowError(number, "not_a_count", {"value": values.get("populasi"), "column": "populasi"})
                )
        services: list[str] = []
        for name in (_clean(s) for s in values.get("layanan", "").split(";")):
            if not name:
                continue
            if name.lower() in (s.lower() for s in services):
                errors.append(RowError(number, "duplicate_service", {"value": name}))
            elif len(name) > 200:
                errors.append(RowError(number, "too_long", {"column": "layanan", "limit": 200}))
            else:
                services.append(name)
        slug = _clean(values.get("kode", "")) or None
        if slug and not SLUG_RE.match(slug):
            errors.append(RowError(number, "bad_slug", {"value": slug}))
        acc_text = _clean(values.get("dalam_pendampingan", "")).lower()
        accompanied = None
        if "dalam_pendampingan" in values:
            if acc_text in YES:
                accompanied = True
            elif acc_text in NO:
                accompanied = False
            else:
                errors.append(
                    RowError(number, "not_a_boolean", {"value": acc_text, "column": "dalam_pendampingan"})
                )
        if unit_name:
            key = unit_name.lower()
            if key in seen:
                errors.append(RowError(number, "duplicate_in_file", {"value": unit_name, "other": seen[key]}))
            else:
                seen[key] = number
        if errors:
            result.errors.extend(errors)
            continue
        assert unit_type is not None
        result.rows.append(
            UnitRow(number, pd_name, unit_name, unit_type, frequency, population, services, slug, accompanied)
        )
    return result


def _unique_slug(base: str, pemda: Pemda, taken: set[str]) -> str:
    base = slugify(base)[:70] or "upp"
    taken |= RESERVED_SERVICE_SLUGS
    candidates = [base, f"{base}-{pemda.slug}"[:80]] + [f"{base}-{i}" for i in range(2, 1000)]
    for candidate in candidates:
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise RuntimeError("no free slug")


def import_units(
    pemda: Pemda, source: str | Path | bytes, *, filename: str | None = None, dry_run: bool = False
) -> ImportResult:
    """Validate every row, then save all of them in one transaction, or none if any row is wrong."""
    table = read_table(source, filename=filename)
    _alias(table)
    require_columns(table, REQUIRED)
    result = parse_rows(pemda, table)
    existing = {
        u.name.lower(): u for u in Unit.objects.filter(pemda=pemda).select_related("perangkat_daerah")
    }
    taken = set(Unit.objects.values_list("slug", flat=True))
    for row in result.rows:
        unit = existing.get(row.unit.lower())
        if unit is not None and unit.perangkat_daerah.name.lower() != row.perangkat_daerah.lower():
            result.errors.append(
                RowError(row.row, "moved_pd", {"value": row.unit, "current": unit.perangkat_daerah.name})
            )
        if row.slug and row.slug in taken and (unit is None or unit.slug != row.slug):
            result.errors.append(RowError(row.row, "slug_taken", {"value": row.slug}))
    result.errors.sort(key=lambda e: e.row)
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        pds = {pd.name.lower(): pd for pd in PerangkatDaerah.objects.filter(pemda=pemda)}
        next_pd = len(pds)
        next_unit = Unit.objects.filter(pemda=pemda).count()
        for row in result.rows:
            pd = pds.get(row.perangkat_daerah.lower())
            if pd is None:
                next_pd += 1
                pd = pds[row.perangkat_daerah.lower()] = PerangkatDaerah.objects.create(
                    pemda=pemda, name=row.perangkat_daerah, position=next_pd
                )
                result.created_pd += 1
            unit = existing.get(row.unit.lower())
            if unit is None:
                next_unit += 1
                unit = Unit.objects.create(
                    pemda=pemda,
                    perangkat_daerah=pd,
                    name=row.unit,
                    slug=row.slug if row.slug else _unique_slug(row.unit, pemda, taken),
                    unit_type=row.unit_type,
                    frequency=row.frequency or Frequency.TAHUNAN,
                    population=row.population,
                    accompanied=bool(row.accompanied),
                    position=next_unit,
                )
                if row.slug:
                    taken.add(row.slug)
                result.created_units += 1
            else:
                unit.unit_type = row.unit_type
                if row.frequency:
                    unit.frequency = row.frequency
                if row.population is not None:
                    unit.population = row.population
                if row.accompanied is not None:
                    unit.accompanied = row.accompanied
                if row.slug:
                    unit.slug = row.slug
                unit.save()
                result.updated_units += 1
            have = {s.lower() for s in unit.services.values_list("name", flat=True)}
            slugs = set(unit.services.values_list("slug", flat=True))
            new = []
            for position, name in enumerate(row.services, start=len(have) + 1):
                if name.lower() in have:
                    continue
                new.append(
                    Layanan(unit=unit, name=name, slug=_unique_slug(name, pemda, slugs), position=position)
                )
            Layanan.objects.bulk_create(new)
            result.created_services += len(new)
    lookup.forget()  # bulk_create sends no signal: tell every process's unit cache
    result.saved = True
    return result
