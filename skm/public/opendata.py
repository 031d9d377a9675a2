"""A Pemda's open data: a Frictionless Data Package built from skm.results (SPEC §6, issue 26).

:func:`build` writes every file — ``datapackage.json`` and, per table of
skm.public.opendata_schema, ``<name>.csv`` and ``<name>.json`` with the same rows — into
OpenDataFile rows, replacing the Pemda's previous files in one transaction. Requests serve the
stored bytes and never compute (skm.public.views_data); the files are rebuilt when a period closes
or reopens (skm.public.signals → the task in skm.public.tasks) and nightly (`skm opendata`).

Rows: every closed period, its figures read from its current snapshot (skm.results.freeze), status
"final" with its version and cut-off; and the running year from 1 January to the build day, live,
status "sementara". Aggregates only: no answer, no contact, no device, no suggestion but the
published ones (skm.public.published). Numbers are written with a decimal dot at the precision the
staff pages show (IKM and converted values at the Pemda's display precision, NRR at
skm.results.present.NRR_PLACES), rounded half up by the scoring core.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from skm.collection import spans
from skm.instrument.defaults import PROFILE_FIELDS
from skm.instrument.spec import current_spec
from skm.lib import dates
from skm.lib.spreadsheet import safe_csv_field, safe_csv_writer
from skm.organisation.models import Layanan, Pemda, Period, Unit
from skm.public.models import Licence, OpenData, OpenDataFile
from skm.public.opendata_schema import Resource, resources
from skm.public.published import published_suggestions
from skm.results import freeze
from skm.results.compute import element_order, pemda_result, unit_results, unsur_labels
from skm.results.metode import metode_skm
from skm.results.present import NRR_PLACES
from skm.scoring.aggregate import Level, Method
from skm.scoring.bands import Band
from skm.scoring.rounding import round_half_up
from skm.scoring.sample import sample_adequacy

PACKAGE = "datapackage.json"
BLANK = "tidak_diisi"  # the option code of a profile question left blank


@dataclass(frozen=True)
class Span:
    """One period of the package: a closed period (with its snapshot) or the running year."""

    code: str
    label: str
    kind: str
    year: int
    start: dt.date
    end: dt.date
    final: bool
    version: int | None
    cut_off: dt.datetime

    @property
    def status(self) -> str:
        return "final" if self.final else "sementara"


@dataclass(frozen=True)
class Built:
    name: str
    media_type: str
    body: bytes


def package_name(pemda: Pemda) -> str:
    return f"skm-{pemda.slug}"


def _period_code(period: Period) -> str:
    if period.kind == Period.Kind.CUSTOM:
        return f"{period.year}-custom-{period.pk}"
    return f"{period.year}-{period.kind}"


def spans_of(pemda: Pemda, now: dt.datetime) -> list[Span]:
    """The Pemda's closed periods (current snapshot of each), oldest first, then the running year."""
    current = freeze.current_of(freeze.snapshots_of(pemda))
    out = []
    for (start, end), snapshot in sorted(current.items(), key=lambda item: (item[0], item[1].period.kind)):
        period = snapshot.period
        out.append(
            Span(
                _period_code(period),
                period.display_label,
                period.kind,
                period.year,
                start,
                end,
                True,
                snapshot.version,
                snapshot.cut_off,
            )
        )
    today = timezone.localtime(now, pemda.tz).date()
    out.append(
        Span(
            f"{today.year}-berjalan",
            f"Tahun {today.year} s.d. {dates.format_date(today, 'id')} (sementara)",
            "berjalan",
            today.year,
            dt.date(today.year, 1, 1),
            today,
            False,
            None,
            now,
        )
    )
    return out


def _num(value: Fraction | Decimal | None, places: int) -> Decimal | None:
    return None if value is None else round_half_up(value, places)


def _band(band: Band | None) -> tuple[str | None, str | None]:
    return (band.mutu, band.kinerja) if band else (None, None)


def _period_row(span: Span) -> dict[str, Any]:
    return {
        "periode_kode": span.code,
        "periode_label": span.label,
        "jenis": span.kind,
        "tahun": span.year,
        "mulai": span.start,
        "selesai": span.end,
        "status": span.status,
        "versi_snapshot": span.version,
        "batas_data": span.cut_off.astimezone(dt.UTC).replace(microsecond=0),
    }


