from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skm.maintenance.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Pulihkan seluruh basis data dari berkas cadangan `skm backup`. MENGGANTI semua data saat ini: "
        "hentikan aplikasi lebih dulu. Minta konfirmasi kecuali --yes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="berkas cadangan (.sqlite3 atau .pgdump)")
        parser.add_argument("--yes", action="store_true", help="jangan tanya konfirmasi")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            answer = input("Semua data saat ini akan diganti isi cadangan. Lanjutkan? ketik 'ya': ")
            if answer.strip().lower() != "ya":
                raise CommandError("Dibatalkan; tidak ada yang diubah.")
        try:
            restore(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        from skm.instrument.spec import clear_caches

        clear_caches()
        self.stdout.write(f"Basis data dipulihkan dari {options['file']}.")
