"""Benchmark: memory and time of an answer import fed hostile files (issue 21, items 2 and 3).

    .venv/bin/python bench/import_memory.py [--only NAME ...] [--keep]

Builds, in a temp dir with a fresh SQLite database (one Pemda, one unit, one admin), the files that
once took gigabytes:

* `xfd`    — the import template's header row plus one cell at XFD1048576
             (`<dimension ref="A1:XFD1048576"/>`), about 1.5 KB;
* `wide`   — 200 rows × 16,000 cells, each the same 1,000-character shared string, about 8 MB;
* `rows`   — the header and 1,000,000 rows of one inline string (a date and time), about 9 MB;
* `garbage`— a CSV: the header and 100,000 rows of random characters in every column, about 9 MB;
* `year`   — (a reference) the header and 100,000 valid rows, the row limit: a busy unit's year;
* `small`  — (a reference) the header and one valid row.

Each goes through the web path (the Django test client: the upload, which reads and judges the
file; the preview page; "Simpan semua" when the file is clean) and then the command
(`call_command("import_answers", …)`), each in a fresh subprocess. For `year` the web path stores
the 100,000 answers from the kept preview, and the command then finds every row already stored
(the retry path). Printed per file and path: the file's size, the child's peak RSS (ru_maxrss of
that child, from os.wait4: what RUSAGE_CHILDREN reports for a parent with that one child), the
goal 10 × size + 100 MB, the child's wall time, the time of the import inside it, and the message
the user got (for the web, the size of the preview page too). Measured in the same run: the peak
RSS of a child that only runs django.setup() (the baseline).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MB = 1024 * 1024
UNIT_SLUG = "puskesmas-bench"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm.settings")
    import django

    django.setup()


# --- The files ------------------------------------------------------------------------------------


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _xlsx(path: Path, dimension: str, rows, shared: list[str] | None = None) -> None:
    """A minimal XLSX (what Excel needs, no styles) whose sheet XML is written row by row."""
    types = (
        f'<Types xmlns="{PKG_NS}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    )
    relations = f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared is not None:
        types += (
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
        relations += f'<Relationship Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types + "</Types>")
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG_NS}/relationships"><Relationship Id="rId1" '
            f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{NS}" xmlns:r="{REL_NS}"><sheets>'
            '<sheet name="Jawaban" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PKG_NS}/relationships">{relations}</Relationships>',
        )
        if shared is not None:
            items = "".join(f"<si><t>{text}</t></si>" for text in shared)
            archive.writestr(
                "xl/sharedStrings.xml",
                f'<sst xmlns="{NS}" count="{len(shared)}" uniqueCount="{len(shared)}">{items}</sst>',
            )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{NS}"><dimension ref="{dimension}"/><sheetData>'.encode())
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) >= 2000:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write(("".join(batch) + "</sheetData></worksheet>").encode())


def _header_row(headers: list[str]) -> str:
    cells = "".join(_inline(f"{_column(i)}1", h) for i, h in enumerate(headers, start=1))
    return f'<row r="1">{cells}</row>'


def build_files(folder: Path, headers: list[str]) -> dict[str, Path]:
    files = {}
    # The template's header and one cell at the last column of the last row Excel has.
    files["xfd"] = folder / "xfd.xlsx"
    _xlsx(
        files["xfd"],
        "A1:XFD1048576",
        [_header_row(headers), f'<row r="1048576">{_inline("XFD1048576", "x")}</row>'],
    )

    # 200 rows × 16,000 cells of one 1,000-character shared string.
    files["wide"] = folder / "wide.xlsx"
    columns = [_column(i) for i in range(1, 16_001)]

    def wide_rows():
        for r in range(1, 201):
            yield f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>' for c in columns) + "</row>"

    _xlsx(files["wide"], f"A1:{columns[-1]}200", wide_rows(), shared=["x" * 1000])

    # The header and 1,000,000 rows of one inline string each (a time in the date column).
    files["rows"] = folder / "rows.xlsx"

    def many_rows():
        yield _header_row(headers)
        for r in range(2, 1_000_002):
            yield f'<row r="{r}">{_inline(f"A{r}", f"2026-03-{1 + r % 28:02d} {8 + r % 9}:{r % 60:02d}")}</row>'

    _xlsx(files["rows"], f"A1:{_column(len(headers))}1000001", many_rows())

    # 100,000 rows of garbage under the template's header (about 9 MB).
    files["garbage"] = folder / "garbage.csv"
    rng = random.Random(3)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!?#%&*()[]{}<>/+=~ "
    with files["garbage"].open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        for _ in range(100_000):
            writer.writerow(["".join(rng.choices(alphabet, k=rng.randint(2, 7))) for _ in headers])

    # A reference: a unit's year at the row limit, every row valid (the template, as CSV).
    files["year"] = folder / "year.csv"
    rng = random.Random(2026)
    with files["year"].open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        for i in range(100_000):
            day, minute = 1 + i // 400, i % 400
            when = f"2026-{1 + (day - 1) // 28:02d}-{1 + (day - 1) % 28:02d} {8 + minute // 60:02d}:{minute % 60:02d}"
            answers = [str(rng.randint(1, 4)) for _ in range(9)]
            profile = [
                rng.choice("LP"),
                rng.choice(("u25", "u35", "u45")),
                rng.choice(("sma", "s1")),
                "swasta",
            ]
            writer.writerow([when, "", *answers, *profile, "Pelayanan cepat." if i % 5 == 0 else "", ""])

    files["small"] = folder / "small.csv"
    with files["small"].open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerow(["2026-03-05 10:12", "", *["3"] * 9, "L", "u35", "sma", "swasta", "", ""])
    return files


# --- The children -----------------------------------------------------------------------------------


def setup(folder: Path) -> None:
    """Child: the database, one Pemda with a unit and its admin, and the files."""
    _django()
    from django.core.management import call_command

    from skm.accounts.models import User
    from skm.collection import importing
    from skm.instrument.spec import current_spec
    from skm.testing import make_pd, make_pemda, make_unit

    call_command("migrate", verbosity=0)
    unit = make_unit(make_pd(make_pemda("Kota Bench")), "Puskesmas Bench", slug=UNIT_SLUG)
    User.objects.create_superuser("bench", "bench@example.org", "bench-rahasia-123")
    headers = importing.template_headers(current_spec(unit.pemda_id))
    files = build_files(folder, headers)
    print(json.dumps({name: str(path) for name, path in files.items()}))


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").replace("&quot;", '"').split())


def web(path: Path) -> dict:
    """Child: upload through the test client, then the preview page."""
    _django()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from skm.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench"))
    started = time.perf_counter()
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    response = client.post(f"/kelola/impor/{UNIT_SLUG}/", {"file": upload, "format": "auto"})
    if response.status_code != 302:
        page = response.content.decode()
        found = re.search(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
        message = _text(found.group(1)) if found else f"HTTP {response.status_code}"
        return {"seconds": time.perf_counter() - started, "message": message, "page": len(page)}
    page_response = client.get(response["Location"])
    seconds = time.perf_counter() - started
    page = page_response.content.decode()
    found = re.search(r'<div class="errors" role="alert">(.*?)</div>', page, re.S)
    if found:
        message = _text(found.group(1))
        shown = re.search(r'<h2 id="errors">.*?</h2>\s*<p class="hint">(.*?)</p>', page, re.S)
        if shown:
            message += " " + _text(shown.group(1))
        listed = page.count('<th scope="row" class="num">') - page.count('class="st-')
        message += f" [{listed} rows listed]"
    else:
        message = _text(re.search(r'<dl class="import-counts">(.*?)</dl>', page, re.S).group(1))
    if "Simpan semua" in page:  # a clean file: save it, from what the upload kept
        saved = client.post(response["Location"], follow=True).content.decode()
        seconds = time.perf_counter() - started
        message += "; saved: " + " ".join(
            _text(m) for m in re.findall(r'<p class="import-msg[^"]*">(.*?)</p>', saved)
        )
    return {"seconds": seconds, "message": message, "page": len(page), "status": page_response.status_code}


def cli(path: Path) -> dict:
    """Child: `skm import-answers FILE --unit …`, its output kept."""
    _django()
    from django.core.management import CommandError, call_command

    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    try:
        call_command("import_answers", str(path), unit=UNIT_SLUG, stdout=out, stderr=err)
        message = out.getvalue().strip().splitlines()[-1]
    except CommandError as exc:
        message = str(exc)
    seconds = time.perf_counter() - started
    lines = err.getvalue().splitlines()
    if lines:
        message += f" [{len(lines)} error lines; last: {lines[-1][:120]}]"
    return {"seconds": seconds, "message": message}


def baseline() -> dict:
    _django()
    return {"seconds": 0.0, "message": "django.setup() only"}


def child(kind: str, argument: str) -> None:
    if kind == "setup":
        setup(Path(argument))
        return
    result = {"web": web, "cli": cli}[kind](Path(argument)) if kind != "baseline" else baseline()
    print(json.dumps(result))


# --- The parent ---------------------------------------------------------------------------------------


def run_child(env: dict[str, str], *args: str) -> tuple[dict, float, float]:
    """Run this script as a child; its JSON answer, peak RSS (MB) and wall time."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [sys.executable, __file__, "--child", *args], env=env, stdout=subprocess.PIPE, stderr=errors
        )
        stdout = process.stdout.read()  # type: ignore[union-attr]
        _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"child {args} failed ({process.returncode}):\n{errors.read().decode()[-3000:]}")
    return json.loads(stdout.decode().strip().splitlines()[-1]), usage.ru_maxrss / 1024, wall


