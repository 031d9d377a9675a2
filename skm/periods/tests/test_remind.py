"""`skm remind` against a real SMTP server (aiosmtpd): each reminder arrives once, however often
and however concurrently the command runs."""

from __future__ import annotations

import datetime as dt
import email
import socket
import threading
from email.header import decode_header, make_header
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import connection

from skm.periods import reporting
from skm.periods.models import ReminderPolicy, ReminderSent
from skm.periods.reminders import due, send_due, stage
from skm.periods.tests.builders import make_period
from skm.results.ranges import today_in
from skm.testing import make_people


class Inbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.lock = threading.Lock()
        self.port = 0

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def subjects(self):
        return sorted(str(make_header(decode_header(m["Subject"]))) for m in self.messages)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


def _setup(days_left: int):
    people = make_people()
    today = today_in(people.pemda)
    period = make_period(people.pemda, report_deadline=today + dt.timedelta(days=days_left))
    people.unit_admin.email = "puskesmas@example.org"
    people.unit_admin.save()
    return people, period


def test_stage_is_the_nearest_reminder_day_not_passed():
    assert stage(9, [7, 1]) is None
    assert stage(7, [7, 1]) == 7
    assert stage(5, [7, 1]) == 7
    assert stage(1, [7, 1]) == 1
    assert stage(0, [7, 1]) == 1
    assert stage(-1, [7, 1]) is None


@pytest.mark.django_db
def test_remind_twice_sends_each_reminder_once(smtp):
    people, period = _setup(days_left=6)
    out = StringIO()
    call_command("remind", stdout=out, stderr=StringIO())
    call_command("remind", stdout=out, stderr=StringIO())
    assert out.getvalue().splitlines() == ["1 pengingat dikirim.", "0 pengingat dikirim."]
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "puskesmas@example.org"
    assert smtp.subjects() == [
        f"Pengingat pelaporan SKM Tahunan 2026: batas {_id_date(period.report_deadline)}"
    ]
    body = message.get_payload(decode=True).decode()
    assert "Puskesmas Terminal belum melaporkan" in body
    assert f"/kelola/periode/{period.pk}/unit/{people.unit.slug}/" in body
    # Units whose admins have no address are named, not marked as sent.
    assert ReminderSent.objects.filter(period=period).count() == 1


@pytest.mark.django_db
def test_the_next_stage_is_sent_once_more_and_reported_units_are_left_alone(smtp):
    people, period = _setup(days_left=6)
    people.pd_admin.email = "dinkes@example.org"  # not a unit admin: reminders go to unit admins
    people.pd_admin.save()
    assert len(send_due().sent) == 1
    period.report_deadline = today_in(people.pemda) + dt.timedelta(days=1)
    period.save()
    assert len(send_due().sent) == 1
    assert len(send_due().sent) == 0
    assert len(smtp.messages) == 2
    assert sorted(ReminderSent.objects.values_list("days_before", flat=True)) == [1, 7]
    other = make_period(people.pemda, kind="s1", report_deadline=today_in(people.pemda))
    reporting.submit(people.unit, other, user=people.unit_admin)
    assert send_due().sent == []


@pytest.mark.django_db
def test_the_pemda_sets_its_reminder_days(smtp):
    people, _period = _setup(days_left=10)
    assert send_due().sent == []
    ReminderPolicy.objects.create(pemda=people.pemda, days="14,3")
    sent = send_due().sent
    assert [(i.unit, i.days_before) for i in sent] == [(people.unit, 14)]


@pytest.mark.django_db
def test_a_failed_send_is_retried_next_run(smtp, settings):
    _people, _period = _setup(days_left=1)
    settings.EMAIL_PORT = _free_port()  # nobody listens there
    with pytest.raises(OSError):
        send_due()
    assert ReminderSent.objects.count() == 0
    settings.EMAIL_PORT = smtp.port
    assert len(send_due().sent) == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_each_reminder_once(smtp):
    if connection.vendor == "sqlite":
        pytest.skip("in-memory SQLite is one connection per thread without a shared writer lock")
    _setup(days_left=1)
    barrier = threading.Barrier(2)
    results = []

    def run():
        from django.db import connection as conn

        try:
            decided = due()  # both runs decide before either writes: the race is on the sent-log
            barrier.wait()
            results.append((len(decided), len(send_due(items=decided).sent)))
        finally:
            conn.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [(3, 0), (3, 1)]  # three units owe it; one has an admin with an address
    assert len(smtp.messages) == 1


def _id_date(day):
    from skm.lib.dates import format_date

    return format_date(day, "id")
