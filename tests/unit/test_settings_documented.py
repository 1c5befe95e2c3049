"""Every ``DOCKERLAB_*`` setting the code reads is documented in docs/settings.md, and nothing else is."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTING = re.compile(r"\bDOCKERLAB_[A-Z][A-Z0-9_]*\b")
SOURCES = ["lab", ".ci", "dockerlab", "tools", "tests/browser", "tests/integration", "tests/notebooks", "tests/engines"]


def _read_by_the_code() -> set[str]:
    found: set[str] = set()
    for source in SOURCES:
        path = ROOT / source
        files = [path] if path.is_file() else [
            p for p in path.rglob("*") if p.is_file() and p.suffix in ("", ".py", ".sh")]
        for file in files:
            found |= set(SETTING.findall(file.read_text(errors="replace")))
    return found


def test_every_setting_is_documented():
    documented = set(re.findall(r"^\| `(DOCKERLAB_[A-Z0-9_]+)`", (ROOT / "docs" / "settings.md").read_text(), re.M))
    read = _read_by_the_code()
    assert read, "no setting found: the search is broken"
    assert read - documented == set(), "settings missing from docs/settings.md"
    assert documented - read == set(), "docs/settings.md documents settings nothing reads"


def test_the_readme_links_the_settings():
    assert "(docs/settings.md)" in (ROOT / "README.md").read_text()
