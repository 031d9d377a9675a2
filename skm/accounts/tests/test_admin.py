"""The Django admin shows each role its own part of the hierarchy and nothing else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from skm.organisation.models import Unit

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_unit_changelist_is_scoped(client, people):
    p = people
    login(client, p.pd_admin)
    page = client.get(reverse("admin:organisation_unit_changelist")).content.decode()
    assert "Puskesmas Terminal" in page and "Puskesmas Cempaka" in page
    assert "Kelurahan Alalak" not in page and "Puskesmas Lain" not in page


def test_outsider_cannot_open_another_pemdas_unit(client, people):
    login(client, people.outsider)
    url = reverse("admin:organisation_unit_change", args=[people.unit.pk])
    response = client.get(url)
    assert response.status_code in (302, 403, 404)
    assert "Puskesmas Terminal" not in response.content.decode()


def test_unit_admin_may_edit_own_unit_but_not_sibling(client, people):
    p = people
    login(client, p.unit_admin)
    assert client.get(reverse("admin:organisation_unit_change", args=[p.unit.pk])).status_code == 200
    sibling = client.get(reverse("admin:organisation_unit_change", args=[p.sibling_unit.pk]))
    assert sibling.status_code != 200 or "Puskesmas Cempaka" not in sibling.content.decode()


def test_pd_admin_cannot_move_a_unit_out_of_their_pd(client, people):
    p = people
    login(client, p.pd_admin)
    url = reverse("admin:organisation_unit_change", args=[p.unit.pk])
    data = {
        "pemda": p.pemda.pk,
        "perangkat_daerah": p.other_pd.pk,
        "name": p.unit.name,
        "slug": p.unit.slug,
        "unit_type": p.unit.unit_type_id,
        "frequency": "tahunan",
        "position": 0,
        "active": "on",
        "services-TOTAL_FORMS": 0,
        "services-INITIAL_FORMS": 0,
        "ikm_targets-TOTAL_FORMS": 0,
        "ikm_targets-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 200  # form error: the other PD is not a valid choice
    assert set(response.context["adminform"].form.errors) == {"perangkat_daerah"}
    assert Unit.objects.get(pk=p.unit.pk).perangkat_daerah == p.dinas


def test_pimpinan_and_plain_users_do_not_enter_the_admin(client, people):
    for user in (people.pimpinan, people.no_role):
        login(client, user)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302, user


def test_admin_pages_are_indonesian(client, people):
    login(client, people.pemda_admin)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Organisasi" in page and "UPP (unit layanan)" in page


def test_indonesian_first_whatever_the_browser_says_and_english_on_request(client, people):
    login(client, people.pemda_admin)
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Selamat datang" in page and "English" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    page = client.get(reverse("admin:index")).content.decode()
    assert "Welcome" in page and "Bahasa Indonesia" in page


def test_a_published_instrument_version_is_read_only_in_the_admin(client, people):
    login(client, people.pemda_admin)
    version = people.pemda.instruments.get().current_version()
    page = client.get(
        reverse("admin:instrument_instrumentversion_change", args=[version.pk])
    ).content.decode()
    assert 'name="note"' not in page and "Instrumen awal PermenPAN-RB 14/2017" in page
    assert 'name="questions-0-text"' not in page


def test_a_draft_version_is_editable(client, people):
    from skm.instrument.setup import new_version

    login(client, people.pemda_admin)
    draft = new_version(people.pemda.instruments.get(), note="draf")
    page = client.get(reverse("admin:instrument_instrumentversion_change", args=[draft.pk])).content.decode()
    assert 'name="note"' in page and 'name="questions-0-text"' in page
