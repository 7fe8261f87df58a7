"""Audit the pinned requirements with pip-audit; `make audit` and CI run it (docs/security.md).

pip-audit reads the pins themselves (`--no-deps --disable-pip`: no resolver, no virtualenv) and asks
a vulnerability service about each. Exit status: 1 when a pin has a known vulnerability, 2 when
pip-audit failed for another reason (a requirements file it cannot read). When no service answers,
pip-audit itself either crashes on the connection or reports every package as "skipped" and still
says "No known vulnerabilities found"; that is reported here, loudly, as NOT audited, and exits 0 so
that a machine without access to the services can still run CI. AUDIT_REQUIRE_SERVICE=1 makes it
exit 3 instead, for a CI that does reach them.
"""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ["requirements.txt", "requirements-dev.txt"]
# pip-audit's services, tried in turn until one answers for every package.
SERVICES = ["pypi", "osv"]
UNREACHABLE_SIGNS = (
    "ConnectionError",
    "ConnectTimeout",
    "ReadTimeout",
    "NameResolutionError",
    "Max retries exceeded",
    "Temporary failure in name resolution",
    "Connection refused",
    "SSLError",
    "ServiceError",
)
NOT_AUDITED = "pip-audit could not reach its vulnerability service: NOT audited"


@dataclass
class Verdict:
    exit_code: int
    message: str
    audited: bool


def verdict(returncode: int, stdout: str, stderr: str, service: str) -> Verdict:
    """What one pip-audit run (with `-f json`) means for CI."""
    try:
        report = json.loads(stdout)
    except ValueError:
        if any(sign in stderr for sign in UNREACHABLE_SIGNS):
            return Verdict(0, f"{service}: no connection", audited=False)
        return Verdict(2, f"pip-audit failed ({service}, exit {returncode}):\n{stderr.strip()}", audited=False)
    dependencies = report.get("dependencies", [])
    vulnerable = [item for item in dependencies if item.get("vulns")]
    if vulnerable:
        lines = []
        for item in vulnerable:
            for vuln in item["vulns"]:
                fixed = ", ".join(vuln["fix_versions"]) or "no release yet"
                lines.append(f"  {item['name']} {item['version']}: {vuln['id']} (fixed in {fixed})")
        return Verdict(1, "Known vulnerabilities in the pinned requirements:\n" + "\n".join(lines), audited=True)
    skipped = [item["name"] for item in dependencies if "skip_reason" in item]
    if skipped:
        return Verdict(
            0,
            f"{service}: no answer for {len(skipped)} of {len(dependencies)} packages "
            f"({', '.join(skipped[:5])}{', ...' if len(skipped) > 5 else ''})",
            audited=False,
        )
    return Verdict(0, f"pip-audit ({service}): {len(dependencies)} pinned packages, no known vulnerability", True)


def run(service: str) -> Verdict:
    command = [sys.executable, "-m", "pip_audit", "--no-deps", "--disable-pip", "--progress-spinner", "off"]
    command += ["-f", "json", "--desc", "off", "--timeout", "20", "-s", service]
    for name in REQUIREMENTS:
        command += ["-r", str(ROOT / name)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
    return verdict(result.returncode, result.stdout, result.stderr, service)


def main() -> int:
    reasons = []
    for service in SERVICES:
        outcome = run(service)
        if outcome.audited or outcome.exit_code:
            print(outcome.message, file=sys.stderr if outcome.exit_code else sys.stdout)
            return outcome.exit_code
        reasons.append(outcome.message)
    banner = "!" * 78
    print(
        "\n".join([banner, f"!!! {NOT_AUDITED}", *(f"!!!   {reason}" for reason in reasons), banner]), file=sys.stderr
    )
    return 3 if os.environ.get("AUDIT_REQUIRE_SERVICE") == "1" else 0


if __name__ == "__main__":
    sys.exit(main())