def _pemda_rows(pemda: Pemda, span: Span, places: int) -> Iterator[dict[str, Any]]:
    own = Method(pemda.aggregation_method)
    for method in Method:
        for level in (Level.PEMDA, Level.SERVICE):
            result = pemda_result(pemda, span.start, span.end, method=method, level=level).result
            mutu, kinerja = _band(result.band)
            yield {
                "periode_kode": span.code,
                "metode": method.value,
                "metode_label": method.label,
                "tingkat": level.value,
                "metode_pemda": method is own and level is Level.PEMDA,
                "ikm": _num(result.ikm, places),
                "mutu": mutu,
                "kinerja": kinerja,
                "n": result.n,
                "bagian": result.parts,
                "keterangan": result.description,
            }


@dataclass
class Tables:
    periode: list[dict[str, Any]]
    pemda: list[dict[str, Any]]
    unit: list[dict[str, Any]]
    unsur: list[dict[str, Any]]
    layanan: list[dict[str, Any]]
    profil: list[dict[str, Any]]
    saran: list[dict[str, Any]]

    def by_resource(self) -> dict[str, list[dict[str, Any]]]:
        return {
            "periode": self.periode,
            "hasil-pemda": self.pemda,
            "hasil-unit": self.unit,
            "hasil-unsur": self.unsur,
            "hasil-layanan": self.layanan,
            "profil": self.profil,
            "saran-terbit": self.saran,
        }


def _profile_labels(pemda: Pemda) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Each profile question with its options, as the Pemda labels them (the default otherwise)."""
    spec = current_spec(pemda.pk)
    own = {p.key: p for p in spec.profile} if spec else {}
    out = []
    for key, label, options in PROFILE_FIELDS:
        found = own.get(key)
        names = {o.code: o.label for o in found.options} if found else {}
        out.append(
            (
                key,
                found.label if found else str(label),
                [(code, names.get(code) or str(name)) for code, name in options],
            )
        )
    return out


def collect(pemda: Pemda, now: dt.datetime) -> Tables:
    """Every table's rows: closed periods from their snapshots, the running year live."""
    places = pemda.display_precision
    order = element_order(pemda)
    labels = unsur_labels(pemda)
    spec = current_spec(pemda.pk)
    numbers = {q.element: q.code for q in spec.ikm_questions} if spec else {}
    profile = _profile_labels(pemda)
    units = list(
        Unit.objects.filter(pemda=pemda)
        .select_related("pemda", "perangkat_daerah", "unit_type")
        .order_by("perangkat_daerah__position", "perangkat_daerah__name", "position", "name")
    )
    by_pk = {u.pk: u for u in units}
    services = {s.pk: s for s in Layanan.objects.filter(unit__pemda=pemda).order_by("position", "name")}
    tables = Tables([], [], [], [], [], [], [])
    with freeze.reading_for(pemda):
        for span in spans_of(pemda, now):
            tables.periode.append(_period_row(span))
            tables.pemda.extend(_pemda_rows(pemda, span, places))
            counts = spans.summed(
                span.start,
                span.end,
                by=("unit_id", "service_key"),
                columns=("n",),
                pemda=pemda,
                is_excluded=False,
            )
            answered: dict[int, int] = {}
            for (unit_id, _service), sums in counts.items():
                answered[unit_id] = answered.get(unit_id, 0) + sums["n"]
            for unit in units:
                n = answered.get(unit.pk, 0)
                if not n and not unit.active:
                    continue  # an inactive unit appears only in periods it has answers in
                tables.unit.append(_unit_row(span, unit, places, n, tables, order, labels, numbers, profile))
            for (unit_id, service_key), sums in counts.items():
                service = services.get(service_key) if service_key else None
                if service is None or service.unit_id != unit_id or not sums["n"]:
                    continue
                found = by_pk[unit_id]
                score = unit_results(found, span.start, span.end, service=service)[0].score
                if not score.n:
                    continue
                mutu, kinerja = _band(score.band)
                tables.layanan.append(
                    {
                        "periode_kode": span.code,
                        "unit_kode": found.slug,
                        "layanan_kode": service.slug,
                        "layanan_nama": service.name,
                        "ikm": _num(score.ikm, places),
                        "mutu": mutu,
                        "kinerja": kinerja,
                        "n": score.n,
                    }
                )
    tables.layanan.sort(key=lambda r: (r["periode_kode"], r["unit_kode"], r["layanan_kode"]))
    for item in published_suggestions(pemda, limit=None):
        tables.saran.append(
            {
                "saran_id": item.answer_id,
                "unit_kode": item.unit_slug,
                "unit_nama": item.unit_name,
                "layanan_nama": item.service or None,
                "tanggal": item.submitted,
                "saran": safe_csv_field(item.suggestion),
                "status": item.status,
                "balasan": safe_csv_field(item.reply) or None,
                "tanggal_balasan": item.replied,
            }
        )
    return tables


