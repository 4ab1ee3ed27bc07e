"""Helpers for files users upload and the portal keeps."""

from __future__ import annotations

import hashlib
from typing import IO


def sha256_hex(stream: IO[bytes]) -> str:
    """The SHA-256 of the whole `stream`, read in 1 MB chunks so a large upload is never
    held in memory at once; the stream is left at its start for whoever stores it."""
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()
