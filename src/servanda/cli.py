"""The `servanda` console script: Django's management commands under one name.

`servanda import …`, `servanda tick`, `servanda token USER`, `servanda generate …`
and every Django command (`servanda migrate`, `servanda runserver`) go through here.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servanda.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["servanda", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    main()
