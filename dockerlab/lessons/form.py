"""The small answer form of the exercises' questions and the lessons' predictions: options (or a box), a button."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..text import say

TRIES = 5  # wrong answers typed in a row before a question gives up asking (and keeps nothing)


def typed(prompt: str, pick: Callable[[str], str | None], again: Callable[[str], str], read=input) -> str | None:
    """Ask in a box to type in (as ``input()`` gives) until ``pick`` knows the answer: the choice it names, or
    None for Enter alone (or ``TRIES`` unknown answers). ``again(given)`` says what to type instead.

    Raises ``StdinNotImplementedError`` where no one can type (a test run, ``./lab regen``).
    """
    for _ in range(TRIES):
        try:
            given = read(prompt).strip()
        except (EOFError, KeyboardInterrupt):
            given = ""
        if not given:
            return None
        chosen = pick(given)
        if chosen is not None:
            return chosen
        prompt = again(given) + "\n"
    return None


def answer_form(options: Sequence[tuple[str | None, str]] | None, button_text: str, submit: Callable[[str], Any],
                value: str | None = None, placeholder: str = "", heading: str | None = None):
    """Radio buttons for ``options`` (text, key) — or a text box when there are none — and a button.

    Pressing the button with something chosen calls ``submit(key_or_text)``; what it prints shows below.
    With nothing chosen (or typed), it says so.
    """
    import ipywidgets as widgets

    if options:
        field = widgets.RadioButtons(options=options, value=value, layout={"width": "max-content"})
    else:
        field = widgets.Text(placeholder=placeholder)
    button, said = widgets.Button(description=button_text), widgets.Output()

    def pressed(_):
        with said:
            said.clear_output()
            if field.value:
                submit(field.value)
            else:
                print(say("form-nothing-chosen"))

    button.on_click(pressed)
    parts = [field, button, said]
    if heading:
        parts.insert(0, widgets.HTML(f"<b>{heading}</b>"))
    return widgets.VBox(parts)


def text_and_widget(text: str, widget: Callable[[], Any]) -> dict:
    """A display bundle: ``text`` (what a page without widgets, and the stored outputs, show) and the form
    ``widget()`` makes, when the widget machinery is there."""
    bundle = {"text/plain": text}
    try:
        view = widget()._repr_mimebundle_()
    except ImportError:  # no widget machinery (plain Python): the text form is the whole question
        return bundle
    if isinstance(view, dict) and "application/vnd.jupyter.widget-view+json" in view:
        bundle["application/vnd.jupyter.widget-view+json"] = view["application/vnd.jupyter.widget-view+json"]
    return bundle
