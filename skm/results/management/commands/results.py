"""``skm results unit|pemda``: a unit's or a Pemda's figures for a date range (SPEC §4, §6)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from skm.organisation.models import Layanan, Pemda, Unit
from skm.results import freeze
from skm.results.compute import pemda_result, unit_result
from skm.results.machine import pemda_json, pemda_text, unit_json, unit_text
from skm.scoring.aggregate import Level, Method

EXIT_BAD_INPUT = 2
LEVELS = {"units": Level.PEMDA, "services": Level.SERVICE}


def _bad(message: str) -> CommandError:
    return CommandError(message, returncode=EXIT_BAD_INPUT)


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _bad(
            _("Tanggal {option} '{text}' tidak sah; tulis TTTT-BB-HH, mis. 2026-01-31.").format(
                option=option, text=text
            )
        ) from None


def _range(options: dict[str, Any]) -> tuple[dt.date, dt.date]:
    start, end = _date(options["from"], "--from"), _date(options["to"], "--to")
    if start > end:
        raise _bad(_("Tanggal --from ({start}) jatuh setelah --to ({end}).").format(start=start, end=end))
    return start, end


class Command(BaseCommand):
    @property
    def help(self) -> str:
        """Read when the parser is made, so it follows the active language."""
        return _("Hasil SKM satu unit atau satu Pemda untuk rentang tanggal, dari rekap jawaban.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="PERINTAH")
        unit = actions.add_parser(
            "unit",
            help=_("IKM, nilai per unsur dan kecukupan sampel satu unit (atau satu jenis layanannya)."),
            description=_(
                "IKM satu unit dari jawaban bertanggal --from sampai --to, dengan bobot dan urutan "
                "unsur Pemda-nya: NRR, nilai konversi dan mutu per unsur, selang kepercayaan 95% "
                "dan kecukupan sampel (Krejcie & Morgan). Jawaban yang ditandai tidak dihitung "
                "kecuali dengan --include-excluded. Kode keluar 2 untuk masukan yang salah."
            ),
        )
        unit.add_argument("unit", metavar="KODE", help=_("kode tautan unit (seperti di /s/<kode>/)"))
        self._common(unit)
        unit.add_argument("--service", metavar="KODE", help=_("kode tautan jenis layanan unit itu"))
        unit.add_argument(
            "--include-excluded",
            action="store_true",
            help=_("hitung juga jawaban yang ditandai dan dikeluarkan"),
        )
        pemda = actions.add_parser(
            "pemda",
            help=_("IKM seluruh Pemda dengan metode agregasi yang disebutkan."),
            description=_(
                "IKM seluruh Pemda dari jawaban bertanggal --from sampai --to (jawaban yang "
                "ditandai tidak dihitung), dari unitnya atau dari jenis layanannya, dengan salah "
                "satu dari tiga metode: mean_of_units (rata-rata IKM, tidak tertimbang), pooled "
                "(seluruh jawaban digabung) atau respondent_weighted (tertimbang jumlah "
                "responden). Bawaan: metode Pemda. Kode keluar 2 untuk masukan yang salah."
            ),
        )
        pemda.add_argument("pemda", metavar="KODE", help=_("kode singkat Pemda"))
        self._common(pemda)
        pemda.add_argument(
            "--method", metavar="METODE", help=_("mean_of_units, pooled atau respondent_weighted")
        )
        pemda.add_argument(
            "--level",
            metavar="TINGKAT",
            default="units",
            help=_("units (dari unit, bawaan) atau services (dari jenis layanan)"),
        )

    def _common(self, parser: CommandParser) -> None:
        parser.add_argument("--from", required=True, metavar="TANGGAL", help=_("tanggal awal, TTTT-BB-HH"))
        parser.add_argument("--to", required=True, metavar="TANGGAL", help=_("tanggal akhir, TTTT-BB-HH"))
        parser.add_argument(
            "--json",
            action="store_true",
            help=_("cetak satu dokumen JSON (angka dengan titik desimal) alih-alih teks"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "unit":
            self.unit(options)
        else:
            self.pemda(options)

    def unit(self, options: dict[str, Any]) -> None:
        unit = Unit.objects.select_related("pemda").filter(slug=options["unit"]).first()
        if unit is None:
            raise _bad(_("Unit dengan kode '{code}' tidak ditemukan.").format(code=options["unit"]))
        start, end = _range(options)
        service = None
        if options["service"]:
            service = Layanan.objects.filter(unit=unit, slug=options["service"]).first()
            if service is None:
                raise _bad(
                    _("Jenis layanan '{code}' tidak ada di unit {unit}.").format(
                        code=options["service"], unit=unit.name
                    )
                )
        excluded = options["include_excluded"]
        with freeze.reading_for(unit.pemda):
            result = unit_result(unit, start, end, service=service, include_excluded=excluded)
        if options["json"]:
            document = unit_json(result, service=service, include_excluded=excluded)
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(unit_text(result, service=service, include_excluded=excluded))

    def pemda(self, options: dict[str, Any]) -> None:
        pemda = Pemda.objects.filter(slug=options["pemda"]).first()
        if pemda is None:
            raise _bad(_("Pemda dengan kode '{code}' tidak ditemukan.").format(code=options["pemda"]))
        start, end = _range(options)
        method = None
        if options["method"]:
            if options["method"] not in {m.value for m in Method}:
                raise _bad(
                    _("Metode '{method}' tidak dikenal; pilih salah satu: {choices}.").format(
                        method=options["method"], choices=", ".join(m.value for m in Method)
                    )
                )
            method = Method(options["method"])
        if options["level"] not in LEVELS:
            raise _bad(
                _("Tingkat '{level}' tidak dikenal; pilih units atau services.").format(
                    level=options["level"]
                )
            )
        with freeze.reading_for(pemda):
            found = pemda_result(pemda, start, end, method=method, level=LEVELS[options["level"]])
        if options["json"]:
            self.stdout.write(json.dumps(pemda_json(found), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(pemda_text(found))
