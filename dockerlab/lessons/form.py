"""The small answer form of the exercises' questions and the lessons' predictions: options (or a box), a button."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def answer_form(options: Sequence[tuple[str | None, str]] | None, button_text: str, submit: Callable[[str], Any],
                value: str | None = None, placeholder: str = "", heading: str | None = None):
    """Radio buttons for ``options`` (text, key) — or a text box when there are none — and a button.

    Pressing the button with something chosen calls ``submit(key_or_text)``; what it prints shows below.
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

    button.on_click(pressed)
    parts = [field, button, said]
    if heading:
        parts.insert(0, widgets.HTML(f"<b>{heading}</b>"))
    return widgets.VBox(parts)
