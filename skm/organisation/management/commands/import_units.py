from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from skm.lib.tabular import TableError
from skm.organisation.importing import import_units
from skm.organisation.models import Pemda


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # worded when asked, in the active language
        return _(
            "Impor data Perangkat Daerah, UPP dan jenis layanan dari CSV/XLSX. Kolom: perangkat_daerah, unit, "
            "jenis_unit; opsional frekuensi, populasi, layanan (dipisah ';'), kode, dalam_pendampingan. "
            "Semua baris diperiksa dulu: jika ada satu baris salah, tidak ada yang disimpan."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("berkas .csv atau .xlsx"))
        parser.add_argument(
            "--pemda", required=True, help=_("kode singkat (slug) Pemda tujuan, mis. kota-banjarmasin")
        )
        parser.add_argument("--dry-run", action="store_true", help=_("hanya periksa, jangan simpan"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            pemda = Pemda.objects.get(slug=options["pemda"])
        except Pemda.DoesNotExist:
            slugs = ", ".join(Pemda.objects.values_list("slug", flat=True)) or _("(belum ada)")
            raise CommandError(
                _("Pemda '{slug}' tidak ditemukan. Pemda yang ada: {slugs}.").format(
                    slug=options["pemda"], slugs=slugs
                )
            ) from None
        try:
            result = import_units(pemda, options["file"], dry_run=options["dry_run"])
        except TableError as exc:
            raise CommandError(str(exc)) from None
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            n = len(result.errors)
            text = ngettext(
                "{n} kesalahan; tidak ada data yang disimpan.",
                "{n} kesalahan; tidak ada data yang disimpan.",
                n,
            )
            raise CommandError(text.format(n=n))
        if options["dry_run"]:
            n = len(result.rows)
            text = ngettext(
                "Pemeriksaan selesai: {n} baris benar. Tidak ada yang disimpan (--dry-run).",
                "Pemeriksaan selesai: {n} baris benar. Tidak ada yang disimpan (--dry-run).",
                n,
            )
            self.stdout.write(text.format(n=n))
            return
        self.stdout.write(
            _(
                "Tersimpan: {pd} Perangkat Daerah baru, {units} UPP baru, {updated} UPP diperbarui, "
                "{services} jenis layanan baru."
            ).format(
                pd=result.created_pd,
                units=result.created_units,
                updated=result.updated_units,
                services=result.created_services,
            )
        )
