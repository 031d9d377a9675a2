"""`skm translations`: bring skm/locale up to date; `--check`: fail when it is not.

Message ids are Indonesian (the default language; a missing English text falls back to the
Indonesian one, never the reverse); English lives in skm/locale/en/LC_MESSAGES/django.po. Both
the .po and the compiled .mo are committed, so a fresh clone needs no gettext tools to run.

    skm translations           # extract every string (makemessages), then compile the .mo
    skm translations --check   # exit 1 naming each string without English, or a stale .po/.mo
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SOURCE = Path(settings.BASE_DIR) / "skm"
ENGLISH = Path("locale") / "en" / "LC_MESSAGES" / "django.po"
PO = SOURCE / ENGLISH
# Not translated: tests assert texts, migrations keep history, static holds no gettext calls.
IGNORED = ["tests", "migrations", "static", "__pycache__", "conftest.py", "testing.py"]
# Beside skm/ at the repository root: not part of the app.
OUTSIDE = ["bench", "docs", "node_modules", "var", "run.py", "manage.py"]
ENGLISH_HEADER = {"Language": "en", "Plural-Forms": "nplurals=2; plural=(n != 1);"}


def extract(root: Path) -> None:
    """makemessages for English over `root` (a tree holding skm/), with stable, location-free output."""
    here = Path.cwd()
    os.chdir(root)
    try:
        call_command(
            "makemessages",
            locale=["en"],
            ignore_patterns=[*IGNORED, *OUTSIDE],
            no_location=True,
            no_obsolete=True,
            verbosity=0,
        )
    finally:
        os.chdir(here)
    po = polib.pofile(str(root / "skm" / ENGLISH), wrapwidth=100)
    po.metadata.update(ENGLISH_HEADER)
    po.metadata.pop("POT-Creation-Date", None)  # changes on every run: merge conflicts, nothing else
    po.metadata_is_fuzzy = False
    po.header = "Platform SKM: English texts. Message ids are the Indonesian texts (see README, Layout)."
    po.save()


def catalog(entries: Any) -> dict[tuple[str, str], tuple[str, ...]]:
    """(context, id) → the English text(s) of every translated, non-fuzzy entry."""
    found = {}
    for entry in entries:
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        texts = tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)) or (entry.msgstr,)
        if all(texts):
            found[(entry.msgctxt or "", entry.msgid)] = texts
    return found


def _shown(msgid: str, context: str) -> str:
    return repr(msgid) + (f" ({context})" if context else "")


def problems() -> list[str]:
    """What --check reports: strings without English, a .po out of step with the code, a stale .mo."""
    found: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "skm"
        shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns(*IGNORED, "*.pyc"))
        shutil.copytree(SOURCE / "locale", copy / "locale", dirs_exist_ok=True)
        extract(Path(tmp))
        fresh = polib.pofile(str(copy / ENGLISH))
    committed = polib.pofile(str(PO))
    translated = catalog(committed)
    wanted = {(e.msgctxt or "", e.msgid) for e in fresh if not e.obsolete}
    for context, msgid in sorted(wanted - set(translated)):
        found.append(_("tanpa terjemahan Inggris: {text}").format(text=_shown(msgid, context)))
    for context, msgid in sorted({(e.msgctxt or "", e.msgid) for e in committed if not e.obsolete} - wanted):
        found.append(_("tidak dipakai lagi: {text}").format(text=_shown(msgid, context)))
    mo_path = PO.with_suffix(".mo")
    if not mo_path.exists() or catalog(polib.mofile(str(mo_path))) != translated:
        found.append(_("{path} basi: jalankan `skm translations`").format(path=mo_path))
    return found


class Command(BaseCommand):
    @property
    def help(self) -> str:  # a str (argparse refuses a lazy one), in the active language
        return _(
            "Perbarui skm/locale (ekstrak teks, kompilasi .mo); --check: gagal bila ada teks tanpa terjemahan."
        )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("periksa saja: keluar 1 bila ada teks tanpa terjemahan atau .mo basi"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            found = problems()
            for line in found:
                self.stderr.write(line)
            if found:
                raise CommandError(
                    ngettext("{n} masalah terjemahan.", "{n} masalah terjemahan.", len(found)).format(
                        n=len(found)
                    )
                )
            self.stdout.write(_("Terjemahan lengkap."))
            return
        PO.parent.mkdir(parents=True, exist_ok=True)
        extract(Path(settings.BASE_DIR))
        po = polib.pofile(str(PO))
        po.save_as_mofile(str(PO.with_suffix(".mo")))
        missing = sum(1 for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags))
        self.stdout.write(
            _("{path}: {n} teks, {missing} belum diterjemahkan.").format(
                path=PO.relative_to(settings.BASE_DIR), n=len(po), missing=missing
            )
        )
