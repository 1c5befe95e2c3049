"""Network namespaces and firewall rules the course makes by hand on the engine's host (lesson 12).

Similar to ``ip netns add dockerlab-12-red`` and ``iptables -A ... -m comment --comment dockerlab:12-namespaces``.
A namespace the course makes is named ``dockerlab-<lesson number>-...``; a rule carries the comment
``dockerlab:<lesson>``. Those names and comments are their labels: only such namespaces and rules are
listed or removed, never the learner's own nor Docker's (Docker's namespaces live under its own
exec root, not in ``ip netns``).
"""
from __future__ import annotations

import shlex

from . import hostshell
from .engine import Engine
from .labels import HOST_LINK_ALIAS_PREFIX

# the tables and chains where the course's hand-made rules go
CHAINS = (("nat", "POSTROUTING"), ("filter", "DOCKER-USER"))


def prefix(lesson: str | None) -> str:
    """The start of a namespace name the course made (of one lesson, if given): ``dockerlab-12-``."""
    return "dockerlab-" + (lesson.split("-")[0] + "-" if lesson else "")


def namespaces(engine: Engine, lesson: str | None = None) -> list[str]:
    """The course's namespaces on the engine's host. Similar to ``ip netns list``."""
    code, output = hostshell.run(engine, ["ip", "netns", "list"], check=False)
    names = [line.split()[0] for line in output.splitlines() if line.strip()] if code == 0 else []
    return sorted(name for name in names if name.startswith(prefix(lesson)))


def rules(engine: Engine, lesson: str | None = None) -> list[tuple[str, str]]:
    """The course's firewall rules, as (table, rule) pairs. Similar to ``iptables -t TABLE -S CHAIN``."""
    found = []
    for table, chain in CHAINS:
        code, output = hostshell.run(engine, ["iptables", "-t", table, "-S", chain], check=False)
        if code == 0:
            found += [(table, line) for line in output.splitlines() if line.startswith("-A ") and _ours(line, lesson)]
    return found


def _ours(rule: str, lesson: str | None) -> bool:
    """Whether a rule as ``iptables -S`` prints it carries the course's comment (quoted or not)."""
    words = shlex.split(rule)
    comments = [words[i + 1] for i, word in enumerate(words[:-1]) if word == "--comment"]
    wanted = HOST_LINK_ALIAS_PREFIX + (lesson or "")
    return any(comment == wanted if lesson else comment.startswith(HOST_LINK_ALIAS_PREFIX) for comment in comments)


def find(engine: Engine, lesson: str | None = None) -> dict[str, list[str]]:
    """What the course made by hand (of one lesson, if given), by kind."""
    found = {}
    if names := namespaces(engine, lesson):
        found["namespaces"] = names
    if made := rules(engine, lesson):
        found["firewall_rules"] = [rule for _, rule in made]
    return found


def remove(engine: Engine, lesson: str | None = None) -> dict[str, list[str]]:
    """Delete the course's hand-made rules and namespaces (a namespace's links go with it).

    Similar to ``iptables -t TABLE -D ...`` and ``ip netns delete NAME``.
    """
    removed: dict[str, list[str]] = {}
    for table, rule in rules(engine, lesson):
        if hostshell.run(engine, ["iptables", "-t", table, "-D", *shlex.split(rule)[1:]], check=False)[0] == 0:
            removed.setdefault("firewall_rules", []).append(rule)
    for name in namespaces(engine, lesson):
        if hostshell.run(engine, ["ip", "netns", "delete", name], check=False)[0] == 0:
            removed.setdefault("namespaces", []).append(name)
    return removed
