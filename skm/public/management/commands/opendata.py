"""`skm opendata`: rebuild the open data packages now (nightly from cron, for the running year)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from skm.lib.numbers import number
from skm.organisation.models import Pemda
from skm.public import opendata


class Command(BaseCommand):
    @property
    def help(self) -> str:  # a str (argparse refuses a lazy one), in the active language
        return _(
            "Bangun ulang paket data terbuka (/data/<pemda>/) setiap Pemda sekarang: periode yang sudah "
            "ditutup dari snapshot-nya, tahun berjalan sampai hari ini. Jalankan setiap malam dari cron; "
            "penutupan periode membangunnya sendiri lewat `skm worker`."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pemda", metavar="SLUG", help=_("hanya Pemda dengan kode singkat ini"))

    def handle(self, *args: Any, **options: Any) -> None:
        pemdas = Pemda.objects.order_by("name")
        if options["pemda"]:
            pemdas = pemdas.filter(slug=options["pemda"])
            if not pemdas.exists():
                raise CommandError(
                    _("Pemda dengan kode singkat {slug} tidak ada.").format(slug=options["pemda"])
                )
        for pemda in pemdas:
            report = opendata.build(pemda)
            self.stdout.write(
                _("{pemda}: {files} berkas, {size} KB, {seconds} detik.").format(
                    pemda=pemda.name,
                    files=report.files,
                    size=number(report.bytes / 1024, 0),
                    seconds=number(report.seconds, 1),
                )
            )
