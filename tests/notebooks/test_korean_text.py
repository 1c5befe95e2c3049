"""A Korean learner reads Korean: every markdown cell renders as written in JupyterLab, widgets are named as
they show themselves, and what the cells print and draw has no English sentence and no particle pair.

Markdown is rendered by the very ``marked`` module JupyterLab ships (its webpack chunk in
``share/jupyter/lab/static``, the version its markedparser-extension asks for, with ``gfm`` as it sets),
run by the Node.js that Playwright (a test dependency) brings. CommonMark does not close ``*``/``**``
after punctuation when a letter follows, and a Korean particle always follows: ``**프록시(proxy)**를``
shows its asterisks.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import nbformat
import pytest

from tests.prose import english_prose

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import code_words  # noqa: E402

KOREAN = sorted((ROOT / "ko").glob("*/*.ipynb")) + sorted((ROOT / "ko" / "exercises" / "student").glob("*.ipynb"))
LOCALE = ROOT / "dockerlab" / "locale"
ENGLISH_MESSAGES = json.loads((LOCALE / "en.json").read_text("utf-8"))
KOREAN_MESSAGES = json.loads((LOCALE / "ko.json").read_text("utf-8"))


def name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def markdown_cells(path: Path) -> list[nbformat.NotebookNode]:
    return [cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "markdown"]


# -- markdown, as JupyterLab renders it ----------------------------------------------------------------

def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


@cache
def jupyterlab_marked() -> tuple[Path, str, str]:
    """(chunk file, module id, version) of the ``marked`` JupyterLab's markdown renderer loads."""
    static = Path(sys.prefix) / "share" / "jupyter" / "lab" / "static"
    main = next(static.glob("main.*.js")).read_text("utf-8")
    wanted = re.search(r'shareKey:"marked",import:"marked",requiredVersion:"\^([\d.]+)"', main)
    assert wanted, f"{static}: JupyterLab asks for no shared `marked` module any more; look at how it renders"
    offered = re.findall(r'name:"marked",version:"([\d.]+)",factory:\(\)=>__webpack_require__\.e\((\d+)\)'
                         r'\.then\(\(\)=>\(\)=>__webpack_require__\((\d+)\)\)', main)
    least = _version(wanted.group(1))
    fitting = [(version, chunk, module) for version, chunk, module in offered
               if _version(version)[0] == least[0] and _version(version) >= least]  # ^X.Y.Z
    version, chunk, module = max(fitting, key=lambda found: _version(found[0]))
    return next(static.glob(f"{chunk}.*.js")), module, version


def node() -> str:
    import playwright

    bundled = Path(playwright.__file__).parent / "driver" / "node"
    found = str(bundled) if bundled.exists() else shutil.which("node")
    assert found, "no Node.js to run JupyterLab's markdown renderer: install the test dependencies (playwright)"
    return found


def render(texts: list[str]) -> list[str]:
    """The HTML JupyterLab makes of each markdown text."""
    chunk, module, _ = jupyterlab_marked()
    done = subprocess.run([node(), str(Path(__file__).with_name("jupyterlab_markdown.cjs")), str(chunk), module],
                          input=json.dumps(texts), capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def leftover_markers(rendered: str) -> list[str]:
    """Emphasis or code markers that the renderer showed as characters (outside code, where they are text)."""
    text = re.sub(r"<(code|pre)\b.*?</\1>", " ", rendered, flags=re.DOTALL)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    markers = re.finditer(r"\*+|`+|(?<!\w)_\S|\S_(?!\w)", text)
    return [text[max(0, m.start() - 20):m.end() + 20].strip() for m in markers]


def test_the_renderer_is_jupyterlabs_and_shows_the_review_s_examples_as_it_does():
    chunk, _, version = jupyterlab_marked()
    assert _version(version) >= (17,) and chunk.exists()
    broken = ['*"도커 너무 어렵습니다!!!"*로', "**프록시(proxy)**를", "*포트 id(port id)*입니다",
              "*Stop live updates*를"]
    fine = ["“도커 너무 어렵습니다!!!”라는", "**프록시**를", "*포트 id*(port id)입니다",
            "**`--subnet`과 함께** 만듭니다"]
    shown = render(broken + fine)
    assert [bool(leftover_markers(page)) for page in shown] == [True, True, True, False] + [False] * len(fine)
    assert "<em>Stop live updates</em>를" in shown[3]  # closes: a letter before it


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[tuple[str, str]]]:
    cells = [(name(path), cell.id, cell.source) for path in KOREAN for cell in markdown_cells(path)]
    pages = render([source for _, _, source in cells])
    found: dict[str, list[tuple[str, str]]] = {}
    for (notebook, cell_id, _), page in zip(cells, pages, strict=True):
        found.setdefault(notebook, []).append((cell_id, page))
    return found


@pytest.mark.parametrize("path", KOREAN, ids=name)
def test_every_korean_markdown_cell_renders_as_written(path, rendered):
    shown = [f"cell {cell_id}: …{marker}…" for cell_id, page in rendered[name(path)]
             for marker in leftover_markers(page)]
    assert not shown, (f"{name(path)} shows markdown markers as text in JupyterLab (a particle right after a closing "
                       "* or ** that follows punctuation): move the marker inside, e.g. **프록시**(proxy)를:\n"
                       + "\n".join(shown))


