"""The Korean edition: notebooks built from the English ones and translations keyed to their source.

    python tools/translate.py sync            # add new English cells to the translation files, mark changed ones
    python tools/translate.py todo [NAME]     # what is left to translate: cell id and English, per notebook
    python tools/translate.py accept NAME ID  # the cell's Korean now translates its current English
    python tools/translate.py build           # write ko/notebooks, ko/exercises and their student copies
    python tools/translate.py check           # exit 1 on a missing or stale translation or an out-of-date build
    python tools/translate.py runnable [NAME] # the Korean notebooks whose translation is complete (to run)
    ./lab translate                           # sync, build, then run the Korean notebooks and store their outputs

A translation file (``ko/translations/<notebooks|exercises>/<name>.yaml``) holds one entry per markdown
cell of the English notebook: its cell ``id``, the ``hash`` of the English source it translates, that
``english`` text and the ``korean`` one. When the English cell changes, ``sync`` puts its new text under
``english_now``: translate that, then ``accept``. A code cell runs the same commands in both editions; only
its words (picture titles, printed lines, comments) are translated, by the file's ``code`` list of English
fragments and their Korean (``tools/code_words.py``). The Korean folders
hold a ``.dockerlab-language`` file, so a notebook run there speaks Korean (``dockerlab.text.language``).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import code_words

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = "ko"
EDITION = ROOT / LANGUAGE
TRANSLATIONS = EDITION / "translations"
KINDS = ("notebooks", "exercises")
YOUR_TURN = ("# 여러분 차례입니다: 여기에 lab.docker(\"...\")를 쓰거나 터미널에서 docker CLI를 쓰세요. "
             "그다음 아래의 검사를 실행하세요.")
HEADER = ("# {english}의 한국어 번역. 항목마다: 셀 id, 번역한 영어 원문의 hash와 그 원문(english), 번역(korean).\n"
          "# 영어 셀이 바뀌면 `python tools/translate.py sync`가 새 원문을 english_now에 적습니다:\n"
          "# korean을 고친 뒤 `python tools/translate.py accept {name} ID`를 실행하세요.\n")


def english_hash(source: str) -> str:
    """The short hash that ties a translation to the English source it translates."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]


def english_notebooks() -> list[Path]:
    """Every English lesson and every exercise sheet (solutions in place); the course map is
    tools/course_map.py's, in both languages."""
    return [path for kind in KINDS for path in sorted((ROOT / kind).glob("*.ipynb")) if path.stem != "index"]


def name_of(english: Path) -> str:
    """``notebooks/01-default-bridge``: how a notebook is named on the command line and in messages."""
    return f"{english.parent.name}/{english.stem}"


def translation_path(english: Path) -> Path:
    return TRANSLATIONS / english.parent.name / f"{english.stem}.yaml"


def korean_path(english: Path) -> Path:
    return EDITION / english.parent.name / english.name


class _Block(str):
    """A string written as a YAML block (``|``), as a translator reads and edits it."""


