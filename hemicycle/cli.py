"""The `hemicycle` console script: every Django management command, and ours.

`hemicycle migrate`, `hemicycle runserver`, `hemicycle demo`, `hemicycle db_worker`…
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hemicycle.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hemicycle", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
