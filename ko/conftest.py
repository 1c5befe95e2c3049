"""nbval runs the Korean notebooks whose translation is complete; the others wait for their Korean text.

tests/notebooks/test_korean_edition.py names the waiting ones (PENDING) and fails on any other missing or
stale translation, so nothing is left out silently.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import translate

collect_ignore = [str(translate.korean_path(english)) for english in translate.english_notebooks()
                  if translate.problems(english)]
