from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from skm.periods.reminders import send_due


class Command(BaseCommand):
    @property
    def help(self) -> str:  # a str (argparse refuses a lazy one), in the active language
        return _(
            "Kirim pengingat pelaporan yang jatuh tempo ke admin UPP yang belum melapor (lewat surel, "
            "SKM_EMAIL_*), sesuai hari pengingat setiap Pemda (bawaan 7 dan 1 hari sebelum batas "
            "pelaporan). Aman dijalankan tiap jam: setiap pengingat dikirim sekali saja."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = send_due()
        for item in outcome.skipped_no_address:
            self.stderr.write(
                _(
                    "{unit}: tidak ada admin UPP dengan alamat surel; pengingat {period} tidak dikirim."
                ).format(unit=item.unit.name, period=item.period.display_label)
            )
        self.stdout.write(_("{count} pengingat dikirim.").format(count=len(outcome.sent)))
