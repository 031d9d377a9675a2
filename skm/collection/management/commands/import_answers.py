from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from skm.collection import importing
from skm.lib.tabular import TableError, thousands
from skm.organisation.models import Unit

ERROR_LINES = 20  # at most this many "Baris N: …" lines, then one line with the totals


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # worded when asked, in the active language
        return _(
            "Impor jawaban kuesioner dari CSV/XLSX ke satu UPP: templat kolom (tanggal, layanan, u1…u9, "
            "jenis_kelamin, usia, pendidikan, pekerjaan, saran, kunci) atau ekspor Google Forms (judul kolom "
            "= bunyi pertanyaan, isi = label pilihan). Semua baris diperiksa dulu: jika satu baris salah, "
            "tidak ada yang disimpan. Berkas yang sama boleh diimpor lagi: baris yang sudah ada dilewati. "
            "Batas: {rows} baris, {columns} kolom, {cell} karakter per sel, {mb} MB."
        ).format(
            rows=thousands(importing.LIMITS.rows),
            columns=importing.LIMITS.columns,
            cell=thousands(importing.LIMITS.cell),
            mb=importing.LIMITS.bytes // 2**20,
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("berkas .csv atau .xlsx"))
        parser.add_argument(
            "--unit", required=True, help=_("kode tautan (slug) UPP tujuan, mis. puskesmas-pekauman")
        )
        parser.add_argument("--dry-run", action="store_true", help=_("hanya periksa, jangan simpan"))
        parser.add_argument(
            "--format",
            choices=[f.value for f in importing.Format],
            default=importing.Format.AUTO.value,
            help=_(
                "auto (bawaan): dikenali dari judul kolom; columns: templat kolom; "
                "google-forms: ekspor Google Forms"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        unit = self._unit(options["unit"])
        path = Path(options["file"])
        preview = self._read(path, unit, options["format"])
        self._describe(preview, path, unit)
        self._refuse_problems(preview)
        if preview.lookalikes:
            rows = ", ".join(map(str, preview.lookalikes[:15])) + (
                ", …" if len(preview.lookalikes) > 15 else ""
            )
            text = ngettext(
                "Perhatian: {n} baris sama persis (waktu sampai detik dan semua jawaban) dengan jawaban yang "
                "sudah tersimpan di unit ini (baris {rows}): mungkin ekspor yang sama diimpor ulang setelah "
                "diunduh atau disimpan ulang.",
                "Perhatian: {n} baris sama persis (waktu sampai detik dan semua jawaban) dengan jawaban yang "
                "sudah tersimpan di unit ini (baris {rows}): mungkin ekspor yang sama diimpor ulang setelah "
                "diunduh atau disimpan ulang.",
                len(preview.lookalikes),
            )
            self.stderr.write(text.format(n=len(preview.lookalikes), rows=rows))
        if options["dry_run"]:
            text = _("Pemeriksaan selesai: {total} baris, {valid} sah dan baru.").format(
                total=preview.total, valid=len(preview.rows)
            )
            nothing = _("Tidak ada yang disimpan (--dry-run).")
            self.stdout.write(f"{text}{self._already(len(preview.already))} {nothing}")
            return
        try:
            saved = importing.save(preview)
        except importing.NotClean as exc:
            raise CommandError(str(exc)) from None
        text = ngettext(
            "Tersimpan: {created} jawaban baru dari {total} baris.",
            "Tersimpan: {created} jawaban baru dari {total} baris.",
            saved.created,
        ).format(created=saved.created, total=preview.total)
        self.stdout.write(text + self._already(saved.already))

    def _unit(self, slug: str) -> Unit:
        try:
            return Unit.objects.select_related("pemda").get(slug=slug)
        except Unit.DoesNotExist:
            raise CommandError(
                _(
                    "UPP '{slug}' tidak ditemukan. Kode tautan UPP terlihat di halaman admin (kolom 'kode tautan')."
                ).format(slug=slug)
            ) from None

    def _read(self, path: Path, unit: Unit, fmt: str) -> importing.Preview:
        try:
            if not path.is_file():
                raise TableError("file_missing", path=str(path))
            if path.stat().st_size > importing.LIMITS.bytes:
                raise TableError("file_too_large", path=path.name, limit=importing.LIMITS.bytes // 2**20)
            return importing.read(path.read_bytes(), path.name, unit, fmt=fmt)
        except TableError as exc:
            raise CommandError(exc.message) from None

    def _describe(self, preview: importing.Preview, path: Path, unit: Unit) -> None:
        """The mapping the operator should check: which column became what, which were ignored."""
        self.stdout.write(
            _("Berkas {file} → {unit} ({pemda}); format: {format}.").format(
                file=path.name, unit=unit.name, pemda=unit.pemda.name, format=preview.format
            )
        )
        for column in preview.used_columns:
            match = "" if column.exact else f" ({column.percent}%)"
            self.stdout.write(
                "  "
                + _("kolom '{header}' → {label}{match}").format(
                    header=importing.shorten(column.header, 70), label=column.label, match=match
                )
            )
        for column in preview.ignored_columns:
            self.stdout.write(
                "  "
                + _("kolom '{header}' diabaikan (tidak cocok dengan apa pun)").format(
                    header=importing.shorten(column.header, 70)
                )
            )
        if preview.day_first is not None:
            if preview.day_first:
                self.stdout.write("  " + _("tanggal dibaca sebagai hari/bulan/tahun"))
            else:
                self.stdout.write("  " + _("tanggal dibaca sebagai bulan/hari/tahun"))

    def _refuse_problems(self, preview: importing.Preview) -> None:
        """Print the file's errors, or the first ERROR_LINES row errors and the totals, and stop."""
        if preview.file_errors:
            for error in preview.file_errors:
                self.stderr.write(error)
            raise CommandError(_("Berkas tidak dapat diimpor; tidak ada yang disimpan."))
        if not preview.invalid:
            return
        lines = [(p.row, text) for p in preview.problems for text in p.messages]
        for row, text in lines[:ERROR_LINES]:
            self.stderr.write(_("Baris {row}: {message}").format(row=row, message=text))
        if len(lines) > ERROR_LINES:
            self.stderr.write(
                _(
                    "… {shown} kesalahan pertama ditampilkan (sampai baris {row}); "
                    "seluruhnya {invalid} baris tidak sah."
                ).format(shown=ERROR_LINES, row=lines[ERROR_LINES - 1][0], invalid=thousands(preview.invalid))
            )
        raise CommandError(
            _("{invalid} dari {total} baris tidak sah; tidak ada yang disimpan.").format(
                invalid=thousands(preview.invalid), total=thousands(preview.total)
            )
        )

    @staticmethod
    def _already(n: int) -> str:
        """' N baris sudah pernah diimpor.' after a sentence, or nothing."""
        if not n:
            return ""
        return " " + ngettext("{n} baris sudah pernah diimpor.", "{n} baris sudah pernah diimpor.", n).format(
            n=n
        )
