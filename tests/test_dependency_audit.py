"""`make audit` (.ci/audit_dependencies.py) fails CI on a known vulnerability in the pins, and says
loudly, without failing, when pip-audit could not ask any vulnerability service."""

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("audit_dependencies", ROOT / ".ci" / "audit_dependencies.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

CONNECTION_TRACEBACK = """Traceback (most recent call last):
  File "requests/adapters.py", line 729, in send
requests.exceptions.ConnectionError: HTTPSConnectionPool(port=443): Max retries exceeded with url: /v1/query
"""


def report(*dependencies) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def test_a_known_vulnerability_fails_ci_and_names_the_fix():
    stdout = report(
        {"name": "django", "version": "5.2.19", "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["5.2.20"]}]},
        {"name": "wagtail", "version": "8.0.1", "vulns": []},
    )
    outcome = audit.verdict(1, stdout, "", "pypi")
    assert outcome.exit_code == 1 and outcome.audited
    assert "django 5.2.19: PYSEC-2099-1 (fixed in 5.2.20)" in outcome.message


def test_every_package_skipped_is_not_audited_rather_than_clean():
    """pip-audit itself prints "No known vulnerabilities found" and exits 0 when the service
    answered nothing: that must not read as a pass."""
    stdout = report(
        {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited: django (5.2.19)"},
        {"name": "wagtail", "skip_reason": "Dependency not found on PyPI and could not be audited: wagtail (8.0.1)"},
    )
    outcome = audit.verdict(0, stdout, "No known vulnerabilities found", "pypi")
    assert (outcome.exit_code, outcome.audited) == (0, False)
    assert "no answer for 2 of 2 packages" in outcome.message


def test_an_unreachable_service_is_not_audited_and_does_not_fail_ci():
    outcome = audit.verdict(1, "", CONNECTION_TRACEBACK, "osv")
    assert (outcome.exit_code, outcome.audited) == (0, False)


def test_a_clean_audit_passes():
    outcome = audit.verdict(0, report({"name": "django", "version": "5.2.19", "vulns": []}), "", "pypi")
    assert (outcome.exit_code, outcome.audited) == (0, True)


def test_any_other_pip_audit_failure_fails_ci():
    outcome = audit.verdict(1, "", "pip_audit: error: requirements file not found", "pypi")
    assert outcome.exit_code == 2


@pytest.mark.parametrize("required", [False, True])
def test_main_says_not_audited_loudly_and_passes_unless_a_service_is_required(monkeypatch, capsys, required):
    unreachable = audit.Verdict(0, "pypi: no connection", audited=False)
    monkeypatch.setattr(audit, "run", lambda service: unreachable)
    if required:
        monkeypatch.setenv("AUDIT_REQUIRE_SERVICE", "1")
    assert audit.main() == (3 if required else 0)
    assert "pip-audit could not reach its vulnerability service: NOT audited" in capsys.readouterr().err


def test_ci_runs_the_audit_of_both_requirements_files():
    assert re.search(r"^audit: .*\n\t\$\(PY\) \.ci/audit_dependencies\.py$", (ROOT / "Makefile").read_text(), re.M)
    assert "make audit" in (ROOT / ".ci" / "run").read_text()
    assert audit.REQUIREMENTS == ["requirements.txt", "requirements-dev.txt"]
