"""What every fake service here needs to be reached over real HTTPS: a server certificate
for 127.0.0.1 from a throwaway trustme CA, and that CA written out for `requests` to trust
(REQUESTS_CA_BUNDLE)."""

from __future__ import annotations

import ssl
from pathlib import Path

import trustme


def server_tls(ca_dir: Path, name: str) -> tuple[ssl.SSLContext, Path]:
    """The server's TLS context and the path of the CA certificate that signed it."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    ca_path = ca_dir / f"{name}-ca.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    return context, ca_path


def point_at_fake(overrides: dict, ca_path: Path, settings, monkeypatch) -> None:
    """Django's settings and the environment (which a worker process inherits) point at the
    fake, and requests trusts its CA."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca_path))
    for name, value in overrides.items():
        setattr(settings, name, value)
        monkeypatch.setenv(name, str(value))
