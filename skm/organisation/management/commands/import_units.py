from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skm.lib.tabular import TableError
from skm.organisation.importing import import_units
from skm.organisation.models import Pemda


class Command(BaseCommand):
    help = (
        "Impor data Perangkat Daerah, UPP dan jenis layanan dari CSV/XLSX. Kolom: perangkat_daerah, unit, "
        "jenis_unit; opsional frekuensi, populasi, layanan (dipisah ';'), kode, dalam_pendampingan. "
        "Semua baris diperiksa dulu: jika ada satu baris salah, tidak ada yang disimpan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="berkas .csv atau .xlsx")
        parser.add_argument(
            "--pemda", required=True, help="kode singkat (slug) Pemda tujuan, mis. kota-banjarmasin"
        )
        parser.add_argument("--dry-run", action="store_true", help="hanya periksa, jangan simpan")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            pemda = Pemda.objects.get(slug=options["pemda"])
        except Pemda.DoesNotExist:
            slugs = ", ".join(Pemda.objects.values_list("slug", flat=True)) or "(belum ada)"
            raise CommandError(
                f"Pemda '{options['pemda']}' tidak ditemukan. Pemda yang ada: {slugs}."
            ) from None
        try:
            result = import_units(pemda, options["file"], dry_run=options["dry_run"])
        except TableError as exc:
            raise CommandError(str(exc)) from None
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} kesalahan; tidak ada data yang disimpan.")
        if options["dry_run"]:
            self.stdout.write(
                f"Pemeriksaan selesai: {len(result.rows)} baris benar. Tidak ada yang disimpan (--dry-run)."
            )
            return
        self.stdout.write(
            f"Tersimpan: {result.created_pd} Perangkat Daerah baru, {result.created_units} UPP baru, "
            f"{result.updated_units} UPP diperbarui, {result.created_services} jenis layanan baru."
        )
