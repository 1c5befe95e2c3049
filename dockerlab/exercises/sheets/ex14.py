"""Exercises for lesson 14, Compose networks: two Compose projects, judged by what the engine has, however it got there.

Each task's solution writes a Compose file in the sheet's own folder (``# NAME.yaml`` and its text, see
:func:`dockerlab.lessons.compose.solution_file`) and runs ``docker compose -f NAME.yaml up -d`` there.
"""
from ...lessons.compose import solution_file
from ..task import NotYet, Task
from .common import ipv4, on, shared_networks

ALIAS_FILE = """name: ex14-alias
services:
  api:
    image: dockerlab/busybox:latest
    pull_policy: never
    command: ["sleep", "1d"]
    networks:
      front:
        aliases: [backend]
  client:
    image: dockerlab/busybox:latest
    pull_policy: never
    command: ["sleep", "1d"]
    networks: [front]
networks:
  front: {}
"""

FIX_FILE = """name: ex14-fix
services:
  web:
    image: dockerlab/busybox:latest
    pull_policy: never
    command: ["sh", "-c", "echo hello from web > /var/www/index.html; exec httpd -f -p 80 -h /var/www"]
    networks: [front]
    ports:
      - "127.0.0.1:8416:80"
  db:
    image: dockerlab/busybox:latest
    pull_policy: never
    command: ["sh", "-c", "echo hello from db > /var/www/index.html; exec httpd -f -p 5432 -h /var/www"]
    networks: [front, back]
networks:
  front: {}
  back:
    internal: true
"""
"""Task 14.2 solved: the sheet starts from the same file with ``db`` on ``back`` only and ``web``'s server on
``127.0.0.1:80`` (``BROKEN_FIX_FILE``)."""

BROKEN_FIX_FILE = FIX_FILE.replace("-p 80 -h", "-p 127.0.0.1:80 -h").replace("networks: [front, back]",
                                                                             "networks: [back]")
PAGE = "http://127.0.0.1:8416/"


def _backend(state):
    """``ex14-alias-api-1`` answers to ``backend`` on ``ex14-alias_front``, and nothing else does."""
    api, network = "ex14-alias-api-1", "ex14-alias_front"
    on(state, api, network)
    answers, mine = state.resolve(network, "backend"), ipv4(state, api, network)
    if mine not in answers:
        raise NotYet("no-answer" if not answers else "other-answer", hint="alias", mine=mine,
                     answers=", ".join(answers))
    if len(answers) > 1:
        raise NotYet("several", others=", ".join(a for a in answers if a != mine))


def _fixed(state):
    """``web``'s page on the host at 127.0.0.1:8416, and ``db`` found by its name from a network ``web`` is on."""
    web, db = "ex14-fix-web-1", "ex14-fix-db-1"
    state.running(db)
    shared = shared_networks(state, web, db)
    if not shared:
        raise NotYet("apart", hint="network", web=", ".join(state.running(web).networks) or "-",
                     db=", ".join(state.running(db).networks) or "-")
    if not any(ipv4(state, db, network) in state.resolve(network, "db") for network in shared):
        raise NotYet("no-name", hint="name", networks=", ".join(shared))
    if not any(str(port.get("host_port")) == "8416" for port in state.running(web).ports):
        raise NotYet("not-published", hint="publish")
    if state.fetch_from_host(PAGE) is None:
        raise NotYet("no-page", hint="loopback", url=PAGE)


q1 = Task("14.1", _backend, [solution_file("alias.yaml", ALIAS_FILE), "docker compose -f alias.yaml up -d"],
          ["ex14-alias-api-1"])
q2 = Task("14.2", _fixed, [solution_file("fix.yaml", FIX_FILE), "docker compose -f fix.yaml up -d"],
          ["ex14-fix-web-1", "ex14-fix-db-1"])

TASKS = [q1, q2]
