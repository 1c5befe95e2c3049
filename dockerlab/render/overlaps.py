"""Where a picture draws over its own words: the shapes of a scene, read for any that cover a label.

A label must not meet another label, be crossed by a line (its white halo included) or covered by a
dot, and must lie wholly inside or wholly outside each box; a dot must not sit on another dot (a
path's numbered mark beside the interface it names, never on it). Lines may cross lines: that is how
cables meet bars. A dot's own number, centred in it, is its label, not a clash, and the dot hides the
lines drawn before it (a hop's mark sits on the path it numbers).
"""
from __future__ import annotations

import itertools

from .scene import Scene
from .shapes import Dot, Line, Rect, Text


def clashes(scene: Scene) -> list[str]:
    """Every place where the scene draws over a label or a dot over a dot, in words (empty if none)."""
    order = {id(shape): index for index, shape in enumerate(scene.shapes)}
    texts = scene.of_kind(Text)
    dots = scene.of_kind(Dot)
    where = {id(text): scene.bounds(text) for text in texts}
    found = []
    for a, b in itertools.combinations(texts, 2):
        if where[id(a)].meets(where[id(b)]):
            found.append(f"label {a.text!r} meets label {b.text!r}")
    for text in texts:
        area = where[id(text)]
        own = next((dot for dot in dots if (dot.x, dot.y) == (text.x, text.y) and dot.covers(area)), None)
        shielded = order[id(own)] if own is not None else -1  # a number on its own dot hides what is under the dot
        for line in scene.of_kind(Line):
            if order[id(line)] > shielded and line.crosses(area):
                found.append(f"{line.kind} line crosses label {text.text!r}")
        for dot in dots:
            if dot is not own and dot.covers(area):
                found.append(f"{dot.kind} dot covers label {text.text!r}")
        for rect in scene.of_kind(Rect):
            box = scene.bounds(rect)
            if box.meets(area) and not box.holds(area):
                found.append(f"label {text.text!r} runs over the edge of a {rect.kind} box")
    for one, other in itertools.combinations(dots, 2):
        if one.meets(other):
            found.append(f"{one.kind} dot on {other.kind} dot at ({one.x:.0f}, {one.y:.0f})")
    return found
