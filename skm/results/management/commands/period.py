"""`skm period close|reopen`: close a Pemda's period and freeze its figures, or reopen it with a
reason (SPEC §5 "Closing a period"; the same service as the Admin Pemda's page, audited)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from skm.organisation.models import Period
from skm.results import freeze


class Command(BaseCommand):
    help = _("Tutup periode (bekukan angkanya sebagai snapshot berversi) atau buka kembali dengan alasan.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("close", _("tutup periode dan bekukan angkanya")),
            ("reopen", _("buka kembali periode yang ditutup")),
        ):
            sub = actions.add_parser(name, help=text, description=text)
            sub.add_argument("--pemda", required=True, metavar="KODE", help=_("kode Pemda"))
            sub.add_argument("--period", required=True, type=int, metavar="ID", help=_("nomor periode"))
            if name == "reopen":
                sub.add_argument(
                    "--reason", required=True, help=_("alasan membuka kembali (dicatat di audit)")
                )

    def handle(self, *args: Any, **options: Any) -> None:
        period = (
            Period.objects.select_related("pemda")
            .filter(pemda__slug=options["pemda"], pk=options["period"])
            .first()
        )
        if period is None:
            raise CommandError(
                _("Periode {period} tidak ada di Pemda '{code}'.").format(
                    period=options["period"], code=options["pemda"]
                )
            )
        try:
            if options["action"] == "close":
                snapshot = freeze.close_period(period)
                self.stdout.write(
                    _("Periode {label} ditutup: versi {version}, batas {cut_off}.").format(
                        label=period.display_label,
                        version=snapshot.version,
                        cut_off=snapshot.cut_off.isoformat(),
                    )
                )
            else:
                freeze.reopen_period(period, reason=options["reason"])
                self.stdout.write(_("Periode {label} dibuka kembali.").format(label=period.display_label))
        except freeze.FreezeError as error:
            raise CommandError(
                _("Periode {label} sudah ditutup.").format(label=period.display_label)
                if options["action"] == "close" and period.is_closed
                else _("Periode {label} tidak dapat dibuka kembali: {why}.").format(
                    label=period.display_label, why=error
                )
            ) from error
