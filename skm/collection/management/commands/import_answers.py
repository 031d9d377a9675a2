from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skm.collection import importing
from skm.lib.tabular import TableError, thousands
from skm.organisation.models import Unit

ERROR_LINES = 20  # at most this many "Baris N: …" lines, then one line with the totals


class Command(BaseCommand):
    help = (
        "Impor jawaban kuesioner dari CSV/XLSX ke satu UPP: templat kolom (tanggal, layanan, u1…u9, "
        "jenis_kelamin, usia, pendidikan, pekerjaan, saran, kunci) atau ekspor Google Forms (judul kolom = "
        "bunyi pertanyaan, isi = label pilihan). Semua baris diperiksa dulu: jika satu baris salah, tidak ada "
        "yang disimpan. Berkas yang sama boleh diimpor lagi: baris yang sudah ada dilewati. Batas: "
        f"{thousands(importing.LIMITS.rows)} baris, {importing.LIMITS.columns} kolom, "
        f"{thousands(importing.LIMITS.cell)} karakter per sel, {importing.LIMITS.bytes // 2**20} MB."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="berkas .csv atau .xlsx")
        parser.add_argument(
            "--unit", required=True, help="kode tautan (slug) UPP tujuan, mis. puskesmas-pekauman"
        )
        parser.add_argument("--dry-run", action="store_true", help="hanya periksa, jangan simpan")
        parser.add_argument(
            "--format",
            choices=[f.value for f in importing.Format],
            default=importing.Format.AUTO.value,
            help="auto (bawaan): dikenali dari judul kolom; columns: templat kolom; google-forms: ekspor Google Forms",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            unit = Unit.objects.select_related("pemda").get(slug=options["unit"])
        except Unit.DoesNotExist:
            raise CommandError(
                f"UPP '{options['unit']}' tidak ditemukan. Kode tautan UPP terlihat di halaman admin (kolom 'kode tautan')."
            ) from None
        path = Path(options["file"])
        try:
            if not path.is_file():
                raise TableError("file_missing", path=str(path))
            if path.stat().st_size > importing.LIMITS.bytes:
                raise TableError("file_too_large", path=path.name, limit=importing.LIMITS.bytes // 2**20)
            preview = importing.read(path.read_bytes(), path.name, unit, fmt=options["format"])
        except TableError as exc:
            raise CommandError(exc.message) from None

        self.stdout.write(f"Berkas {path.name} → {unit.name} ({unit.pemda.name}); format: {preview.format}.")
        for column in preview.used_columns:
            match = "" if column.exact else f" ({column.percent}%)"
            self.stdout.write(f"  kolom '{importing.shorten(column.header, 70)}' → {column.label}{match}")
        for column in preview.ignored_columns:
            self.stdout.write(
                f"  kolom '{importing.shorten(column.header, 70)}' diabaikan (tidak cocok dengan apa pun)"
            )
        if preview.day_first is not None:
            order = "hari/bulan/tahun" if preview.day_first else "bulan/hari/tahun"
            self.stdout.write(f"  tanggal dibaca sebagai {order}")

        if preview.file_errors:
            for error in preview.file_errors:
                self.stderr.write(error)
            raise CommandError("Berkas tidak dapat diimpor; tidak ada yang disimpan.")
        if preview.invalid:
            lines = [(p.row, text) for p in preview.problems for text in p.messages]
            for row, text in lines[:ERROR_LINES]:
                self.stderr.write(f"Baris {row}: {text}")
            if len(lines) > ERROR_LINES:
                self.stderr.write(
                    f"… {ERROR_LINES} kesalahan pertama ditampilkan (sampai baris {lines[ERROR_LINES - 1][0]}); "
                    f"seluruhnya {thousands(preview.invalid)} baris tidak sah."
                )
            raise CommandError(
                f"{thousands(preview.invalid)} dari {thousands(preview.total)} baris tidak sah; "
                "tidak ada yang disimpan."
            )
        if preview.lookalikes:
            rows = ", ".join(map(str, preview.lookalikes[:15])) + (
                ", …" if len(preview.lookalikes) > 15 else ""
            )
            self.stderr.write(
                f"Perhatian: {len(preview.lookalikes)} baris sama persis (waktu sampai detik dan semua jawaban) "
                f"dengan jawaban yang sudah tersimpan di unit ini (baris {rows}): mungkin ekspor yang sama "
                "diimpor ulang setelah diunduh atau disimpan ulang."
            )
        already = f" {len(preview.already)} baris sudah pernah diimpor." if preview.already else ""
        if options["dry_run"]:
            self.stdout.write(
                f"Pemeriksaan selesai: {preview.total} baris, {len(preview.rows)} sah dan baru.{already} "
                "Tidak ada yang disimpan (--dry-run)."
            )
            return
        try:
            saved = importing.save(preview)
        except importing.NotClean as exc:
            raise CommandError(str(exc)) from None
        already = f" {saved.already} baris sudah pernah diimpor." if saved.already else ""
        self.stdout.write(f"Tersimpan: {saved.created} jawaban baru dari {preview.total} baris.{already}")