def _unit_row(
    span: Span,
    unit: Unit,
    places: int,
    n: int,
    tables: Tables,
    order: Sequence[str],
    labels: dict[str, str],
    numbers: dict[str, str],
    profile: list[tuple[str, str, list[tuple[str, str]]]],
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "periode_kode": span.code,
        "periode_label": span.label,
        "mulai": span.start,
        "selesai": span.end,
        "status": span.status,
        "versi_snapshot": span.version,
        "unit_kode": unit.slug,
        "unit_nama": unit.name,
        "perangkat_daerah": unit.perangkat_daerah.name,
        "jenis_unit": unit.unit_type.name,
        "ikm": None,
        "mutu": None,
        "kinerja": None,
        "n": 0,
        "selang_bawah": None,
        "selang_atas": None,
        "populasi": unit.population,
        "sampel_minimal": None,
        "sampel_memadai": None,
        "metode_skm": None,
    }
    if not n:  # no counted answer: no figure, never an IKM of 0
        sample = sample_adequacy(0, unit.population)
        row["sampel_minimal"], row["sampel_memadai"] = sample.required, sample.adequate
        return row
    result = unit_results(unit, span.start, span.end)[0]
    score = result.score
    metode = metode_skm(result.channels)
    row.update(
        ikm=_num(score.ikm, places),
        mutu=score.band.mutu if score.band else None,
        kinerja=score.band.kinerja if score.band else None,
        n=score.n,
        selang_bawah=_num(result.interval.low, places) if result.interval else None,
        selang_atas=_num(result.interval.high, places) if result.interval else None,
        sampel_minimal=result.sample.required,
        sampel_memadai=result.sample.adequate,
        metode_skm=metode.value if metode else None,
    )
    for position, element in enumerate(order, start=1):
        unsur = score.unsur.get(element)
        tally = score.tallies.get(element)
        if unsur is None:
            continue  # nobody answered it: no NRR
        tables.unsur.append(
            {
                "periode_kode": span.code,
                "unit_kode": unit.slug,
                "unsur_kode": element,
                "unsur_no": numbers.get(element, f"U{position}"),
                "unsur_nama": labels[element],
                "urutan": position,
                "jawaban": tally.count if tally else 0,
                "nrr": _num(unsur.nrr, NRR_PLACES),
                "nilai_konversi": _num(unsur.converted, places),
                "mutu": unsur.band.mutu if unsur.band else None,
            }
        )
    for key, question, options in profile:
        counts = result.profile.get(key, {})
        stated = [(code, name, int(counts.get(code, 0))) for code, name in options]
        blank = max(0, score.n - sum(c for _code, _name, c in stated))
        if blank:
            stated.append((BLANK, "Tidak diisi", blank))
        for code, name, count in stated:
            tables.profil.append(
                {
                    "periode_kode": span.code,
                    "unit_kode": unit.slug,
                    "pertanyaan_kode": key,
                    "pertanyaan": question,
                    "pilihan_kode": code,
                    "pilihan": name,
                    "jumlah": count,
                }
            )
    return row


# --------------------------------------------------------------------------- files


def _text(value: Any) -> Any:
    """A cell of the CSV: dates ISO, numbers with a dot, booleans true/false, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # rounded by round_half_up: always "88.93", never an exponent
    return value


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime):
        return _text(value)
    return value


def csv_bytes(resource: Resource, rows: list[dict[str, Any]]) -> bytes:
    """The CSV people open in a spreadsheet: a BOM, every field quoted and defused
    (skm.lib.spreadsheet), a header of the schema's field names."""
    stream = io.StringIO()
    writer = safe_csv_writer(stream)
    writer.writerow(resource.names)
    for row in rows:
        writer.writerow([_text(row[name]) for name in resource.names])
    return stream.getvalue().encode("utf-8")


