"""Setting kiosk tablets up and revoking them (/kelola/kios/, the admin): scoped and audited."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib import admin
from django.urls import reverse

from skm.accounts.models import AuditEvent
from skm.collection import devices
from skm.collection.models import KioskDevice
from skm.testing import make_tablet

pytestmark = pytest.mark.django_db

LIST = "/kelola/kios/"


def install_url(unit):
    return reverse("tablets:install", args=[unit.slug])


def setup_blob(response):
    match = re.search(
        r'<script id="tablet-setup" type="application/json">(.*?)</script>', response.text, re.S
    )
    assert match, "no tablet-setup data in the page"
    return json.loads(match.group(1))


def test_list_shows_the_units_one_may_change_with_their_tablets(client, people):
    tablet, _ = make_tablet(people.unit, "Loket 1")
    revoked, _ = make_tablet(people.unit, "Loket lama")
    devices.revoke(revoked, people.unit_admin)
    make_tablet(people.sibling_unit, "Tablet tetangga")
    client.force_login(people.unit_admin)
    html = client.get(LIST).content.decode()
    assert "Puskesmas Terminal" in html and "Puskesmas Cempaka" not in html
    assert "Loket 1" in html and "Loket lama" in html and "Tablet tetangga" not in html
    assert html.count(">Pasang tablet ini</button>") == 1
    assert reverse("tablets:revoke", args=[people.unit.slug, tablet.pk]) in html
    assert reverse("tablets:revoke", args=[people.unit.slug, revoked.pk]) not in html  # revoked already
    assert "dicabut " in html and ">aktif<" in html
    client.force_login(people.pemda_admin)
    html = client.get(LIST).content.decode()
    assert "Puskesmas Cempaka" in html and "Tablet tetangga" in html and "Puskesmas Lain" not in html


def test_list_query_count_does_not_grow_with_units_and_tablets(client, people, django_assert_num_queries):
    client.force_login(people.pemda_admin)
    client.get(LIST)
    for unit in (people.unit, people.sibling_unit, people.other_pd_unit):
        make_tablet(unit)
        make_tablet(unit)
    # Session and user; the units (with Pemda and PD); their tablets (with who set them up); the
    # session saved again (SESSION_SAVE_EVERY_REQUEST: savepoint, update, release).
    with django_assert_num_queries(7):
        assert client.get(LIST).status_code == 200


def test_setting_a_tablet_up_hands_it_a_token_and_logs_the_admin_out(client, people):
    client.force_login(people.unit_admin)
    response = client.post(install_url(people.unit), {"label": "Loket 3"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    setup = setup_blob(response)
    tablet = KioskDevice.objects.get()
    assert (tablet.unit, tablet.label, tablet.issued_by) == (people.unit, "Loket 3", people.unit_admin)
    assert setup == {
        "token": devices.token_for(tablet),
        "unit": people.unit.slug,
        "unit_name": "Puskesmas Terminal",
        "label": "Loket 3",
        "kiosk": f"/k/{people.unit.slug}/",
    }
    assert devices.tablet(setup["token"], people.unit.pk) == tablet.pk
    assert devices.tablet(setup["token"], people.sibling_unit.pk) is None
    assert "/static/skm/tablet-setup.js" in response.text
    event = AuditEvent.objects.get(action="kiosk.issue")
    assert (event.user, event.unit_id, event.object_id) == (people.unit_admin, people.unit.pk, str(tablet.pk))
    # The tablet stays at the counter: the admin's session on it is gone.
    assert client.get(LIST).status_code == 302


def test_set_up_is_a_post_within_ones_own_units(client, people):
    client.force_login(people.unit_admin)
    assert client.get(install_url(people.unit)).status_code == 405
    assert client.post(install_url(people.sibling_unit), {"label": "x"}).status_code == 404
    client.force_login(people.pimpinan)
    assert client.post(install_url(people.unit), {"label": "x"}).status_code == 403
    client.logout()
    assert client.post(install_url(people.unit), {"label": "x"}).status_code == 302  # to log in
    assert not KioskDevice.objects.exists()


def test_revoking_takes_the_allowance_away_and_is_audited(client, people):
    tablet, token = make_tablet(people.unit)
    assert devices.tablet(token, people.unit.pk) == tablet.pk
    client.force_login(people.unit_admin)
    url = reverse("tablets:revoke", args=[people.unit.slug, tablet.pk])
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert "dicabut: jawabannya kini dihitung seperti perangkat biasa" in response.text
    tablet.refresh_from_db()
    assert tablet.revoked_at is not None and tablet.revoked_by == people.unit_admin
    assert devices.tablet(token, people.unit.pk) is None
    event = AuditEvent.objects.get(action="kiosk.revoke")
    assert (event.user, event.unit_id) == (people.unit_admin, people.unit.pk)
    assert "sudah dicabut" in client.post(url, follow=True).text  # twice: said, not an error
    assert AuditEvent.objects.filter(action="kiosk.revoke").count() == 1


def test_revoking_another_units_tablet_is_404(client, people):
    theirs, token = make_tablet(people.sibling_unit)
    client.force_login(people.unit_admin)
    for slug in (people.sibling_unit.slug, people.unit.slug):  # the other unit, or ours in the URL
        assert client.post(reverse("tablets:revoke", args=[slug, theirs.pk])).status_code == 404
    assert devices.tablet(token, people.sibling_unit.pk) == theirs.pk


def test_english_labels(client, people):
    client.force_login(people.unit_admin)
    client.post("/i18n/setlang/", {"language": "en", "next": LIST})
    html = client.get(LIST).content.decode()
    assert "Kiosk tablets" in html and "Set up this tablet" in html


def test_the_admin_revokes_and_neither_adds_nor_deletes(client, people):
    tablet, token = make_tablet(people.unit)
    mine = KioskDevice.objects.filter(pk=tablet.pk)
    model_admin = admin.site._registry[KioskDevice]
    client.force_login(people.pd_admin)
    changelist = reverse("admin:collection_kioskdevice_changelist")
    response = client.post(changelist, {"action": "revoke", "_selected_action": [tablet.pk]}, follow=True)
    assert response.status_code == 200
    assert mine.get().revoked_at is not None
    assert devices.tablet(token, people.unit.pk) is None
    assert AuditEvent.objects.get(action="kiosk.revoke").user == people.pd_admin
    request = type("R", (), {"user": people.pemda_admin})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_delete_permission(request, tablet)
    assert client.get(reverse("admin:collection_kioskdevice_add")).status_code == 403


def test_ids_in_the_page_are_plain_digits_past_a_thousand(client, people):
    """USE_THOUSAND_SEPARATOR writes 1993 as "1.993" in Indonesian: an id or a form value must not.
    (On PostgreSQL a long test run reaches such ids; the browser test looked for #label-1993.)"""
    from skm.testing import make_unit

    make_unit(people.dinas, "Puskesmas Besar", id=12345)
    client.force_login(people.pd_admin)
    html = client.get(LIST).content.decode()
    assert 'id="label-12345"' in html and 'aria-labelledby="unit-12345"' in html
    assert "12.345" not in html
