"""Hangul in the drawings: a Korean font behind matplotlib's own, so a Korean label has no missing glyphs.

    from dockerlab.render import fonts
    fonts.use_korean_fallback()    # once, before drawing; Latin text keeps DejaVu Sans

The font comes from Debian (``apt-get install fonts-nanum``, or ``fonts-noto-cjk``); ``./lab`` installs
it as root when it is missing. matplotlib (3.6 and later) takes each glyph from the first font of the
family list that has it, so English labels look exactly as before and Hangul comes from the Korean font.
"""
from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

from matplotlib import font_manager, ft2font, rcParams

LATIN = "DejaVu Sans"
# Debian's Korean fonts, best first: (file, family name matplotlib reads from it)
KOREAN_FONTS = (
    ("/usr/share/fonts/truetype/nanum/NanumGothic.ttf", "NanumGothic"),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK JP"),
    ("/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf", "NanumBarunGothic"),
)


def korean_font() -> str | None:
    """The family name of the Korean font found on this machine (registered with matplotlib), or None."""
    for path, family in KOREAN_FONTS:
        if Path(path).is_file():
            font_manager.fontManager.addfont(path)  # installed after matplotlib's font cache was made
            bold = Path(path.replace(".ttf", "Bold.ttf").replace("-Regular.", "-Bold."))
            if bold.is_file():  # NanumGothicBold says weight 600: register it as bold, or matplotlib complains
                entry = font_manager.ttfFontProperty(ft2font.FT2Font(str(bold)))
                font_manager.fontManager.ttflist.append(dataclasses.replace(entry, weight=700))
            return family
    return None


@functools.cache
def use_korean_fallback() -> str | None:
    """Draw with DejaVu Sans, and each glyph it lacks from the Korean font; the Korean family used, or None.

    matplotlib falls back glyph by glyph only between families named in ``font.family`` itself (a generic
    name such as ``sans-serif`` is not expanded for it), so both are named there.
    """
    family = korean_font()
    if family is not None:
        rcParams["font.family"] = [LATIN, family]
    return family