def json_bytes(resource: Resource, rows: list[dict[str, Any]]) -> bytes:
    """The same rows as a JSON array of objects (keys the schema's field names, null for empty)."""
    data = [{name: _json_value(row[name]) for name in resource.names} for row in rows]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def descriptor(pemda: Pemda, licence: str, now: dt.datetime, files: dict[str, bytes]) -> dict[str, Any]:
    """datapackage.json: the package, its licence and a Table Schema per resource (CSV paths)."""
    with translation.override("id"):
        title = str(dict(Licence.choices).get(licence, licence))
    places = pemda.display_precision
    return {
        "profile": "tabular-data-package",
        "name": package_name(pemda),
        "title": f"Hasil Survei Kepuasan Masyarakat {pemda.name} / Community Satisfaction Survey results",
        "description": (
            f"Hasil agregat SKM {pemda.name} (PermenPAN-RB 14/2017): periode yang sudah ditutup (final, dari "
            "snapshot) dan tahun berjalan (sementara). Angka desimal memakai titik; IKM dan nilai konversi "
            f"{places} desimal, NRR {NRR_PLACES} desimal, dibulatkan setengah ke atas. Setiap tabel tersedia "
            "sebagai CSV dan JSON dengan baris yang sama. / Aggregate SKM results: closed periods (final, "
            "from their snapshot) and the running year (provisional). Decimal dot; IKM and converted values "
            f"to {places} decimals, NRR to {NRR_PLACES}, rounded half up. Each table as CSV and as JSON with "
            "the same rows."
        ),
        "version": now.astimezone(dt.UTC).strftime("%Y.%m.%d.%H%M%S"),
        "created": now.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "licenses": [{"name": licence, "path": LICENCE_URLS.get(licence, ""), "title": title}],
        "keywords": ["SKM", "IKM", "survei kepuasan masyarakat", pemda.name],
        "resources": [
            {
                "name": resource.name,
                "path": f"{resource.name}.csv",
                "title": resource.title,
                "description": resource.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "bytes": len(files[f"{resource.name}.csv"]),
                "hash": "sha256:" + hashlib.sha256(files[f"{resource.name}.csv"]).hexdigest(),
                "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
                "schema": resource.schema(),
            }
            for resource in resources(places, NRR_PLACES)
        ],
    }


LICENCE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "ODbL-1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
}


def render(pemda: Pemda, now: dt.datetime, licence: str) -> list[Built]:
    """Every file of the package, in memory (nothing stored)."""
    tables = collect(pemda, now).by_resource()
    files: dict[str, bytes] = {}
    for resource in resources(pemda.display_precision, NRR_PLACES):
        rows = tables[resource.name]
        files[f"{resource.name}.csv"] = csv_bytes(resource, rows)
        files[f"{resource.name}.json"] = json_bytes(resource, rows)
    package = json.dumps(descriptor(pemda, licence, now, files), ensure_ascii=False, indent=1).encode("utf-8")
    built = [Built(PACKAGE, "application/json", package)]
    for name, body in files.items():
        built.append(Built(name, "text/csv" if name.endswith(".csv") else "application/json", body))
    return built


@dataclass(frozen=True)
class BuildReport:
    files: int
    bytes: int
    seconds: float


def build(pemda: Pemda, *, now: dt.datetime | None = None) -> BuildReport:
    """Compute and store every file of the Pemda's package, replacing the old ones atomically."""
    started = time.perf_counter()
    now = now or timezone.now()
    settings, _created = OpenData.objects.get_or_create(pemda=pemda)
    built = render(pemda, now, settings.licence)
    with transaction.atomic():
        OpenDataFile.objects.filter(pemda=pemda).delete()
        OpenDataFile.objects.bulk_create(
            OpenDataFile(
                pemda=pemda,
                name=b.name,
                media_type=b.media_type,
                body=b.body,
                sha256=hashlib.sha256(b.body).hexdigest(),
                built_at=now,
            )
            for b in built
        )
        OpenData.objects.filter(pemda=pemda).update(built_at=now)
    return BuildReport(len(built), sum(len(b.body) for b in built), time.perf_counter() - started)


def file_names(pemda: Pemda) -> list[str]:
    """The stable names the package has (whether or not it is built yet)."""
    names = [PACKAGE]
    for resource in resources(pemda.display_precision, NRR_PLACES):
        names += [f"{resource.name}.csv", f"{resource.name}.json"]
    return names
