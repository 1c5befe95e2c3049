"""Every host command a lesson prints runs as printed, typed into a shell on this machine.

A lesson shows each command it runs on the engine's host as ``$ COMMAND`` (``host/prompt.py`` chooses the
words before it: nothing as root here, ``sudo``, or ``nsenter`` into an engine's own namespaces). Each
command the lessons pass to ``lab.host`` as plain text and that only reads (no ``add``, ``del``, ``set``,
``-I``...) is run through the lesson helper, and then the line it printed is run by ``bash`` as it
stands: both must succeed and print the same lines (numbers aside: counters move between the two runs),
or both fail (what it reads exists only during its lesson, or only on another firewall backend).
So do the ``iptables-save -c`` lines that ``lab.dropped_while`` and ``lab.counted_while`` print.
"""
from __future__ import annotations

import contextlib
import io
import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from dockerlab import errors
from dockerlab.host.session import LiveSession
from dockerlab.lessons import rules
from dockerlab.lessons.lesson import Lab

ROOT = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r"""(?<![\w.])lab\.host\(\s*(["'])([^"'{}]+)\1\s*[,)]""")
CHANGES = re.compile(r"\b(add|del|set|exec|flush)\b|\s-[IDAFX]\b")


RULE_CALL = re.compile(r"""(?<![\w.])lab\.rule\(\s*(["'])([\w-]+)\1""")
RULE_EXAMPLES = {"published-port": {"port": 8080, "to": "172.17.0.2:80"}, "loopback-guard": {"port": 8080},
                 "masquerade": {"sources": (("172.17.0.0/16", "docker0"),)}}
"""What a lesson's ``lab.rule(TOPIC, ...)`` is given besides its topic (the command it prints does not depend on it
but for the embedded DNS's namespace, listed here as on the host)."""
CHAINS = ("iptables -S FORWARD", "iptables -S DOCKER-FORWARD", "nft list chain ip docker-bridges filter-FORWARD",
          "nft list ruleset")
"""What ``lab.forward_chains()`` prints, on either backend."""


def printed_host_commands() -> list[tuple[str, str]]:
    """(lesson, command) for each read-only host command a lesson prints: written as plain text in a cell, or
    printed by ``lab.rule`` and ``lab.forward_chains`` on either firewall backend."""
    found = set()
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                for _, command in LITERAL.findall(cell.source):
                    if not CHANGES.search(command):
                        found.add((path.stem[:2], command))
                for _, topic in RULE_CALL.findall(cell.source):
                    given = RULE_EXAMPLES.get(topic, {})
                    found.update((path.stem[:2], rules.listing(topic, backend, **given).command)
                                 for backend in rules.BACKENDS)
                if "lab.forward_chains()" in cell.source:
                    found.update((path.stem[:2], command) for command in CHAINS)
    return sorted(found)


def shape(text: str) -> list[str]:
    """The lines, every number as N (counters and indexes move between two runs), spaces left out (``ss`` pads
    its columns to the terminal's width)."""
    return [re.sub(r"\s+", "", re.sub(r"\d+", "N", line)) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def lab(engine):
    session = LiveSession(engine, "printed-commands")
    yield Lab(session, "printed-commands")
    session.close()


def test_the_lessons_print_host_commands():
    assert len(printed_host_commands()) >= 15


@pytest.mark.parametrize("lesson, command", printed_host_commands(), ids=lambda value: value.replace(" ", "_"))
def test_a_printed_host_command_runs_as_printed(lab, lesson, command):
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown):
        try:
            result = lab.host(command, quiet=True)
            code, output = result.exit_code, result.output
        except errors.CommandRefused as refused:  # what it reads exists only during its lesson: it fails alike
            code, output = 1, str(refused.fields.get("output", ""))
    typed = shown.getvalue().splitlines()[0]
    assert typed.startswith("$ ") and typed.endswith(command), typed
    # its output and its errors in one stream, in the order they come, as the helper keeps them (nft prints
    # "# Warning: table ip nat is managed by iptables-nft" to stderr before the listing it flushes at exit)
    by_hand = subprocess.run(f"{{ {typed[2:]}; }} 2>&1", shell=True, executable="/bin/bash", capture_output=True,
                             text=True)
    assert (by_hand.returncode == 0) == (code == 0), (typed, by_hand.stdout)
    assert shape(by_hand.stdout) == shape(output), typed


def test_the_counted_rules_line_runs_as_printed(lab, engine):
    """``lab.counted_while``'s ``$ iptables-save -c | grep -- 'DNAT'`` (and dropped_while's) as typed here."""
    typed = f"{lab.typed('iptables-save -c')} | grep -c -- '-j'"
    by_hand = subprocess.run(typed, shell=True, executable="/bin/bash", capture_output=True, text=True)
    assert by_hand.returncode == 0 and int(by_hand.stdout) > 0, (typed, by_hand.stderr)
