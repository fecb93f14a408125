"""Official identifiers of associations and organisations, pure Python (no Django).

- RNA (Répertoire national des associations): ``W`` + 9 characters, the first three
  being the prefecture's code (``W595012345``; Corsica: ``W2A1001234``).
- SIREN: 9 digits with a Luhn check digit.
- SIRET: the SIREN + a 5-digit establishment number, 14 digits, Luhn as a whole (except
  La Poste, SIREN 356000000, whose SIRETs have a digit sum divisible by 5).
"""

import re

RNA = re.compile(r"^W[0-9][0-9AB][0-9]{7}$")
LA_POSTE = "356000000"


def clean(value: str) -> str:
    """Upper case, without spaces, dots or dashes: "w59 501 2345" → "W595012345"."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def luhn_valid(digits: str) -> bool:
    if not digits.isdigit():
        return False
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def rna_valid(value: str) -> bool:
    return bool(RNA.match(clean(value)))


def siren_valid(value: str) -> bool:
    value = clean(value)
    return len(value) == 9 and luhn_valid(value)


def siret_valid(value: str) -> bool:
    value = clean(value)
    if len(value) != 14 or not value.isdigit():
        return False
    if value.startswith(LA_POSTE):
        return sum(int(c) for c in value) % 5 == 0
    return luhn_valid(value)


def kind_of(value: str) -> str | None:
    """"rna", "siren" or "siret" for a valid identifier, None otherwise."""
    value = clean(value)
    if rna_valid(value):
        return "rna"
    if siren_valid(value):
        return "siren"
    if siret_valid(value):
        return "siret"
    return None


# What an uploaded file really is, from its first bytes (never from its name or the
# browser's claim): the attachments we accept.
SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
]


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a PDF, PNG, JPEG or WebP file; None for anything else."""
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None
