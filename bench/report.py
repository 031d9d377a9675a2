"""Benchmark: the Laporan Pelaksanaan SKM of a closed year in every format (issue 25, Speed).

    .venv/bin/python bench/report.py [--answers 100000] [--runs 3]
        [--database-url postgresql://postgres@127.0.0.1:5432/postgres | --sqlite] [--keep]

Seeds one Pemda of 156 units (Kota Banjarmasin, seed 001) with N answers over 2026 exactly as
bench/results_pages.py does (its `seed`), closes the Tahunan 2026 (its snapshot), gives ten units
an RTL with realised items so the realisation column is filled, then times, median of --runs:

- reading the report's figures from the snapshot (`content.build`),
- each format: DOCX (docxtpl, the default four-chapter template), PDF (LibreOffice converting that
  DOCX; unsigned), XLSX (openpyxl),
- and the baseline, LibreOffice alone opening the produced DOCX and converting it to PDF, timed in
  the same run by the same call (`pdf.convert`) on the same bytes.

Goal: all three formats in < 60 s; each format's time is printed beside the baseline as a ratio.
The DOCX's and PDF's page counts are printed (pdfinfo).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results_pages import UNITS, YEAR, on_bench_database, seed  # noqa: E402


def timed(run: Callable[[], Any], times: int) -> tuple[float, Any]:
    """Median seconds of `times` runs, and the last run's result."""
    seconds, result = [], None
    for _ in range(times):
        started = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def pages(pdf: bytes, folder: Path) -> int:
    path = folder / "count.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"Pages:\s+(\d+)", info)
    return int(found.group(1)) if found else 0


def add_rtl(pemda: Any, period: Any, rng: random.Random) -> None:
    """Ten units plan and realise RTL items for the year (the previous-period column needs an
    earlier closed period; this fills the plan columns)."""
    from skm.followup.models import Rtl, RtlItem
    from skm.organisation.models import Unit

    for unit in Unit.objects.filter(pemda=pemda).order_by("position")[:10]:
        plan = Rtl.objects.create(unit=unit, period=period, suggested=["waktu"], chosen=["waktu", "biaya"])
        for element in ("waktu", "biaya"):
            RtlItem.objects.create(
                rtl=plan,
                element=element,
                action=f"Perbaikan {element}: pelatihan petugas dan papan informasi",
                responsible="Kepala unit",
                target_date=dt.date(YEAR + 1, 6, 30),
                realisation=rng.choice([None, 50, 100]),
            )


def run(args: argparse.Namespace, folder: Path) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from skm.organisation.models import Period
    from skm.reports import content, docx, pdf
    from skm.reports.xlsx import render_xlsx
    from skm.results import freeze

    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    world = seed(args.answers, rng)
    pemda = world["pemda"]
    period = Period.objects.get(pemda=pemda, kind="tahunan", year=YEAR)
    started = time.perf_counter()
    freeze.close_period(period)
    period.refresh_from_db()
    closed = time.perf_counter() - started
    add_rtl(pemda, period, rng)
    print(
        f"{connection.vendor}: {args.answers:,} answers, {UNITS} units; insert {world['insert_s']:.1f} s, "
        f"rollups {world['rollup_s']:.1f} s, close (snapshot) {closed:.2f} s"
    )
    docx.render_docx(content.build(period))  # warm: imports (WeasyPrint for the chart, docxtpl, lxml)
    build_s, report = timed(lambda: content.build(period), args.runs)
    docx_s, document = timed(lambda: docx.render_docx(report), args.runs)
    pdf_s, made = timed(lambda: pdf.render_pdf(document), args.runs)
    xlsx_s, sheet = timed(lambda: render_xlsx(report), args.runs)
    base_s, converted = timed(lambda: pdf.convert(document), args.runs)
    total = build_s + docx_s + pdf_s + xlsx_s
    print(
        f"report: {len(report.rows)} unit rows, IKM {float(report.total.result.ikm):.4f}, snapshot v{report.snapshot.version}"
    )
    print(
        f"DOCX {len(document):,} bytes, {pages(converted, folder)} pages; PDF {len(made):,} bytes, {pages(made, folder)} pages; XLSX {len(sheet):,} bytes"
    )
    print(
        f"\nmedian of {args.runs} runs; baseline = LibreOffice alone converting the produced DOCX ({base_s:.2f} s)"
    )
    print(f"  {'step':<26}{'seconds':>9}{'÷ LibreOffice':>15}")
    for label, seconds in (
        ("figures from the snapshot", build_s),
        ("DOCX (docxtpl)", docx_s),
        ("PDF (LibreOffice + DOCX)", pdf_s),
        ("XLSX (openpyxl)", xlsx_s),
        ("all three formats", total),
    ):
        print(f"  {label:<26}{seconds:9.2f}{seconds / base_s:15.2f}")
    print(f"\ngoal: all three formats < 60 s — {'met' if total < 60 else 'NOT met'} ({total:.1f} s)")
    return 0 if total < 60 else 1


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per step (median)")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()
    sys.exit(on_bench_database(args, "skm-bench-report-", run))


if __name__ == "__main__":
    main()
