"""Retake the explorer's screenshots in docs/: run its browser tests, then copy what they saved.

The tests in ``tests/test_api/test_explorer.py`` save each page they check into
``tests/artifacts/``; this script runs them (Debian's chromium is needed) and copies those
pictures here, so the README shows pages that passed their checks::

    .venv/bin/python docs/screenshots.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent
ARTIFACTS = REPO / "tests" / "artifacts"
#: The screenshots the README shows, each saved by one browser test.
NAMES = [
    "explorer",
    "explorer-start",
    "explorer-large-language-model",
    "explorer-anthropic",
    "explorer-typo",
    "explorer-error",
]


def main() -> int:
    for name in NAMES:
        (ARTIFACTS / f"{name}.png").unlink(missing_ok=True)
    tests = [sys.executable, "-m", "pytest", "-q", "-m", "slow", "tests/test_api/test_explorer.py"]
    if subprocess.run(tests, cwd=REPO, check=False).returncode != 0:
        print("The explorer's browser tests failed: docs/ is left as it was.", file=sys.stderr)
        return 1
    missing = [name for name in NAMES if not (ARTIFACTS / f"{name}.png").is_file()]
    if missing:
        names = ", ".join(missing)
        print(f"No screenshot saved for {names} (is chromium installed?).", file=sys.stderr)
        return 1
    for name in NAMES:
        shutil.copyfile(ARTIFACTS / f"{name}.png", DOCS / f"{name}.png")
        print(f"docs/{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
