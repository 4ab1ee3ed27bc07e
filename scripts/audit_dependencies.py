"""pip-audit on a lock file, honest about what it could not check.

Usage: python scripts/audit_dependencies.py requirements-dev.lock

pip-audit asks a vulnerability service about each pinned version. When the service cannot
be reached (a machine whose only network is a package mirror), pip-audit still says "No known
vulnerabilities found" and exits 0, having checked nothing; this wrapper says so instead.

Exit status: 1 when a locked version has a known vulnerability; 0 otherwise, including when
nothing could be checked (a loud AUDIT NOT DONE line), unless AUDIT_STRICT=1, which makes an
unchecked package fail too (for CI with access to the service).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PIP_AUDIT = os.environ.get("PIP_AUDIT") or str(Path(sys.executable).with_name("pip-audit"))


def main(lock: str) -> int:
    strict = os.environ.get("AUDIT_STRICT") == "1"
    # --disable-pip with --require-hashes: audit the lock as written, without resolving or
    # installing it again.
    command = [PIP_AUDIT, "--require-hashes", "--disable-pip", "-r", lock, "--format", "json"]
    result = subprocess.run(  # noqa: S603  (our own tool and file, no shell)
        [*command, "--progress-spinner", "off"],
        capture_output=True,
        text=True,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"AUDIT NOT DONE for {lock}: pip-audit failed: {last}")
        return 1 if strict else 0

    dependencies = report["dependencies"]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(f"VULNERABLE {dep['name']}=={dep['version']}: {vuln['id']} (fixed in {fixed})")
    audited = len(dependencies) - len(skipped)
    if skipped:
        names = ", ".join(d["name"] for d in skipped)
        print(
            f"AUDIT NOT DONE for {len(skipped)} of {len(dependencies)} packages of {lock}: "
            f"the vulnerability service did not answer for them ({names})."
        )
    print(f"pip-audit: {audited} packages checked, {len(vulnerable)} with known vulnerabilities.")
    if vulnerable:
        return 1
    return 1 if strict and skipped else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "requirements-dev.lock"))
