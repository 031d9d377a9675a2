"""``skm recap check FILE [--json]``: check a submitted recap (SPEC §8 "Recap checks")."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from skm.recaps.reader import RecapFileError, read_recap
from skm.recaps.report import check_recap, to_json, to_text
from skm.scoring import Weight

EXIT_UNREADABLE = 2


class Command(BaseCommand):
    @property
    def help(self) -> str:
        """Read when the parser is made, so it follows the active language."""
        return _(
            "Rekap SKM yang dikirim unit yang menjalankan survei di luar platform (kertas, aplikasi lain)."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="PERINTAH")
        check = actions.add_parser(
            "check",
            help=_("Periksa rekap CSV/XLSX: IKM dari nilai unsur, kategori, salinan, tahunan."),
            description=_(
                "Periksa rekap hasil SKM (CSV atau XLSX) dengan kolom upp, periode, u1 … u9, "
                "ikm, kategori, jumlah_responden (boleh ditambah layanan, metode, populasi). "
                "Setiap IKM dihitung ulang dengan bobot 0,111 dan 1/9; kategori, nilai di luar "
                "skala, baris salinan, baris tahunan terhadap semester/triwulannya dan kecukupan "
                "sampel diperiksa; lalu agregat seluruh unit dengan tiga metode. "
                "Kode keluar: 0 semua konsisten, 1 ada masalah, 2 berkas tidak terbaca."
            ),
        )
        check.add_argument("file", metavar="BERKAS", help=_("rekap .csv (koma atau titik koma) atau .xlsx"))
        check.add_argument(
            "--json",
            action="store_true",
            help=_("cetak satu dokumen JSON (angka dengan titik desimal) alih-alih teks"),
        )
        check.add_argument(
            "--bobot",
            choices=[w.value for w in Weight],
            default=None,
            help=_("bobot Pemda untuk agregat (bawaan: bobot yang diikuti sebagian besar baris)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check":
            self.check_file(options["file"], as_json=options["json"], weight=options["bobot"])

    def check_file(self, path: str, *, as_json: bool, weight: str | None) -> None:
        try:
            table = read_recap(path)
        except RecapFileError as error:
            self.stderr.write(error.message)
            sys.exit(EXIT_UNREADABLE)
        report = check_recap(table, Weight(weight) if weight else None)
        if as_json:
            self.stdout.write(json.dumps(to_json(report), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(to_text(report))
        if report.exit_code:
            sys.exit(report.exit_code)
