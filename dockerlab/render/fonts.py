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
import threading
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
    name such as ``sans-serif`` is not expanded for it), so both are named there. Where matplotlib is missing
    (a browser's Python: the replay in JupyterLite), there is no figure to draw, and nothing to do.
    """
    try:
        from matplotlib import rcParams
    except ImportError:
        return None

    family = register_korean_fonts()
    if family is not None:
        rcParams["font.family"] = [LATIN, family]
    return family


_MEASURE_LOCK = threading.Lock()


@functools.cache
def _faces(family: tuple[str, ...], bold: bool) -> list:
    """The font files of ``family`` in order, opened (each glyph comes from the first that has it)."""
    from matplotlib import font_manager, ft2font
    from matplotlib.font_manager import FontProperties

    weight = "bold" if bold else "normal"
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # NanumGothic's bold says 600, as above
    paths = dict.fromkeys(font_manager.findfont(FontProperties(family=name, weight=weight)) for name in family)
    faces = []
    for path in paths:
        face = ft2font.FT2Font(path)
        face.set_size(100, 72)  # 100 pixels to the em: an advance read in pixels is a hundredth of an em
        faces.append(face)
    return faces


@functools.lru_cache(maxsize=16384)
def _advance(char: str, family: tuple[str, ...], bold: bool) -> float:
    """How far ``char`` moves the pen, in ems, in the first font of ``family`` that has it (matplotlib's choice)."""
    from matplotlib import ft2font

    faces = _faces(family, bold)
    face = next((face for face in faces if face.get_char_index(ord(char))), None)
    with _MEASURE_LOCK:
        glyph = (face.load_char(ord(char), flags=ft2font.LoadFlags.NO_HINTING) if face is not None else
                 faces[0].load_glyph(0, flags=ft2font.LoadFlags.NO_HINTING))  # no font has it: drawn as a box
    return glyph.linearHoriAdvance / 65536 / 100


def _installed(names: tuple[str, ...]) -> tuple[str, ...]:
    """The families of ``names`` matplotlib has (looking a missing one up again and again is slow)."""
    from matplotlib import font_manager

    known = {entry.name for entry in font_manager.fontManager.ttflist}
    return tuple(name for name in names if name in known) or ("DejaVu Sans",)


def text_size(text: str, points: float, bold: bool = False) -> tuple[float, float]:
    """Width and height, in pixels at 100 dpi, of ``text`` drawn in the learner's fonts (as matplotlib draws it).

    Each character is measured in the font matplotlib takes it from, the first of the locale's
    ``drawing-font`` families that has it: Hangul in the Korean font. The advances are the font's own,
    unhinted (as a browser lays out the SVG; a hinted PNG is a little narrower, never wider). A text with
    newlines is as wide as its widest line and as tall as its lines. Where matplotlib is missing (a browser's
    Python), each character counts as DejaVu Sans's average: 0.6 em, a wide one (Hangul) 1 em.
    """
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return _estimated(text, points, bold)
    register_korean_fonts()
    return _size(text, points, bold, _installed(tuple(families())))


def _estimated(text: str, points: float, bold: bool) -> tuple[float, float]:
    import unicodedata

    pixels = points * 100 / 72
    lines = text.split("\n")
    ems = max(sum(1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.6 + 0.05 * bold for char in line)
              for line in lines)
    return ems * pixels, len(lines) * pixels * 1.2


@functools.lru_cache(maxsize=8192)
def _size(text: str, points: float, bold: bool, family: tuple[str, ...]) -> tuple[float, float]:
    pixels = points * 100 / 72
    lines = text.split("\n")
    return (max(sum(_advance(char, family, bold) for char in line) for line in lines) * pixels,
            len(lines) * pixels * 1.2)
