"""A lesson's own matplotlib chart shows as a picture, live and stored: a 2x PNG and a one-line text.

A ``Figure`` made with matplotlib's object API (no pyplot, so no inline backend) has no picture
form in IPython; :func:`show_figures` gives it one, used from a lesson's first cell on.
"""
from __future__ import annotations

from ..shell import ipython_shell
from ..text import say
from .fonts import use_korean_fallback


def chart_text(figure) -> str:
    """A figure in words: its title and the labels along its first axes (stable from run to run)."""
    axes = figure.axes[0] if figure.axes else None
    if axes is None:
        return say("chart-summary", title="", labels="")
    title = axes.get_title() or (figure._suptitle.get_text() if figure._suptitle else "")
    labels = [text.get_text() for text in axes.get_xticklabels() if text.get_text()]
    return say("chart-summary", title=title, labels=", ".join(labels))


def chart_png(figure):
    """The figure as PNG at twice its size, shown at its own size."""
    from .static import export

    width, height = figure.get_size_inches() * 100
    return export(figure), {"width": round(width), "height": round(height)}


def show_figures() -> None:
    """Teach IPython to show a matplotlib ``Figure`` as a picture with a text form (does nothing outside IPython).

    The figures a lesson makes from then on take each glyph DejaVu Sans lacks (Hangul) from the Korean font.
    """
    shell = ipython_shell()
    if shell is None:
        return
    use_korean_fallback()
    formatters = shell.display_formatter.formatters
    formatters["image/png"].for_type_by_name("matplotlib.figure", "Figure", chart_png)
    formatters["text/plain"].for_type_by_name("matplotlib.figure", "Figure",
                                              lambda figure, printer, cycle: printer.text(chart_text(figure)))
