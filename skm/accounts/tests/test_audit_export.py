"""The audit trail's CSV export: no field a spreadsheet reads is a formula, whatever separator."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from skm.accounts import audit
from skm.accounts.models import AuditEvent
from skm.lib.tests.readers import HOSTILE, formula_fields

pytestmark = pytest.mark.django_db


def export(client, user) -> str:
    client.force_login(user)
    response = client.post(
        reverse("admin:accounts_auditevent_changelist"),
        {"action": "export_csv", "_selected_action": list(AuditEvent.objects.values_list("pk", flat=True))},
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return response.content.decode("utf-8")


def test_hostile_text_is_no_formula_read_with_semicolon_or_comma(client, people):
    people.unit.name = "@SUM(1) Puskesmas"
    people.unit.save()
    for text in HOSTILE:
        audit.record("admin.change", people.unit, summary=text, before={"alasan": text}, after=[1, -2])
    text = export(client, people.pemda_admin)
    assert text.startswith("\ufeff")
    assert formula_fields(text) == []
    # Read as written, every summary is there, apostrophes aside.
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert len(rows) == 1 + len(HOSTILE)
    assert [row[6].replace("'", "") for row in rows[1:]] == [h.replace("'", "") for h in HOSTILE]
    assert {row[5] for row in rows[1:]} == {"'@SUM(1) Puskesmas"}
