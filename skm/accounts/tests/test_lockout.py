"""Repeated failed logins lock the account for that address for a while."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def attempt(client, password, ip="198.51.100.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "dinkes", "password": password},
        REMOTE_ADDR=ip,
    )


def test_five_failures_lock_even_the_right_password_out(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "salah").status_code == 200  # the login form again
    locked = attempt(client, "salah")
    assert locked.status_code == 429
    assert "Login dikunci sementara" in locked.content.decode()
    assert attempt(client, "uji-rahasia-123").status_code == 429
    # Another address is not locked out.
    assert attempt(client, "uji-rahasia-123", ip="203.0.113.50").status_code == 302


def test_a_success_resets_the_count(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "salah")
    assert attempt(client, "uji-rahasia-123").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "salah").status_code == 200