yaml.SafeDumper.add_representer(
    _Block, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", str(text), style="|"))


def _block(text: str) -> str:
    return _Block(text) if "\n" in text or len(text) > 80 else text


def _document(english: Path) -> dict:
    path = translation_path(english)
    return (yaml.safe_load(path.read_text("utf-8")) or {}) if path.exists() else {}


def load(english: Path) -> list[dict]:
    return _document(english).get("cells", [])


def code_translations(english: Path) -> dict[str, list[tuple[str, str]]]:
    """cell id -> [(English fragment, Korean)] for the words of the notebook's code cells."""
    return code_words.replacements(_document(english))


def save(english: Path, entries: list[dict], code: list[dict] | None = None) -> None:
    """Write the markdown cells' translations (and ``code``, the code cells' words; by default the file's own)."""
    path = translation_path(english)
    code = _document(english).get("code") if code is None else code
    path.parent.mkdir(parents=True, exist_ok=True)
    cells = [{key: _block(value) if isinstance(value, str) and key != "id" else value
              for key, value in entry.items()} for entry in entries]
    body = yaml.safe_dump({"cells": cells, **({"code": code} if code else {})}, allow_unicode=True,
                          sort_keys=False, width=120)
    path.write_text(HEADER.format(english=english.relative_to(ROOT), name=name_of(english)) + body, "utf-8")


def markdown_cells(english: Path) -> list[nbformat.NotebookNode]:
    return [cell for cell in nbformat.read(english, as_version=4).cells if cell.cell_type == "markdown"]


@dataclass
class Problem:
    """One thing that keeps the Korean edition from matching the English one, and what to do."""

    notebook: str
    cell: str
    what: str

    def __str__(self) -> str:
        return f"{self.notebook}, cell {self.cell}: {self.what}"


def problems(english: Path) -> list[Problem]:
    """Missing and stale translations of one English notebook."""
    name = name_of(english)
    entries = {entry["id"]: entry for entry in load(english)}
    found = []
    for cell in markdown_cells(english):
        entry = entries.get(cell.id)
        if entry is None or not (entry.get("korean") or "").strip():
            found.append(Problem(name, cell.id, "not translated yet: run `python tools/translate.py sync`, write its "
                                 f"korean in {translation_path(english).relative_to(ROOT)}, then "
                                 "`python tools/translate.py build`"))
        elif entry.get("hash") != english_hash(cell.source):
            found.append(Problem(name, cell.id, "the English cell changed since it was translated: run "
                                 "`python tools/translate.py sync`, translate its english_now in "
                                 f"{translation_path(english).relative_to(ROOT)}, then "
                                 f"`python tools/translate.py accept {name} {cell.id}` and "
                                 "`python tools/translate.py build`"))
    code = {cell.id: cell.source for cell in nbformat.read(english, as_version=4).cells if cell.cell_type == "code"}
    where = translation_path(english).relative_to(ROOT)
    words = code_translations(english)
    renamed = code_words.renamed_keys([(source, code_words.korean_source(source, words.get(cell_id, [])))
                                       for cell_id, source in code.items()])
    for cell_id, pairs in words.items():
        if cell_id not in code:
            found.append(Problem(name, cell_id, f"no code cell has this id any more: remove it from {where}'s code"))
            continue
        for fragment in code_words.stale(code[cell_id], pairs):
            found.append(Problem(name, cell_id, f"the English code changed: {fragment!r} is no longer in the cell; "
                                 f"translate the cell's words again in {where}'s code"))
        for what in code_words.only_words_differ(code[cell_id], code_words.korean_source(code[cell_id], pairs),
                                                 renamed):
            found.append(Problem(name, cell_id, f"{what} ({where}'s code may change only the cell's words)"))
    return found


def sync(english: Path) -> None:
    """Bring one translation file in line with its English notebook, keeping every Korean text."""
    entries = {entry["id"]: entry for entry in load(english)}
    synced = []
    for cell in markdown_cells(english):
        entry = dict(entries.get(cell.id) or {"id": cell.id, "hash": english_hash(cell.source),
                                             "english": cell.source, "korean": ""})
        entry.pop("english_now", None)
        if not entry.get("korean"):
            entry.update(hash=english_hash(cell.source), english=cell.source)
        elif entry["hash"] != english_hash(cell.source):
            entry["english_now"] = cell.source
        synced.append(entry)
    save(english, synced)


def accept(english: Path, cell_id: str) -> None:
    """Record that the cell's Korean text translates its current English source."""
    entries = load(english)
    source = {cell.id: cell.source for cell in markdown_cells(english)}
    for entry in entries:
        if entry["id"] == cell_id:
            entry.pop("english_now", None)
            entry.update(hash=english_hash(source[cell_id]), english=source[cell_id])
            save(english, entries)
            return
    raise SystemExit(f"{name_of(english)} has no translated cell {cell_id}: run `python tools/translate.py sync`")


def korean_notebook(english: Path) -> nbformat.NotebookNode:
    """The English notebook with its markdown in Korean (English where none is written yet), the code as is.

    A code cell keeps the outputs of the Korean notebook's last run when its source did not change.
    """
    notebook = nbformat.read(english, as_version=4)
    korean = {entry["id"]: entry.get("korean") for entry in load(english)}
    words = code_translations(english)
    stored = {}
    if korean_path(english).exists():
        stored = {cell.id: cell for cell in nbformat.read(korean_path(english), as_version=4).cells
                  if cell.cell_type == "code"}
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = (korean.get(cell.id) or cell.source).rstrip("\n")
        elif cell.cell_type == "code":
            cell.source = code_words.korean_source(cell.source, words.get(cell.id, []))
            previous = stored.get(cell.id)
            same = previous is not None and previous.source == cell.source
            cell.outputs = previous.outputs if same else []
            cell.execution_count = previous.execution_count if same else None
    notebook.metadata["dockerlab"] = {"language": LANGUAGE, "english": str(english.relative_to(ROOT))}
    return notebook


def student_copy(sheet: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A Korean sheet's student copy, made the way the English ones are."""
    sys.path.insert(0, str(ROOT / "tools"))
    import student_copies

    copy = student_copies.student_copy(sheet)
    for cell in copy.cells:
        if cell.cell_type == "code" and cell.source == student_copies.YOUR_TURN:
            cell.source = YOUR_TURN
    return copy


def built() -> dict[Path, str]:
    """Every file of the Korean edition the build writes, with its exact text."""
    files: dict[Path, str] = {}
    for english in english_notebooks():
        notebook = korean_notebook(english)
        files[korean_path(english)] = nbformat.writes(notebook) + "\n"
        if english.parent.name == "exercises":
            files[EDITION / "exercises" / "student" / english.name] = nbformat.writes(student_copy(notebook)) + "\n"
    for folder in ("notebooks", "exercises", "exercises/student"):
        files[EDITION / folder / ".dockerlab-language"] = LANGUAGE + "\n"
    return files


def _same_but_outputs(path: Path, text: str) -> bool:
    """The built file matches what is on disk in everything but the stored outputs of a run (the cells' metadata
    counts: a cell's own masks are the English cell's)."""
    if not path.exists():
        return False
    if path.suffix != ".ipynb":
        return path.read_text("utf-8") == text

    def sources(notebook: nbformat.NotebookNode) -> list[tuple[str, str, str, str]]:
        return [(cell.id, cell.cell_type, cell.source, json.dumps(cell.metadata, sort_keys=True))
                for cell in notebook.cells]

    return sources(nbformat.read(path, as_version=4)) == sources(nbformat.reads(text, as_version=4))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["sync", "todo", "accept", "build", "check", "runnable"])
    parser.add_argument("names", nargs="*",
                        help="notebooks, e.g. notebooks/01-default-bridge (accept: one, and a cell id)")
    args = parser.parse_args(argv)
    names = args.names[:1] if args.action == "accept" else args.names
    chosen = [path for path in english_notebooks() if not names or {name_of(path), path.stem} & set(names)]
    unknown = [name for name in names if not any(name in (name_of(path), path.stem) for path in chosen)]
    if unknown or not chosen:
        parser.error(f"no English notebook {', '.join(unknown)}: name one as notebooks/NN-topic or exercises/NN-topic")
    if args.action == "sync":
        for english in chosen:
            sync(english)
            print(f"synced {translation_path(english).relative_to(ROOT)}")
    elif args.action == "accept":
        if len(args.names) != 2 or len(chosen) != 1:
            parser.error("accept needs one notebook and a cell id: accept notebooks/00-welcome CELL")
        accept(chosen[0], args.names[1])
    elif args.action == "todo":
        for english in chosen:
            source = {cell.id: cell.source for cell in markdown_cells(english)}
            for problem in problems(english):
                print(f"## {problem.notebook} · {problem.cell}\n{source[problem.cell]}\n")
    elif args.action == "runnable":
        for english in chosen:
            if not problems(english):
                print(korean_path(english).relative_to(ROOT))
    elif args.action == "build":
        for path, text in built().items():
            path.parent.mkdir(parents=True, exist_ok=True)
            if not _same_but_outputs(path, text):
                path.write_text(text, "utf-8")
                print(f"wrote {path.relative_to(ROOT)}")
    else:
        found = [problem for english in chosen for problem in problems(english)]
        found += [Problem(str(path.relative_to(ROOT)), "-", "out of date: run `python tools/translate.py build`")
                  for path, text in built().items() if not _same_but_outputs(path, text)]
        for problem in found:
            print(problem)
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
