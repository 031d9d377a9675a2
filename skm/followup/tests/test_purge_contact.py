"""`skm purge-hashes` also blanks the contact a respondent left, after the same retention period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from skm.followup.replies import follow_up
from skm.maintenance.retention import purge_hashes
from skm.testing import make_answer, make_pd, make_pemda, make_unit

pytestmark = pytest.mark.django_db


def test_contacts_are_purged_after_the_retention_period_suggestions_stay():
    unit = make_unit(make_pd(make_pemda()))
    now = timezone.now()
    old = make_answer(
        unit, submitted_at=now - dt.timedelta(days=100), suggestion="Antrean lama", contact="0812-0000"
    )
    follow_up(old, status="selesai", reply="Sudah ditambah loket", published=True, user=None)
    new = make_answer(unit, submitted_at=now - dt.timedelta(days=10), suggestion="Parkir", contact="a@b.id")
    assert purge_hashes(90, now=now) == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.contact, old.suggestion) == ("", "Antrean lama")
    assert old.followup.reply == "Sudah ditambah loket"
    assert new.contact == "a@b.id"
    assert purge_hashes(90, now=now) == 0  # nothing left to blank
    call_command("purge_hashes", days=5)
    new.refresh_from_db()
    assert (new.contact, new.suggestion) == ("", "Parkir")