@pytest.mark.parametrize("path", KOREAN, ids=name)
def test_no_math_delimiter_outside_code(path):
    """JupyterLab takes $...$ out of markdown as math before rendering; the Korean cells keep $ inside code."""
    for cell in markdown_cells(path):
        assert "$" not in re.sub(r"(`+).*?\1", "", cell.source, flags=re.DOTALL), f"{name(path)} {cell.id}"


# -- widgets are named as they show themselves -----------------------------------------------------------

WIDGET_LABELS = ["live-stop-button", "predict-button", "ex-answer-button", "stepper-previous", "stepper-next"]


@pytest.mark.parametrize("path", KOREAN, ids=name)
def test_a_korean_lesson_names_each_button_as_the_button_reads(path):
    for cell in markdown_cells(path):
        prose = re.sub(r"(`+).*?\1", " ", cell.source, flags=re.DOTALL)
        for key in WIDGET_LABELS:
            english = ENGLISH_MESSAGES[key].strip("◀▶ ")
            assert not re.search(rf"(?<![\w-]){re.escape(english)}(?![\w-])", prose), (
                f"{name(path)} {cell.id} names the button “{english}”, which reads “{KOREAN_MESSAGES[key]}” in Korean")


# -- what the cells print and draw ------------------------------------------------------------------------

PAIR = re.compile(r"이\(가\)|을\(를\)|은\(는\)|와\(과\)|과\(와\)|\(으\)로")


def outputs(path: Path):
    """(cell id, kind, text) of every stored output: streams, text forms, SVG text."""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                yield cell.id, "stream", output.get("text", "")
            for kind, value in output.get("data", {}).items():
                if kind in ("text/plain", "text/html", "text/markdown"):
                    yield cell.id, kind, value if isinstance(value, str) else "".join(value)
                elif kind == "image/svg+xml":
                    yield cell.id, kind, " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", str(value)))


def _as_pattern(template: str) -> re.Pattern:
    pieces = re.split(r"\{[^{}]*\}", template.replace("{{", "{").replace("}}", "}"))
    return re.compile(".+?".join(re.escape(piece) for piece in pieces))


ENGLISH_ONLY = [_as_pattern(template) for key, template in ENGLISH_MESSAGES.items()
                if KOREAN_MESSAGES.get(key) != template and len(re.sub(r"\{[^{}]*\}", "", template)) > 12
                and english_prose(re.sub(r"\{[^{}]*\}", "0", template))]
"""The English messages that read as sentences: a Korean notebook showing one fell back to English."""


def english_in(text: str) -> list[str]:
    """English a Korean learner would read in this output: prose on a Korean line, or an English message."""
    found = [f"{line.strip()} ({', '.join(prose)})" for line in text.splitlines()
             if re.search("[가-힣]", line) and (prose := english_prose(line))]
    found += [f"{line.strip()} (an English message)" for line in text.splitlines()
              if any(pattern.search(line) for pattern in ENGLISH_ONLY)]
    return found


@pytest.mark.parametrize("path", KOREAN, ids=name)
def test_what_a_korean_notebook_shows_has_no_english_sentence(path):
    found = [f"cell {cell_id} ({kind}): {line}" for cell_id, kind, text in outputs(path) for line in english_in(text)]
    assert not found, f"{name(path)} shows English to a Korean learner:\n" + "\n".join(found)


@pytest.mark.parametrize("path", KOREAN, ids=name)
def test_what_a_korean_notebook_shows_has_no_particle_pair(path):
    found = [f"cell {cell_id} ({kind}): {match}" for cell_id, kind, text in outputs(path)
             for match in PAIR.findall(text)]
    assert not found, f"{name(path)}: a particle written both ways:\n" + "\n".join(found)


def test_no_picture_of_the_korean_edition_has_english_prose_or_a_particle_pair():
    for picture in sorted((ROOT / "ko" / "notebooks" / "pictures").glob("*.svg")):
        text = "\n".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", picture.read_text()))
        assert not PAIR.search(text), picture.name
        assert not [line for line in text.splitlines() if english_prose(line)], (picture.name, text)


@pytest.mark.parametrize("path", KOREAN, ids=name)
def test_the_words_of_a_korean_code_cell_are_korean(path):
    """Titles, printed lines and comments of the Korean code cells (not commands, assertions or Docker's words)."""
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code":
            found += [f"cell {cell.id}: {text!r} ({', '.join(prose)})" for text in code_words.words(cell.source)
                      if (prose := english_prose(text))]
    assert not found, (f"{name(path)}: English words in code cells; translate them in its translation file's "
                       "code list (tools/code_words.py):\n" + "\n".join(found))


def test_the_checks_find_what_the_review_found():
    assert english_in("172.17.0.0/16 holds 65,536 addresses: 2 ** 16") == []  # a cell's own: checked in its source
    assert english_in("2. container start: c3")  # the English frame caption: a message fallen back to English
    assert english_in("2. 컨테이너 시작: c3") == []
    assert english_in("레슨 01-default-bridge을 시작할 준비가 되었습니다. container start: c3")
    assert english_in("Lesson 01-default-bridge is ready: the engine answers and no leftovers remain.")
    assert english_in("$ docker run -d --name c1 dockerlab/busybox sleep 1d\nWARNING: Localhost DNS may fail") == []
    assert code_words.words('print(f"{pool} holds {n} addresses")  # the first one gets .2\nlab.docker("ps -a")') \
        == ["{} holds {} addresses", "# the first one gets .2"]
