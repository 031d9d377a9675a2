"""Every text a person sees has its English, and the committed .mo is what the .po says."""

from __future__ import annotations

import polib
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from skm.lib.errors import MESSAGES, message
from skm.maintenance.management.commands import translations


@pytest.mark.slow
def test_every_string_in_code_and_templates_has_english_and_the_mo_is_fresh():
    assert translations.problems() == []


def test_check_names_a_string_without_english(tmp_path, monkeypatch):
    po = polib.pofile(str(translations.PO))
    po.append(polib.POEntry(msgid="Teks yang tidak dipakai di kode", msgstr=""))
    changed = tmp_path / "django.po"
    po.save(str(changed))
    po.save_as_mofile(str(tmp_path / "django.mo"))
    monkeypatch.setattr(translations, "PO", changed)
    found = translations.problems()
    assert any("Teks yang tidak dipakai di kode" in line for line in found)
    with pytest.raises(CommandError):
        call_command("translations", check=True)


def test_a_stale_mo_is_found(tmp_path, monkeypatch):
    po = polib.pofile(str(translations.PO))
    stale = tmp_path / "django.po"
    po.save(str(stale))
    first = next(e for e in po if e.msgstr)
    first.msgstr = first.msgstr + " (old)"
    po.save_as_mofile(str(tmp_path / "django.mo"))
    monkeypatch.setattr(translations, "PO", stale)
    assert any("django.mo" in line for line in translations.problems())


def test_every_error_code_reads_differently_in_english():
    for code, text in MESSAGES.items():
        with translation.override("en"):
            english = str(text)
        with translation.override("id"):
            indonesian = str(text)
        assert english != indonesian, code


def test_message_follows_the_active_language_unless_one_is_named():
    with translation.override("en"):
        assert message("required", column="x") == "Column 'x' is required."
        assert message("required", "id", column="x") == "Kolom 'x' wajib diisi."
    assert message("required", column="x") == "Kolom 'x' wajib diisi."
