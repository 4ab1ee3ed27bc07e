"""The lock files are what gets installed; requirements*.txt are what people edit."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s\\;]+)", re.M)


def pins(path: Path) -> dict[str, str]:
    return {
        re.sub(r"[-_.]+", "-", name).lower(): version
        for name, version in PIN.findall(path.read_text())
    }


@pytest.mark.parametrize(
    ("edited", "lock"),
    [
        (["requirements.txt"], "requirements.lock"),
        (["requirements.txt", "requirements-dev.txt"], "requirements-dev.lock"),
    ],
)
def test_the_lock_pins_every_listed_package_at_its_listed_version(edited, lock):
    """Editing requirements.txt without `make lock` would install the old version."""
    locked = pins(ROOT / lock)
    for name in edited:
        for package, version in pins(ROOT / name).items():
            assert locked.get(package) == version, f"{lock} is stale for {package}: run make lock"


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_package_carries_hashes(lock):
    """pip install --require-hashes refuses a lock with one unhashed entry."""
    entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text())
    blocks = [e for e in entries if PIN.match(e)]
    assert len(blocks) > 50
    unhashed = [b.split()[0] for b in blocks if "--hash=sha256:" not in b]
    assert not unhashed


def test_the_runtime_and_dev_locks_agree():
    runtime, dev = pins(ROOT / "requirements.lock"), pins(ROOT / "requirements-dev.lock")
    assert {p: dev.get(p) for p in runtime} == runtime


def test_directly_imported_libraries_are_declared():
    declared = pins(ROOT / "requirements.txt")
    assert "pyjwt" in declared  # microsoft/entra.py: import jwt
    assert "fonttools" in declared  # reports/fonts.py: from fontTools


def _audit(tmp_path, report: dict | None) -> subprocess.CompletedProcess:
    fake = tmp_path / "pip-audit"
    body = f"print({json.dumps(json.dumps(report))})" if report else "raise SystemExit('boom')"
    fake.write_text(f"#!{sys.executable}\n{body}\n")
    fake.chmod(0o755)
    return subprocess.run(
        [sys.executable, ROOT / "scripts" / "audit_dependencies.py", "requirements.lock"],
        cwd=ROOT,
        env={**os.environ, "PIP_AUDIT": str(fake), "AUDIT_STRICT": ""},
        capture_output=True,
        text=True,
    )


def test_audit_fails_on_a_known_vulnerability(tmp_path):
    vuln = {"id": "PYSEC-1", "fix_versions": ["5.2.20"]}
    report = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": [vuln]}]}
    result = _audit(tmp_path, report)
    assert result.returncode == 1
    assert "VULNERABLE django==5.2.19: PYSEC-1 (fixed in 5.2.20)" in result.stdout


def test_audit_says_plainly_when_nothing_could_be_checked(tmp_path):
    skipped = {"name": "django", "skip_reason": "Dependency not found on PyPI"}
    result = _audit(tmp_path, {"dependencies": [skipped]})
    assert result.returncode == 0
    assert "AUDIT NOT DONE for 1 of 1 packages of requirements.lock" in result.stdout
    assert "0 packages checked" in result.stdout
    failed = _audit(tmp_path, None)
    assert failed.returncode == 0
    assert "AUDIT NOT DONE for requirements.lock: pip-audit failed" in failed.stdout
