"""Hangul in the drawings: the Korean font files made known to matplotlib, so a Korean label has no boxes.

    from dockerlab.render import fonts
    fonts.register_korean_fonts()   # before drawing; Scene.png() does it itself

The font comes from Debian (``apt-get install fonts-nanum``, or ``fonts-noto-cjk``); ``./lab`` installs
it as root when it is missing. A font installed after matplotlib built its font cache is unknown to it
(it would quietly draw Hangul with DejaVu Sans, as boxes), so each file is registered by path.
matplotlib (3.6 and later) takes each glyph from the first font of the family list that has it, so
English labels keep DejaVu Sans and Hangul comes from the Korean font.

matplotlib is imported where a font is registered, not with this module: an SVG needs only the fonts' names
(:func:`families`), and a browser's Python (Pyodide, the course in JupyterLite) has no matplotlib.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
from collections.abc import Iterator
from pathlib import Path

from ..text import say

LATIN = "DejaVu Sans"
# Debian's Korean fonts, best first: (file, family name matplotlib reads from it)
KOREAN_FONTS = (
    ("/usr/share/fonts/truetype/nanum/NanumGothic.ttf", "NanumGothic"),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK JP"),
    ("/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf", "NanumBarunGothic"),
)


@functools.cache
def register_korean_fonts() -> str | None:
    """Register every Korean font file found with matplotlib; the best one's family name, or None."""
    from matplotlib import font_manager, ft2font

    best = None
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for path, family in KOREAN_FONTS:
        if not Path(path).is_file():
            continue
        best = best or family
        if path in known:
            continue
        font_manager.fontManager.addfont(path)
        bold = Path(path.replace(".ttf", "Bold.ttf").replace("-Regular.", "-Bold."))
        if bold.is_file():  # NanumGothicBold says weight 600: register it as bold, or matplotlib complains
            entry = font_manager.ttfFontProperty(ft2font.FT2Font(str(bold)))
            font_manager.fontManager.ttflist.append(dataclasses.replace(entry, weight=700))
    return best


def families() -> list[str]:
    """The fonts the drawings ask for, first choice first (the locale's ``drawing-font`` message)."""
    return [name.strip() for name in say("drawing-font").split(",") if name.strip()]


@contextlib.contextmanager
def learners_fonts() -> Iterator[None]:
    """matplotlib text made inside is drawn in the learner's language's fonts (Hangul from the Korean font)."""
    import matplotlib

    register_korean_fonts()
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # fonts a locale names may be absent
    with matplotlib.rc_context({"font.family": families()}):
        yield


def korean_font() -> str | None:
    """The family name of the Korean font found on this machine (registered with matplotlib), or None."""
    return register_korean_fonts()


@functools.cache
def use_korean_fallback() -> str | None:
    """Draw plain matplotlib figures with DejaVu Sans, and each glyph it lacks from the Korean font.

    matplotlib falls back glyph by glyph only between families named in ``font.family`` itself (a generic
    name such as ``sans-serif`` is not expanded for it), so both are named there.
    """
    from matplotlib import rcParams

    family = register_korean_fonts()
    if family is not None:
        rcParams["font.family"] = [LATIN, family]
    return family
