"""The per-device flood limit holds however a client names itself (issue 21, item 7).

Found by a hostile try: declaring "channel": "kiosk", or sending a new `device` id with every
request, took a client past SKM_RATE_DEVICE (25 of 25 accepted). Every request here comes from
one address (the test client's 127.0.0.1), whose own limit, SKM_RATE_IP, is far above these.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from skm.accounts.models import AuditEvent
from skm.collection import devices, integrity
from skm.collection.models import Answer, Channel, KioskDevice
from skm.scoring.elements import ELEMENTS
from skm.testing import make_pd, make_pemda, make_service, make_tablet, make_unit

pytestmark = pytest.mark.django_db

DEVICE_ALLOWANCE = 20  # SKM_RATE_DEVICE's default, 20/h, set below so the test says it


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.SKM_RATE_DEVICE = f"{DEVICE_ALLOWANCE}/h"
    settings.SKM_RATE_KIOSK = "600/h"
    settings.SKM_RATE_IP = "600/h"


@pytest.fixture
def unit():
    return make_unit(make_pd(make_pemda()))


def body(target, **overrides):
    data = {
        "unit": target.slug,
        "answers": dict.fromkeys(ELEMENTS, 4),
        "idempotency_key": uuid.uuid4().hex,
        "channel": "kiosk",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(client, data):
    return client.post("/api/v1/answers", json.dumps(data), content_type="application/json")


def statuses(client, bodies):
    replies = [post(client, b) for b in bodies]
    assert all(r.status_code in (201, 429) for r in replies), [(r.status_code, r.content) for r in replies]
    return [r.status_code for r in replies]


def accepted_then_refused(codes, accepted):
    return codes == [201] * accepted + [429] * (len(codes) - accepted)


def test_declaring_kiosk_without_a_token_gets_the_device_allowance_only(client, unit):
    device = devices.new_device_id()
    codes = statuses(client, [body(unit, device=device) for _ in range(25)])
    assert accepted_then_refused(codes, DEVICE_ALLOWANCE)
    assert set(Answer.objects.values_list("channel", flat=True)) == {Channel.API}  # not "kiosk"


def test_a_new_made_up_device_id_per_request_is_still_one_device(client, unit):
    codes = statuses(client, [body(unit, device=f"kios-{uuid.uuid4().hex}") for _ in range(25)])
    assert accepted_then_refused(codes, DEVICE_ALLOWANCE)
    # …whatever the channel, and with no device id at all.
    cache.clear()
    codes = statuses(client, [body(unit, channel="api", device=uuid.uuid4().hex) for _ in range(25)])
    assert accepted_then_refused(codes, DEVICE_ALLOWANCE)
    cache.clear()
    assert accepted_then_refused(statuses(client, [body(unit) for _ in range(25)]), DEVICE_ALLOWANCE)
    # All of them counted as the address they came from: one device hash.
    assert Answer.objects.values("device_hash").distinct().count() == 1
    assert Answer.objects.first().device_hash == integrity.keyed_hash("device", "ip:127.0.0.1")


def test_a_signed_id_with_a_forged_signature_is_the_address_too(client, unit):
    real = devices.new_device_id()
    forged = [f"{uuid.uuid4().hex}:{real.split(':')[1]}" for _ in range(25)]
    assert accepted_then_refused(statuses(client, [body(unit, device=d) for d in forged]), DEVICE_ALLOWANCE)


def test_phones_behind_one_nat_each_have_their_own_allowance(client, unit):
    """Thirty phones on one Puskesmas wifi, each with the id the server gave it: none refused."""
    phones = [devices.new_device_id() for _ in range(30)]
    assert statuses(client, [body(unit, channel="api", device=p) for p in phones]) == [201] * 30
    # One of them flooding is refused alone.
    codes = statuses(client, [body(unit, channel="api", device=phones[0]) for _ in range(DEVICE_ALLOWANCE)])
    assert accepted_then_refused(codes, DEVICE_ALLOWANCE - 1)
    assert post(client, body(unit, channel="api", device=phones[1])).status_code == 201


def test_a_set_up_tablet_gets_the_kiosk_allowance(client, unit, settings):
    settings.SKM_RATE_KIOSK = "30/h"
    _, token = make_tablet(unit)
    device = devices.new_device_id()
    codes = statuses(client, [body(unit, device=device, kiosk_token=token) for _ in range(31)])
    assert accepted_then_refused(codes, 30)
    assert set(Answer.objects.values_list("channel", flat=True)) == {Channel.KIOSK}
    tablet = KioskDevice.objects.get()
    assert set(Answer.objects.values_list("device_hash", flat=True)) == {
        integrity.keyed_hash("device", f"kiosk:{tablet.pk}")
    }
    assert tablet.last_seen_at is not None


def test_a_revoked_tablet_is_an_ordinary_device(client, unit):
    tablet, token = make_tablet(unit)
    device = devices.new_device_id()
    assert post(client, body(unit, device=device, kiosk_token=token)).status_code == 201
    assert devices.revoke(tablet, None)
    codes = statuses(client, [body(unit, device=device, kiosk_token=token) for _ in range(25)])
    assert accepted_then_refused(codes, DEVICE_ALLOWANCE)
    assert Answer.objects.filter(channel=Channel.KIOSK).count() == 1  # the one before
    assert not devices.revoke(tablet, None)  # once is enough


def test_another_units_token_is_an_ordinary_device(client, unit):
    other = make_unit(make_pd(unit.pemda))
    _, token = make_tablet(other)
    codes = statuses(client, [body(unit, kiosk_token=token) for _ in range(25)])
    assert accepted_then_refused(codes, DEVICE_ALLOWANCE)
    assert not Answer.objects.filter(channel=Channel.KIOSK).exists()
    assert post(client, body(other, kiosk_token=token)).status_code == 201  # its own unit: a kiosk


def tampered(token, unit, other_unit, tablet):
    value, signature = token.split(":")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    return [
        f"{value}:{flipped}",  # signature changed
        f"{tablet.pk + 1}.{unit.pk}:{signature}",  # another tablet's id under this signature
        f"{tablet.pk}.{other_unit.pk}:{signature}",  # another unit under this signature
        value,  # no signature
        f"{token}x",
        ":",
        "",
        "ü" * 50 + ":" + "ö" * 50,
        "x" * 200,  # the longest the API takes
    ]


def test_a_tampered_token_is_an_ordinary_device_never_an_error(client, unit):
    tablet, token = make_tablet(unit)
    other = make_unit(make_pd(unit.pemda))
    variants = tampered(token, unit, other, tablet)
    bodies = [body(unit, kiosk_token=variants[i % len(variants)]) for i in range(25)]
    assert accepted_then_refused(statuses(client, bodies), DEVICE_ALLOWANCE)
    assert not Answer.objects.filter(channel=Channel.KIOSK).exists()
    # The real token of the same tablet still works (the tampering revoked nothing).
    assert post(client, body(unit, kiosk_token=token)).status_code == 201
    assert Answer.objects.filter(channel=Channel.KIOSK).count() == 1


def test_a_token_sent_with_channel_api_is_not_read(client, unit):
    _, token = make_tablet(unit)
    codes = statuses(client, [body(unit, channel="api", kiosk_token=token) for _ in range(21)])
    assert accepted_then_refused(codes, DEVICE_ALLOWANCE)


def test_the_survey_page_without_its_cookie_is_one_device_per_address(unit, settings):
    """A form-filling script that drops the device cookie before each answer is not a new phone
    each time; phones that keep the cookie the page gave them are (all from one address)."""
    settings.SKM_RATE_DEVICE = "2/h"
    service = make_service(unit)
    url = f"/s/{unit.slug}/"

    def send(keep_cookie):
        client = Client()
        page = client.get(url).content.decode()
        data = dict(re.findall(r'name="(idempotency_key|rendered)" value="([^"]*)"', page))
        data.update(dict.fromkeys(ELEMENTS, "3"), service=service.slug)
        if not keep_cookie:
            del client.cookies["skm_device"]
        return client.post(url, data).status_code

    assert [send(keep_cookie=False) for _ in range(4)] == [303, 303, 429, 429]
    assert [send(keep_cookie=True) for _ in range(4)] == [303] * 4


def test_device_ids_and_tokens_are_checked_without_a_query(unit, django_assert_num_queries):
    tablet, token = make_tablet(unit)
    device = devices.new_device_id()
    assert devices.tablet(token, unit.pk) == tablet.pk  # loads the active tablets once
    with django_assert_num_queries(0):
        for _ in range(100):
            assert devices.tablet(token, unit.pk) == tablet.pk
            assert devices.device_id(device) == device.split(":")[0]
            assert devices.tablet(token[:-1] + "x", unit.pk) is None
            assert devices.device_id("kios-" + device) == ""


def test_a_revocation_by_another_process_arrives_through_the_shared_token(unit):
    tablet, token = make_tablet(unit)
    assert devices.tablet(token, unit.pk) == tablet.pk
    # Another process revokes it: here an UPDATE without signals, plus the bump it would send.
    KioskDevice.objects.filter(pk=tablet.pk).update(revoked_at=timezone.now())
    assert devices.tablet(token, unit.pk) == tablet.pk  # this process still has it cached
    cache.incr("skm:kiosk-devices:")
    devices._TOKENS.forget()  # as if a second had passed
    assert devices.tablet(token, unit.pk) is None


def test_issuing_and_revoking_are_audited(people):
    tablet, _ = devices.issue(people.unit, "  Loket   2 ", people.unit_admin)
    assert tablet.label == "Loket 2" and tablet.issued_by == people.unit_admin
    devices.revoke(tablet, people.unit_admin)
    events = list(AuditEvent.objects.filter(object_type="collection.kioskdevice").order_by("pk"))
    assert [(e.action, e.user, e.unit_id, e.object_id) for e in events] == [
        ("kiosk.issue", people.unit_admin, people.unit.pk, str(tablet.pk)),
        ("kiosk.revoke", people.unit_admin, people.unit.pk, str(tablet.pk)),
    ]
    assert devices.issue(people.unit, "", None)[0].label == "Tablet 2"  # a name when none is given
