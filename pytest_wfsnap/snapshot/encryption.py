"""Encryption layer: AES-256-GCM with key rotation.

Keys are 32 random bytes. Where a key is given as text (and in the environment variable
``WFSNAP_SNAPSHOT_KEY``) it is the base64 of those 32 bytes (standard or URL-safe alphabet,
padding optional); :func:`generate_key` makes one. For rotation give several keys, newest
first: snapshots are encrypted with the first and decrypted with whichever matches. In the
environment variable, separate keys with commas.

Layout of an encrypted snapshot::

    b"WFSE" | 0x01 | key id (8 bytes) | nonce (12 bytes) | ciphertext | GCM tag (16 bytes)

The key id is the first 8 bytes of SHA-256 over a fixed label and the key, so the right key is
found without trying each one; the magic, envelope version and key id are authenticated as
associated data. Any change to the bytes, a truncation or a wrong key raises
:class:`SnapshotIntegrityError`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Mapping, Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pytest_wfsnap.errors import SnapshotError, SnapshotIntegrityError

ENCRYPTION_MAGIC = b"WFSE"
ENVELOPE_VERSION = 1
KEY_ENV_VAR = "WFSNAP_SNAPSHOT_KEY"
KEY_SIZE = 32
_KEY_ID_SIZE = 8
_NONCE_SIZE = 12
_TAG_SIZE = 16
_HEADER_SIZE = len(ENCRYPTION_MAGIC) + 1 + _KEY_ID_SIZE
_KEY_ID_LABEL = b"pytest-wfsnap snapshot key id\x00"

KeyLike = bytes | str


def generate_key() -> str:
    """A new random key, as the base64 text accepted everywhere a key is."""
    return base64.b64encode(os.urandom(KEY_SIZE)).decode("ascii")


def parse_key(key: KeyLike, *, label: str = "snapshot key") -> bytes:
    """The 32 raw bytes of a key given as bytes or as base64 text."""
    if isinstance(key, str):
        text = key.strip()
        try:
            raw = base64.b64decode(
                text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4),
                validate=True,
            )
        except (binascii.Error, ValueError):
            raise SnapshotError(
                f"invalid {label}: not base64 text; a key is the base64 of {KEY_SIZE} random "
                "bytes (make one with pytest_wfsnap.snapshot.generate_key())"
            ) from None
    elif isinstance(key, bytes):
        raw = key
    else:
        raise SnapshotError(f"invalid {label}: expected bytes or base64 text, got {type(key)}")
    if len(raw) != KEY_SIZE:
        raise SnapshotError(
            f"invalid {label}: expected {KEY_SIZE} bytes, got {len(raw)} "
            "(make one with pytest_wfsnap.snapshot.generate_key())"
        )
    return raw


def parse_keys(keys: Sequence[KeyLike] | KeyLike) -> list[bytes]:
    """Keys in rotation order (a single key may be given alone)."""
    if isinstance(keys, str | bytes):
        keys = [keys]
    return [parse_key(key, label=f"snapshot key #{index + 1}") for index, key in enumerate(keys)]


def keys_from_env(environ: Mapping[str, str] | None = None) -> list[bytes]:
    """The keys in ``WFSNAP_SNAPSHOT_KEY`` (comma-separated, newest first); [] when unset."""
    text = (os.environ if environ is None else environ).get(KEY_ENV_VAR, "")
    parts = [part.strip() for part in text.split(",") if part.strip()]
    return [parse_key(part, label=f"key #{i + 1} in {KEY_ENV_VAR}") for i, part in enumerate(parts)]


def key_id(key: bytes) -> bytes:
    """The public 8-byte identifier of a key."""
    return hashlib.sha256(_KEY_ID_LABEL + key).digest()[:_KEY_ID_SIZE]


def encrypt(data: bytes, keys: Sequence[KeyLike] | KeyLike) -> bytes:
    """``data`` encrypted with the first of ``keys``."""
    parsed = parse_keys(keys)
    if not parsed:
        raise SnapshotError("cannot encrypt snapshot: no key given")
    key = parsed[0]
    header = ENCRYPTION_MAGIC + bytes([ENVELOPE_VERSION]) + key_id(key)
    nonce = os.urandom(_NONCE_SIZE)
    return header + nonce + AESGCM(key).encrypt(nonce, data, header)


def decrypt(data: bytes, keys: Sequence[KeyLike] | KeyLike) -> bytes:
    """The plaintext of an encrypted snapshot, using whichever of ``keys`` it was made with."""
    if len(data) < _HEADER_SIZE + _NONCE_SIZE + _TAG_SIZE:
        raise SnapshotIntegrityError("encrypted snapshot is truncated")
    if not data.startswith(ENCRYPTION_MAGIC):
        raise SnapshotIntegrityError("not an encrypted snapshot (wrong magic bytes)")
    version = data[len(ENCRYPTION_MAGIC)]
    if version != ENVELOPE_VERSION:
        raise SnapshotIntegrityError(
            f"encrypted snapshot has envelope version {version}; this release reads "
            f"{ENVELOPE_VERSION} (or the data was altered)"
        )
    parsed = parse_keys(keys)
    if not parsed:
        raise SnapshotIntegrityError(
            f"snapshot is encrypted but no key was given: pass keys=... or set {KEY_ENV_VAR}"
        )
    header = data[:_HEADER_SIZE]
    wanted = header[len(ENCRYPTION_MAGIC) + 1 :]
    nonce = data[_HEADER_SIZE : _HEADER_SIZE + _NONCE_SIZE]
    body = data[_HEADER_SIZE + _NONCE_SIZE :]
    candidates = [key for key in parsed if key_id(key) == wanted]
    if not candidates:
        raise SnapshotIntegrityError(
            f"snapshot was encrypted with key id {wanted.hex()}, which none of the "
            f"{len(parsed)} given key(s) has: wrong key, or the snapshot was altered"
        )
    for key in candidates:
        try:
            return AESGCM(key).decrypt(nonce, body, header)
        except InvalidTag:
            continue
    raise SnapshotIntegrityError(
        "snapshot failed its integrity check: it was altered or truncated after encryption"
    )


__all__ = [
    "ENCRYPTION_MAGIC",
    "KEY_ENV_VAR",
    "KEY_SIZE",
    "KeyLike",
    "decrypt",
    "encrypt",
    "generate_key",
    "key_id",
    "keys_from_env",
    "parse_key",
    "parse_keys",
]
