"""docs/cli.md is the real `--help` output of every `skm` command of ours (docs/gen_cli.py)."""

from __future__ import annotations

import os
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = runpy.run_path(str(ROOT / "docs" / "gen_cli.py"))


def test_cli_reference_is_what_help_prints():
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == GENERATOR["render"](), "docs/cli.md basi / stale: run .venv/bin/python docs/gen_cli.py"


def test_every_command_and_sub_command_has_its_section():
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for _app, name in GENERATOR["our_commands"]():
        assert f"\n## `skm {name.replace('_', '-')}`\n" in written, name
    for sub in ("skm recap check", "skm rollups rebuild"):
        assert f"\n## `{sub}`\n" in written, sub
    for option in ("--bobot", "--if-empty", "--interval", "--no-collectstatic", "--threads"):
        assert option in written, option


def test_the_width_does_not_follow_the_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    assert GENERATOR["render"]() == (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    monkeypatch.delenv("COLUMNS")
    GENERATOR["render"]()
    assert "COLUMNS" not in os.environ  # put back as it was
