"""`skm report`: the Laporan Pelaksanaan SKM of a closed period, as DOCX, PDF and/or XLSX files
(issue 25 item 7; the same code as the "Buat laporan" page, audited)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from skm.organisation.models import Pemda, PerangkatDaerah, Unit
from skm.reports import content, docx, pdf, produce, signing


class Command(BaseCommand):
    @property
    def help(self) -> str:  # a str (argparse refuses a lazy one), in the active language
        return _(
            "Buat Laporan Pelaksanaan SKM sebuah periode yang sudah ditutup (dari snapshot-nya) "
            "sebagai DOCX, PDF dan/atau XLSX."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pemda", required=True, metavar="KODE", help=_("kode Pemda"))
        parser.add_argument(
            "--period",
            required=True,
            metavar="PERIODE",
            help=_('nomor periode atau labelnya seperti di halaman, mis. "Tahunan 2025"'),
        )
        parser.add_argument(
            "--format",
            default="all",
            choices=[*produce.FORMATS, "all"],
            help=_("format berkas (bawaan: all)"),
        )
        parser.add_argument(
            "--out", default=".", metavar="FOLDER", help=_("folder tujuan (bawaan: folder ini)")
        )
        parser.add_argument("--pd", metavar="ID", type=int, help=_("hanya satu Perangkat Daerah (nomornya)"))
        parser.add_argument(
            "--unit", metavar="KODE", help=_("laporan SKM satu unit (kode tautannya): DOCX dan PDF")
        )
        parser.add_argument("--versi", type=int, metavar="N", help=_("versi snapshot (bawaan: yang terbaru)"))

    def handle(self, *args: Any, **options: Any) -> None:
        pemda = Pemda.objects.filter(slug=options["pemda"]).first()
        if pemda is None:
            raise CommandError(_("Pemda '{code}' tidak ada.").format(code=options["pemda"]))
        pd = None
        if options["pd"] is not None:
            pd = PerangkatDaerah.objects.filter(pemda=pemda, pk=options["pd"]).first()
            if pd is None:
                raise CommandError(
                    _("Perangkat Daerah {pd} tidak ada di {pemda}.").format(
                        pd=options["pd"], pemda=pemda.name
                    )
                )
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(pemda=pemda, slug=options["unit"]).first()
            if unit is None:
                raise CommandError(
                    _("Unit '{code}' tidak ada di {pemda}.").format(code=options["unit"], pemda=pemda.name)
                )
        every = produce.UNIT_FORMATS if unit else produce.FORMATS
        formats = every if options["format"] == "all" else (options["format"],)
        if options["format"] not in (*every, "all"):
            raise CommandError(_("Laporan satu unit dibuat sebagai DOCX dan PDF."))
        out = Path(options["out"])
        try:
            period = content.find_period(pemda, options["period"])
            out.mkdir(parents=True, exist_ok=True)
            if unit is not None:
                made = produce.produce_unit(period, unit, formats, version=options["versi"])
            else:
                made = produce.produce(period, formats, perangkat_daerah=pd, version=options["versi"])
        except (
            content.ReportError,
            docx.TemplateProblem,
            pdf.ConversionError,
            signing.SigningError,
        ) as error:
            raise CommandError(str(error)) from error
        for kind in formats:
            name, data = made.files[kind]
            (out / name).write_bytes(data)
            self.stdout.write(
                _("{kind}: {path} ({size} KB, {seconds} detik)").format(
                    kind=kind.upper(),
                    path=out / name,
                    size=max(1, len(data) // 1024),
                    seconds=f"{made.seconds.get(kind, 0):.1f}",
                )
            )
        if "pdf" in formats:
            self.stdout.write(
                _("PDF ditandatangani secara elektronik.")
                if made.signed
                else _("PDF tidak ditandatangani (tidak ada sertifikat untuk Pemda ini).")
            )
