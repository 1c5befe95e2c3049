"""A Korean label is drawn with Hangul glyphs: no missing-glyph warning, in PNG and in SVG."""
from __future__ import annotations

import io
import warnings

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from dockerlab.render import fonts

LABEL = "브리지 docker0 · 가상 이더넷(veth) 쌍 · 내장 DNS 127.0.0.11"


def draw(label: str, fmt: str) -> bytes:
    figure = Figure(figsize=(4, 1))
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.text(0.05, 0.5, label, fontsize=10)
    axes.text(0.05, 0.1, label, fontsize=8, fontweight="bold")
    out = io.BytesIO()
    figure.savefig(out, format=fmt)
    return out.getvalue()


def test_the_set_up_installs_a_korean_font():
    assert fonts.korean_font() is not None, "no Korean font: run ./lab setup as root (it installs fonts-nanum)"


def test_a_korean_label_has_no_missing_glyph():
    assert fonts.use_korean_fallback() is not None
    for fmt in ("png", "svg"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)" for a box
            assert draw(LABEL, fmt)


def test_without_the_fallback_hangul_would_be_boxes():
    """The positive control: the warning the test above relies on really comes for a font with no Hangul."""
    import matplotlib

    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw(LABEL, "png")
    assert any("missing from font" in str(warning.message) for warning in caught)


def test_the_course_drawing_finds_the_korean_font_installed_after_matplotlibs_cache(monkeypatch):
    """The drawing's own PNG path (Scene.png), with matplotlib's font list as it is when fonts-nanum came after it."""
    from matplotlib import font_manager

    from dockerlab.render.scene import Scene

    monkeypatch.chdir("/")  # no .dockerlab-language here: the environment chooses
    monkeypatch.setenv("DOCKERLAB_LANG", "ko")
    korean_files = {path for path, _ in fonts.KOREAN_FONTS}
    bold_files = {path.replace(".ttf", "Bold.ttf").replace("-Regular.", "-Bold.") for path in korean_files}
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [
        entry for entry in font_manager.fontManager.ttflist if entry.fname not in korean_files | bold_files])
    font_manager.fontManager._findfont_cached.cache_clear()
    fonts.register_korean_fonts.cache_clear()
    scene = Scene(400, 60)
    scene.text(10, 20, LABEL)
    scene.text(10, 40, LABEL, bold=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert scene.png().startswith(b"\x89PNG")
    font_manager.fontManager._findfont_cached.cache_clear()