def _size(size: int) -> str:
    return f"{size / MB:.2f} MB" if size >= MB else f"{size / 1024:.1f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", nargs="*", default=[], help="some of: xfd wide rows garbage year small")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (files, database)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    tmp = Path(tempfile.mkdtemp(prefix="skm-bench-import-memory-"))
    env = {**os.environ, "SKM_VAR_DIR": str(tmp), "DJANGO_SETTINGS_MODULE": "skm.settings"}
    env.pop("DATABASE_URL", None)  # always the embedded SQLite in the temp dir
    try:
        started = time.perf_counter()
        files, _, _ = run_child(env, "setup", str(tmp))
        print(f"files built in {time.perf_counter() - started:.0f} s under {tmp}")
        _, base_mb, base_s = run_child(env, "baseline", "-")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} (wall times grow with load)")
        print(f"baseline (django.setup() only): peak {base_mb:.0f} MB, {base_s:.1f} s")
        print()
        print(
            f"{'file':8} {'size':>9} {'path':4} {'peak':>8} {'goal':>8} {'':4} {'wall':>6} {'import':>7}  message"
        )
        for name, path in files.items():
            if args.only and name not in args.only:
                continue
            size = Path(path).stat().st_size
            goal = 10 * size / MB + 100
            for kind in ("web", "cli"):
                result, peak, wall = run_child(env, kind, path)
                note = f" (page {result['page'] / 1024:.0f} KB)" if "page" in result else ""
                print(
                    f"{name:8} {_size(size):>9} {kind:4} {peak:6.0f}MB {goal:6.0f}MB "
                    f"{'ok' if peak <= goal else 'OVER':4} {wall:5.1f}s {result['seconds']:6.2f}s  "
                    f"{result['message'][:400]}{note}"
                )
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
