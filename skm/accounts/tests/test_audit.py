"""Every admin change is audited; the Pemda admin sees and exports their Pemda's trail."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from skm.accounts.models import AuditEvent
from skm.collection import changes
from skm.testing import make_answer

pytestmark = pytest.mark.django_db


def change_unit(client, user, unit, **fields):
    client.force_login(user)
    data = {
        "pemda": unit.pemda_id,
        "perangkat_daerah": unit.perangkat_daerah_id,
        "name": unit.name,
        "slug": unit.slug,
        "unit_type": unit.unit_type_id,
        "frequency": unit.frequency,
        "position": unit.position,
        "active": "on",
        "network_ranges": "",
        "services-TOTAL_FORMS": 0,
        "services-INITIAL_FORMS": 0,
        "ikm_targets-TOTAL_FORMS": 0,  # the unit's IKM targets (skm.organisation.admin.UnitTargetInline)
        "ikm_targets-INITIAL_FORMS": 0,
    }
    data.update(fields)
    return client.post(reverse("admin:organisation_unit_change", args=[unit.pk]), data)


def test_an_admin_change_is_recorded_with_before_and_after(client, people):
    response = change_unit(client, people.unit_admin, people.unit, population="1234")
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="admin.change")
    assert event.user == people.unit_admin
    assert event.unit_id == people.unit.pk and event.pemda_id == people.pemda.pk
    assert event.before["population"] is None and event.after["population"] == 1234
    assert "population" in event.summary


def test_user_changes_are_audited_without_the_password(client, people):
    client.force_login(people.pemda_admin)
    url = reverse("admin:accounts_user_change", args=[people.pd_admin.pk])
    response = client.post(
        url,
        {
            "username": "dinkes",
            "first_name": "Siti",
            "last_name": "",
            "email": "",
            "phone": "",
            "role": "admin_pd",
            "pemda": people.pemda.pk,
            "perangkat_daerah": people.dinas.pk,
            "unit": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(object_type="accounts.user")
    assert event.after["first_name"] == "Siti"
    assert "password" not in event.after and "password" not in event.before


def test_pemda_admin_sees_only_their_pemda_and_exports_safely(client, people):
    mine = make_answer(people.unit)
    other = make_answer(people.other_pemda_unit)
    changes.set_excluded(mine, True, user=people.pemda_admin, reason='=HYPERLINK("http://x")')
    changes.set_excluded(other, True, user=people.outsider, reason="rahasia Pemda lain")
    client.force_login(people.pemda_admin)
    page = client.get(reverse("admin:accounts_auditevent_changelist")).content.decode()
    assert "HYPERLINK" in page and "rahasia Pemda lain" not in page
    response = client.post(
        reverse("admin:accounts_auditevent_changelist"),
        {"action": "export_csv", "_selected_action": list(AuditEvent.objects.values_list("pk", flat=True))},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "waktu" and len(rows) == 2  # the other Pemda's event is not exported
    assert rows[1][6].startswith("'=HYPERLINK")


def test_the_audit_trail_cannot_be_edited(client, people):
    changes.set_excluded(make_answer(people.unit), True, user=people.pemda_admin, reason="uji")
    event = AuditEvent.objects.get()
    client.force_login(people.pemda_admin)
    url = reverse("admin:accounts_auditevent_change", args=[event.pk])
    client.post(url, {"summary": "diubah"})
    event.refresh_from_db()
    assert event.summary == "uji"
    assert (
        client.post(reverse("admin:accounts_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()
