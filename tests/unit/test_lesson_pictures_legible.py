"""Every lesson's pictures and live frames, as recorded on the reference engine, never draw over their words.

The recordings (``notebooks/recordings``, ``exercises/recordings``) keep every snapshot a lesson took and
every frame its live diagrams drew. Each snapshot is drawn again — plainly, and with each path the
lesson highlights (``lab.draw(path=(a, b))``, ``lab.path(a, b)``) — and each live diagram's strip of
frames, in English and in Korean; the drawing's shapes are read for labels drawn over (see
:mod:`dockerlab.render.overlaps`), and for width left empty on the right. (Lesson 11's pictures of
several hosts are matplotlib figures: ``test_cluster_pictures.py`` holds them.)
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dockerlab.host.probe import topology_of
from dockerlab.model.topology import Topology
from dockerlab.render.live import Frames
from dockerlab.render.overlaps import clashes
from dockerlab.render.static import draw
from dockerlab.replay.tape import Tape

ROOT = Path(__file__).resolve().parents[2]
RECORDINGS = sorted([*ROOT.glob("notebooks/recordings/*.json.gz"), *ROOT.glob("exercises/recordings/*.json.gz")])
PATH_CALL = re.compile(r"""(?:path=\(|\.path\()\s*["']([\w.-]+)["']\s*,\s*["']([\w.-]+)["']""")


def lesson_source(lab_id: str) -> str:
    found = [*ROOT.glob(f"notebooks/{lab_id}*.ipynb"), *ROOT.glob(f"exercises/{lab_id}*.ipynb")]
    return "\n".join("".join(cell["source"]) for path in found for cell in json.loads(path.read_text())["cells"])


def pictures(path: Path):
    """(name, scene) for each picture the lesson recorded in ``path`` would draw."""
    tape = Tape.load(path)
    paths = sorted(set(PATH_CALL.findall(lesson_source(tape.lesson))))
    seen: set[str] = set()
    for cell, entry in ((c, e) for c in tape.cells for e in c["calls"] if e["call"] == "snapshot-facts"):
        facts = entry.get("gave")
        if not facts or json.dumps(facts, sort_keys=True) in seen:
            continue
        seen.add(json.dumps(facts, sort_keys=True))
        topology = topology_of(facts, (entry.get("with") or {}).get("lesson"))
        yield f"{cell['cell']} snapshot", draw(topology, title=f"{tape.lesson} picture", book=tape.lesson).scene
        for source, target in paths:
            if source in topology.containers and target in topology.containers:
                highlighted = draw(topology, highlight=topology.path(source, target), book=tape.lesson)
                yield f"{cell['cell']} path {source}->{target}", highlighted.scene
    for live in sorted({frame.get("live", 0) for frame in tape.frames}):
        strip = Frames([], tape.lesson)
        for kept in tape.live_frames(live):
            strip.add(Topology.from_dict(kept["topology"]) if "topology" in kept else topology_of(kept["facts"]))
        yield f"live diagram {live}", strip.scene()


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("recording", RECORDINGS, ids=lambda path: path.name.split(".")[0])
def test_no_picture_draws_over_its_words(recording, language, monkeypatch):
    monkeypatch.chdir("/")  # no .dockerlab-language here: the environment chooses
    monkeypatch.setenv("DOCKERLAB_LANG", language)
    drawn = 0
    for name, scene in pictures(recording):
        assert clashes(scene) == [], name
        widest = max(scene.bounds(shape).right for shape in scene.shapes)
        assert scene.width - widest <= 12, f"{name}: {scene.width - widest:.0f} px left empty on the right"
        drawn += 1
    assert drawn or recording.name.startswith(("00-", "11-", "ex")), "a lesson with no picture recorded"


def test_the_checker_sees_a_label_drawn_over():
    """The positive control: a bar through a label, a label on a label, a mark on a dot are all caught."""
    from dockerlab.render.scene import Scene

    scene = Scene(300, 100)
    scene.text(10, 20, "✕ isolated: the host drops what bridge forwards to second")
    scene.line([(40, 0), (40, 100)], "#2ca02c", 5, halo=True)
    scene.text(20, 24, "another label")
    scene.dot(200, 60, 4, "#1f77b4")
    scene.dot(205, 55, 7, "#d62728")
    found = clashes(scene)
    assert any("line crosses label '✕ isolated" in clash for clash in found)
    assert any("meets label 'another label'" in clash for clash in found)
    assert any("dot on" in clash for clash in found)
    apart = Scene(300, 100)
    apart.text(60, 20, "beside the bar")
    apart.line([(40, 0), (40, 100)], "#2ca02c", 5, halo=True)
    assert clashes(apart) == []
