"""The `skm` operator command: manage.py under a name a Bagian Organisasi admin can remember.

`skm import-units FILE` and `skm import_units FILE` are the same command: hyphens in the
sub-command name are accepted because they read better in documentation.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm.settings")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "skm"
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
