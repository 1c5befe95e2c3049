"""The output sanitizer masks only what varies from run to run, and no more.

``tests/notebooks/sanitize.cfg``: every rule has its reason (the header above it), text it must mask
(``masks:``) and a near miss it must leave alone (``keeps:``). A cell's own masks (its metadata
``"dockerlab": {"masks": [...]}``) each say why, and each still finds something in that cell's stored output.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "tests" / "notebooks" / "sanitize.cfg"
NOTEBOOKS = sorted([*ROOT.glob("notebooks/[0-9][0-9]-*.ipynb"), *ROOT.glob("exercises/[0-9][0-9]-*.ipynb"),
                    *ROOT.glob("ko/notebooks/[0-9][0-9]-*.ipynb"), *ROOT.glob("ko/exercises/[0-9][0-9]-*.ipynb")])


def rules() -> list[dict]:
    """Each rule of the file: its reason, regex, replacement, and its examples."""
    found, reason, current = [], "", None
    lines = CONFIG.read_text().splitlines()
    for index, line in enumerate(lines):
        if line.startswith("["):
            header = [line]
            for following in lines[index + 1:]:
                if following.startswith((" ", "\t")) and not header[-1].rstrip().endswith("]"):
                    header.append(following)
                else:
                    break
            reason = " ".join(part.strip() for part in header).strip("[]")
        elif line.startswith("regex: "):
            current = {"reason": reason, "regex": line[len("regex: "):], "masks": [], "keeps": []}
            found.append(current)
        elif line.startswith("replace: ") and current is not None:
            current["replace"] = line[len("replace: "):]
        elif line.startswith(("masks: ", "keeps: ")) and current is not None:
            current[line[:5]].append(line[len("masks: "):])
    return found


def test_the_file_has_rules():
    assert len(rules()) >= 10


@pytest.mark.parametrize("rule", rules(), ids=lambda rule: rule["regex"][:40])
def test_each_rule_says_why_and_masks_its_example_and_no_more(rule):
    assert rule["reason"], "a rule needs its reason in a [header] above it"
    assert rule["masks"] and rule["keeps"], "a rule needs a masks: and a keeps: example"
    pattern = re.compile(rule["regex"])
    for example in rule["masks"]:
        assert pattern.sub(rule["replace"], example) != example, f"does not mask its own example: {example}"
    for near_miss in rule["keeps"]:
        assert pattern.sub(rule["replace"], near_miss) == near_miss, f"masks more than it should: {near_miss}"


def _cell_masks():
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text("utf-8"))["cells"]:
            for mask in cell.get("metadata", {}).get("dockerlab", {}).get("masks", []):
                yield path, cell, mask


@pytest.mark.parametrize("found", list(_cell_masks()),
                         ids=lambda found: f"{found[0].relative_to(ROOT)}:{found[1].get('id')}")
def test_a_cells_own_mask_says_why_and_still_finds_what_it_masks(found):
    path, cell, mask = found
    assert set(mask) == {"regex", "replace", "why"} and mask["why"].strip(), mask
    text = _text_of(cell)
    assert re.search(mask["regex"], text), f"{path.name} {cell.get('id')}: the mask finds nothing in: {text[:300]}"


def _text_of(cell: dict) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if "text" in output:
            parts.append("".join(output["text"]))
        for key, value in output.get("data", {}).items():
            if key.startswith("text/"):
                parts.append("".join(value) if isinstance(value, list) else value)
    return "\n".join(parts)
