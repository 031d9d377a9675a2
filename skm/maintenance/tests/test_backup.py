"""A restore reproduces every figure; device hashes are purged after the retention period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from skm.collection.models import Answer, DailyRollup, MonthlyRollup
from skm.maintenance.backup import BackupError, backup, restore
from skm.maintenance.retention import purge_hashes
from skm.organisation.models import Pemda, Unit
from skm.results.compute import unit_result
from skm.testing import make_answer, make_pd, make_pemda, make_unit

DAY = dt.date(2026, 5, 4)


def figures():
    out = {}
    for unit in Unit.objects.select_related("pemda").order_by("pk"):
        result = unit_result(unit, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        out[unit.name] = (result.n, result.score.ikm, unit.pemda.weight, result.interval)
    out["answers"] = Answer.objects.count()
    out["rollups"] = sorted(DailyRollup.objects.values_list("unit_id", "day", "n", "sum_waktu"))
    return out


def build():
    pemda = make_pemda(weight="1/9")
    pd = make_pd(pemda)
    for u, rows in enumerate(([4, 3, 3, 4, 3, 3, 4, 2, 3], [2, 2, 3, 4, 1, 2, 3, 3, 3], [3] * 9)):
        unit = make_unit(pd, f"Unit {u}")
        for k in range(u + 2):
            make_answer(unit, [min(4, v + k % 2) for v in rows], day=DAY, device_hash="ab" * 32)
    return pemda


@pytest.mark.django_db(transaction=True)
def test_restore_reproduces_every_figure(tmp_path):
    pemda = build()
    before = figures()
    path = backup(tmp_path / ("cadangan" + (".sqlite3" if _sqlite() else ".pgdump")))
    assert path.stat().st_size > 0
    Answer.objects.filter(unit__name="Unit 2").delete()
    DailyRollup.objects.filter(unit__name="Unit 2").delete()
    MonthlyRollup.objects.filter(unit__name="Unit 2").delete()
    Pemda.objects.filter(pk=pemda.pk).update(weight="0.111")
    assert figures() != before
    restore(path)
    assert figures() == before


@pytest.mark.django_db(transaction=True)
def test_commands_and_bad_files(tmp_path, capsys):
    build()
    target = tmp_path / ("b" + (".sqlite3" if _sqlite() else ".pgdump"))
    call_command("backup", output=target)
    assert "Cadangan tersimpan" in capsys.readouterr().out
    Answer.objects.all().delete()
    call_command("restore", str(target), yes=True)
    assert Answer.objects.count() == 9
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("restore", str(tmp_path / "tidak-ada.sqlite3"), yes=True)
    wrong = tmp_path / ("x.pgdump" if _sqlite() else "x.sqlite3")
    wrong.write_bytes(b"bukan cadangan")
    with pytest.raises(BackupError):
        restore(wrong)
    broken = tmp_path / ("r.sqlite3" if _sqlite() else "r.pgdump")
    broken.write_bytes(b"ini bukan basis data" * 100)
    with pytest.raises(BackupError):
        restore(broken)
    assert Answer.objects.count() == 9  # a refused restore changed nothing


@pytest.mark.django_db
def test_hashes_are_purged_after_the_retention_period():
    unit = make_unit(make_pd(make_pemda()))
    now = timezone.now()
    old = make_answer(unit, submitted_at=now - dt.timedelta(days=100), device_hash="a" * 64, ip_hash="b" * 64)
    new = make_answer(unit, submitted_at=now - dt.timedelta(days=10), device_hash="c" * 64, ip_hash="d" * 64)
    assert purge_hashes(90, now=now) == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.device_hash, old.ip_hash) == ("", "")
    assert new.device_hash == "c" * 64
    assert purge_hashes(90, now=now) == 0
    call_command("purge_hashes", days=5)
    new.refresh_from_db()
    assert new.device_hash == ""


def _sqlite() -> bool:
    from django.db import connection

    return connection.vendor == "sqlite"
