"""Official identifiers of organisations: pure Python, no Django.

- RNA (Répertoire national des associations): "W" + 9 digits, e.g. W595012345. Older
  associations keep a number of the former Waldec file, which the RNA also uses.
- SIREN (9 digits) and SIRET (14 digits = SIREN + 5-digit establishment number), both
  with a Luhn check digit. La Poste's establishments (SIREN 356000000) are the one
  documented exception: their SIRET digits add up to a multiple of 5 instead.
"""

import re

_RNA = re.compile(r"^W\d{9}$")
_SPACES = re.compile(r"[\s.\-]+")
LA_POSTE_SIREN = "356000000"


def clean(value: str) -> str:
    """Spaces, dots and hyphens removed, upper case: "w59 501 2345" → "W595012345"."""
    return _SPACES.sub("", value or "").upper()


def luhn_ok(digits: str) -> bool:
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        number = int(char)
        if position % 2:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


def is_rna(value: str) -> bool:
    return bool(_RNA.match(clean(value)))


def is_siren(value: str) -> bool:
    value = clean(value)
    return len(value) == 9 and luhn_ok(value)


def is_siret(value: str) -> bool:
    value = clean(value)
    if len(value) != 14 or not value.isdigit():
        return False
    if value.startswith(LA_POSTE_SIREN):
        return sum(int(c) for c in value) % 5 == 0
    return luhn_ok(value)


def luhn_complete(prefix: str) -> str:
    """The prefix followed by the digit that makes it pass the Luhn check (for tests and
    generated data)."""
    for digit in "0123456789":
        if luhn_ok(prefix + digit):
            return prefix + digit
    raise ValueError(prefix)  # pragma: no cover - one digit always fits
