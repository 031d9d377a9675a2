from __future__ import annotations

import secrets
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from skm import demo
from skm.scoring.rounding import format_id


class Command(BaseCommand):
    @property
    def help(self) -> str:  # a str (argparse refuses a lazy one), in the active language
        return _(
            "Bangun data demo: Kota Banjarmasin (156 UPP, bobot 0,111) dan Kabupaten Banjar (100 UPP, bobot 1/9) "
            "dengan jawaban sintetis selama tahun berjalan, lalu cetak akun login demo."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--responses", type=int, default=50_000, help=_("jumlah jawaban sintetis (bawaan 50.000)")
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help=_("benih acak; hasil sama untuk benih sama")
        )
        parser.add_argument("--reset", action="store_true", help=_("hapus data demo lama lalu bangun ulang"))
        parser.add_argument(
            "--if-empty", action="store_true", help=_("lewati pembangunan jika data demo sudah ada")
        )
        parser.add_argument("--password", help=_("kata sandi akun demo (bawaan: dibuat acak dan dicetak)"))

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        if options["reset"]:
            demo.reset()
        if demo.exists():
            if not options["if_empty"]:
                self.stdout.write(_("Data demo sudah ada; pakai --reset untuk membangun ulang."))
        else:
            report = demo.build(
                responses=options["responses"],
                seed=options["seed"],
                progress=lambda msg: self.stdout.write(f"  {msg}"),
            )
            rate = report.answers / report.seconds if report.seconds else 0
            self.stdout.write(
                _(
                    "Demo dibangun: {pemda} Pemda, {units} UPP, {services} jenis layanan, {answers} jawaban, "
                    "{rollups} baris rekap harian dalam {seconds} detik ({rate} jawaban/detik)."
                ).format(
                    pemda=report.pemda,
                    units=format_id(report.units, 0),
                    services=format_id(report.services, 0),
                    answers=format_id(report.answers, 0),
                    rollups=format_id(report.rollup_rows, 0),
                    seconds=format_id(report.seconds, 1),
                    rate=format_id(rate, 0),
                )
            )
        password = options["password"] or secrets.token_urlsafe(9)
        names = demo.set_logins(password)
        self.stdout.write(
            "\n" + _("Akun demo (kata sandi sama untuk semua): {password}").format(password=password)
        )
        for name in names:
            self.stdout.write(f"  - {name}")
