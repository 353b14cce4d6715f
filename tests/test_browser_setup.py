"""Without Chromium, browser tests skip loudly on a developer's machine and fail under CI."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def run_browser_tests(**env):
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "tests/test_browser_lists.py"],
        cwd=BASE_DIR,
        env={**os.environ, "CHROMIUM": "/nonexistent/chromium", "CI": "", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_missing_browser_skips_loudly():
    result = run_browser_tests()
    assert result.returncode == 0, result.stdout
    assert "BROWSER TESTS SKIPPED" in result.stdout
    assert " passed" not in result.stdout and " error" not in result.stdout


def test_missing_browser_fails_under_ci():
    result = run_browser_tests(CI="true")
    assert result.returncode != 0
    assert "CI=true and Chromium is missing" in result.stdout + result.stderr
