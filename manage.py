#!/usr/bin/env python
"""Django's manage.py; `hemicycle` (the console script) does the same."""

from hemicycle.cli import main

if __name__ == "__main__":
    main()
