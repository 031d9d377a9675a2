from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from skm.maintenance.backup import BackupError, restore


class Command(BaseCommand):
    @property
    def help(self) -> str:  # a str (argparse refuses a lazy one), in the active language
        return _(
            "Pulihkan seluruh basis data dari berkas cadangan `skm backup`. MENGGANTI semua data saat ini: "
            "hentikan aplikasi lebih dulu. Minta konfirmasi kecuali --yes."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("berkas cadangan (.sqlite3 atau .pgdump)"))
        parser.add_argument("--yes", action="store_true", help=_("jangan tanya konfirmasi"))

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            answer = input(_("Semua data saat ini akan diganti isi cadangan. Lanjutkan? ketik 'ya': "))
            if answer.strip().lower() != _("ya"):
                raise CommandError(_("Dibatalkan; tidak ada yang diubah."))
        try:
            restore(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        from skm.instrument.spec import clear_caches

        clear_caches()
        self.stdout.write(_("Basis data dipulihkan dari {path}.").format(path=options["file"]))
