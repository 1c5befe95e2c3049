"""The words inside a Korean notebook's code cells: picture titles, printed evidence lines, comments.

A code cell runs the same commands in both editions, but what it *says* is for the reader: a translation
file may give, for a code cell, pairs of an English fragment of its source and the Korean to put instead::

    code:
    - id: c17
      replace:
      - english: lab.draw(title="Three containers on docker0")
        korean: lab.draw(title="docker0 위의 컨테이너 세 개")

Only string literals and comments may change (:func:`only_words_differ`), and never a command's text, an
assertion's or a comparison's: the Korean cell runs what the English one runs. When the English cell changes
so that a fragment is no longer in it, :func:`stale` says which; translate the cell again.
"""
from __future__ import annotations

import ast
import io
import tokenize

COMMANDS = {"docker", "host", "on", "capture", "dropped_while", "counted_while", "lookup", "predict", "lock",
            "reveal", "path", "ip", "container", "network", "outside_world", "host_link_pair", "live", "cluster",
            "cluster_picture", "remove_network", "lesson", "sheet", "answer", "split", "startswith", "endswith"}
"""Calls whose text arguments are commands, names or engine output: the same in both editions."""


def replacements(document: dict) -> dict[str, list[tuple[str, str]]]:
    """cell id -> [(english fragment, korean)] from a translation file's ``code`` list."""
    return {entry["id"]: [(pair["english"], pair["korean"]) for pair in entry.get("replace", [])]
            for entry in document.get("code", []) or []}


def korean_source(source: str, pairs: list[tuple[str, str]]) -> str:
    """The cell's source with each English fragment replaced by its Korean."""
    for english, korean in pairs:
        source = source.replace(english, korean)
    return source


def stale(source: str, pairs: list[tuple[str, str]]) -> list[str]:
    """The English fragments that are no longer in the cell's source."""
    return [english for english, _ in pairs if english not in source]


WORDS = {tokenize.STRING, tokenize.COMMENT, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
"""The tokens a translation may change (an f-string's text is its own token from Python 3.12)."""


def _tokens(source: str) -> list[tokenize.TokenInfo]:
    return [token for token in tokenize.generate_tokens(io.StringIO(source).readline)
            if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                                  tokenize.ENDMARKER)]


def _fixed_spans(source: str, commands_only: bool = False) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where the source's text must stay as it is: arguments of commands, assertions and comparisons."""
    spans = []
    for node in ast.walk(ast.parse(source)):
        fixed: list[ast.AST] = []
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            if name in COMMANDS:
                fixed = [*node.args, *(keyword.value for keyword in node.keywords)]
        elif commands_only:
            pass
        elif isinstance(node, ast.Assert):
            fixed = [node.test]
        elif isinstance(node, ast.Compare):
            fixed = [node]
        elif isinstance(node, ast.Subscript):
            fixed = [node.slice]
        spans += [((part.lineno, part.col_offset), (part.end_lineno, part.end_col_offset)) for part in fixed
                  if part.end_lineno is not None and part.end_col_offset is not None]
    return spans


def _formatted(source: str) -> list[str]:
    """Every f-string field's expression and format (an f-string is one token before Python 3.12).

    Sorted: a translation may put the fields in another order, as its sentence needs.
    """
    return sorted(ast.dump(node) for node in ast.walk(ast.parse(source)) if isinstance(node, ast.FormattedValue))


def dict_keys(source: str) -> set[str]:
    """The text keys a cell writes in a dict display (``{"c1's veth received": ...}``): the cell's own names."""
    return {key.value for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Dict)
            for key in node.keys if isinstance(key, ast.Constant) and isinstance(key.value, str)}


def renamed_keys(cells: list[tuple[str, str]]) -> dict[str, set[str]]:
    """English dict key -> the Korean it becomes, over a notebook's (English, Korean) code cells.

    A key a cell names itself may be translated, as long as every cell that uses it translates it alike.
    """
    names = set().union(*(dict_keys(english) for english, _ in cells)) if cells else set()
    renamed: dict[str, set[str]] = {}
    for english, korean in cells:
        try:
            pairs = zip(_tokens(english), _tokens(korean), strict=True)
            for before, after in pairs:
                if before.type == tokenize.STRING and before.string[:1] in "'\"":
                    value = ast.literal_eval(before.string)
                    if value in names:
                        renamed.setdefault(value, set()).add(ast.literal_eval(after.string))
        except (tokenize.TokenError, SyntaxError, ValueError):
            continue
    return {value: new for value, new in renamed.items() if new != {value}}


def only_words_differ(english: str, korean: str, renamed: dict[str, set[str]] | None = None) -> list[str]:
    """What differs between the two sources beyond the words of string literals and comments (empty: nothing).

    ``renamed`` (:func:`renamed_keys`): dict keys the notebook translates alike wherever it uses them.
    """
    renamed = renamed or {}
    try:
        theirs, ours = _tokens(english), _tokens(korean)
        fields_kept = _formatted(english) == _formatted(korean)
    except (tokenize.TokenError, SyntaxError) as error:
        return [f"the Korean code cannot be read as Python: {error}"]
    if [(t.type, t.string) for t in theirs if t.type not in WORDS] != \
            [(t.type, t.string) for t in ours if t.type not in WORDS]:
        return ["more than string literals and comments changed"]
    if [t.type for t in theirs] != [t.type for t in ours]:
        return ["a comment or a string literal was added or removed"]
    if not fields_kept:
        return ["an f-string's {fields} changed (translate the text around them only)"]
    spans, commands = _fixed_spans(english), _fixed_spans(english, commands_only=True)
    problems = []
    for before, after in zip(theirs, ours, strict=True):
        inside = [(start, end) for start, end in spans if start <= before.start and before.end <= end]
        if before.string == after.string or before.type == tokenize.COMMENT or not inside:
            continue
        key = ast.literal_eval(before.string) if before.string[:1] in "'\"" else None
        if key in renamed and len(renamed[key]) == 1 and not any(span in commands for span in inside):
            continue  # a key of the notebook's own, translated alike everywhere
        problems.append(f"{before.string} is a command, an assertion or a comparison: it must stay as it is")
    for key, new in renamed.items():
        if len(new) > 1:
            problems.append(f"the key {key!r} is translated in more than one way: {sorted(new)}")
    return problems


def words(source: str) -> list[str]:
    """The words a code cell shows its reader: its comments and the text of its string literals (an f-string's
    fields as ``{}``), not the commands, assertions, comparisons, keys and docstrings."""
    tree = ast.parse(source)
    spans = _fixed_spans(source)
    docstrings = {(node.body[0].lineno, node.body[0].col_offset) for node in ast.walk(tree)
                  if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Module) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
                  and isinstance(node.body[0].value.value, str)}
    strings: dict[tuple[int, int], ast.AST] = {}
    for node in ast.walk(tree):  # an f-string first: before 3.12 its parts claim its own position
        text = isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))
        if text and not isinstance(strings.get((node.lineno, node.col_offset)), ast.JoinedStr):
            strings[(node.lineno, node.col_offset)] = node
    found = []
    for token in _tokens(source):
        if token.type == tokenize.COMMENT:
            found.append(token.string)
        elif token.type == tokenize.STRING and token.start not in docstrings and not any(
                start <= token.start and token.end <= end for start, end in spans):
            node = strings.get(token.start)
            if isinstance(node, ast.JoinedStr):
                found.append("".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values))
            elif isinstance(node, ast.Constant):
                found.append(node.value)
    return [text for text in found if text.strip()]
