"""``skm import-history FILE --pemda SLUG [--dry-run]``: years of per-unit recaps (issue 24 item 7)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from skm.organisation.models import Pemda
from skm.recaps.history import HistoryError, automatic_choices, import_plan, read_history
from skm.recaps.storing import element_names

EXIT_UNREADABLE = 2


class Command(BaseCommand):
    @property
    def help(self) -> str:
        """Read when the parser is made, so it follows the active language."""
        return _(
            "Impor riwayat rekap SKM per unit (beberapa tahun) dari CSV/XLSX: kolom rekap "
            "(upp, periode, u1 … u9, ikm, kategori, jumlah_responden) ditambah tahun, boleh "
            "prioritas (unsur prioritas, teks bebas) dan realisasi (persen realisasi RTL). Nama "
            "unit dicocokkan dengan unit Pemda (kemiripan ≥ 60 %), teks prioritas dipetakan ke "
            "unsur; --dry-run hanya mencetak pencocokan dan pemetaan. Tinjau dan perbaiki "
            "pencocokan di ruang kerja (Rekap → Impor riwayat)."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="BERKAS", help=_("riwayat .csv atau .xlsx"))
        parser.add_argument("--pemda", required=True, metavar="KODE", help=_("kode singkat Pemda"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("cetak pencocokan dan pemetaan tanpa menyimpan")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            pemda = Pemda.objects.get(slug=options["pemda"])
        except Pemda.DoesNotExist:
            raise CommandError(_("Pemda “{slug}” tidak ada.").format(slug=options["pemda"])) from None
        try:
            plan = read_history(pemda, options["file"])
        except HistoryError as error:
            self.stderr.write(error.message)
            sys.exit(EXIT_UNREADABLE)
        names = element_names(pemda)
        self.stdout.write(_("Pencocokan nama unit:"))
        for match in plan.names.values():
            target = match.unit.name if match.unit else _("(tidak cocok: dilewati)")
            self.stdout.write(f"  {match.name} → {target} ({match.percent} %)")
        if plan.priorities:
            self.stdout.write(_("Pemetaan unsur prioritas:"))
            for mapping in plan.priorities.values():
                shown = ", ".join(names.get(e, e) for e in mapping.elements) or _("(tidak dikenali)")
                self.stdout.write(f"  {mapping.text} → {shown}")
        for reason in plan.skipped:
            self.stdout.write(_("Dilewati: {reason}").format(reason=reason))
        problems = sum(len(r.result.problems) for r in plan.rows)
        self.stdout.write(
            _("{rows} baris, {problems} masalah pemeriksaan (disimpan bersama riwayatnya).").format(
                rows=len(plan.rows), problems=problems
            )
        )
        if options["dry_run"]:
            self.stdout.write(_("Uji coba: tidak ada yang disimpan."))
            return
        units, priorities = automatic_choices(plan)
        done = import_plan(plan, units, priorities)
        for reason in done.left_out:
            self.stdout.write(_("Dilewati: {reason}").format(reason=reason))
        self.stdout.write(
            _("Tersimpan {saved} baris riwayat untuk {units} unit.").format(
                saved=done.saved, units=done.units
            )
        )
