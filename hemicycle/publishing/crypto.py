"""Channel secrets, encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256).

The key comes from the ``HEMICYCLE_CREDENTIALS_KEY`` setting (environment variable)
when it is set (any long random string), otherwise from ``SECRET_KEY``. Decryption
accepts both, so a site that sets the variable later still reads what was stored before; a site that
rotates ``SECRET_KEY`` without that variable must enter its channels' secrets again.
"""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _fernet_key(secret: str) -> bytes:
    digest = hashlib.sha256(b"hemicycle.publishing.credentials:" + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _fernet() -> MultiFernet:
    secrets = [settings.HEMICYCLE_CREDENTIALS_KEY or "", settings.SECRET_KEY]
    return MultiFernet([Fernet(_fernet_key(s)) for s in secrets if s])


def encrypt_json(values: dict) -> str:
    return _fernet().encrypt(json.dumps(values).encode()).decode()


def decrypt_json(token: str) -> dict:
    """The stored dict; empty when nothing is stored or the key changed."""
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except (InvalidToken, ValueError):
        return {}
