"""``dockerlab workshop prepare|up|status|exec|progress|reset|password|collect|down``: the workshop from a terminal."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..text import say

ACTIONS = ("prepare", "up", "status", "exec", "progress", "reset", "password", "collect", "down")


def add_to(sub: argparse._SubParsersAction) -> None:
    """Add the ``workshop`` sub-command to the ``dockerlab`` command line."""
    workshop = sub.add_parser("workshop", help=say("cli-workshop"))
    actions = workshop.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("prepare", help=say("cli-workshop-prepare"))
    starting = actions.add_parser("up", help=say("cli-workshop-up"))
    who = starting.add_mutually_exclusive_group(required=True)
    who.add_argument("--learners", type=int, metavar="N", help=say("cli-workshop-learners"))
    who.add_argument("--from", dest="names_file", metavar="FILE", help=say("cli-workshop-from"))
    starting.add_argument("--listen", default="127.0.0.1", metavar="ADDRESS", help=say("cli-workshop-listen"))
    starting.add_argument("--port", type=int, default=8000, help=say("cli-workshop-port"))
    starting.add_argument("--tls-cert", metavar="FILE", help=say("cli-workshop-tls"))
    starting.add_argument("--tls-key", metavar="FILE", help=say("cli-workshop-tls"))
    starting.add_argument("--memory", default="1g", help=say("cli-workshop-memory"))
    starting.add_argument("--cpus", type=float, default=1.0, help=say("cli-workshop-cpus"))
    starting.add_argument("--pids", type=int, help=say("cli-workshop-pids"))
    starting.add_argument("--disk", default="3g", help=say("cli-workshop-disk"))
    starting.add_argument("--lazy", action="store_true", help=say("cli-workshop-lazy"))
    starting.add_argument("--idle-minutes", type=int, default=60, help=say("cli-workshop-idle"))
    for action in ("status", "progress"):
        listing = actions.add_parser(action, help=say(f"cli-workshop-{action}"))
        listing.add_argument("--json", action="store_true", help=say("cli-json"))
        if action == "progress":
            listing.add_argument("--csv", action="store_true", help=say("cli-workshop-progress-csv"))
    running = actions.add_parser("exec", help=say("cli-workshop-exec"))
    running.add_argument("learner")
    running.add_argument("command_line", nargs=argparse.REMAINDER, metavar="-- COMMAND")
    for action in ("reset", "password"):
        one = actions.add_parser(action, help=say(f"cli-workshop-{action}"))
        one.add_argument("learner")
    collecting = actions.add_parser("collect", help=say("cli-workshop-collect"))
    collecting.add_argument("--to", default=".", metavar="FOLDER", help=say("cli-workshop-collect-to"))
    ending = actions.add_parser("down", help=say("cli-workshop-down"))
    ending.add_argument("--yes", action="store_true", help=say("cli-workshop-yes"))
    ending.add_argument("--to", default=".", metavar="FOLDER", help=say("cli-workshop-collect-to"))
    workshop.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..lessons import coursecheck
    from ..workshop import accounts, collect, engine, hub, pages, reading, room
    from .common import progress_line

    if args.action == "prepare":
        lab = hub.workshop_engine()
        from ..workshop.image import ensure_learner_image

        ensure_learner_image(lab, progress=progress_line)
        if not (hub.folder() / "settings.json").exists():
            engine.stop()
        print(say("workshop-prepared"))
        return 0
    if args.action == "up":
        names = accounts.numbered(args.learners) if args.names_file is None else accounts.from_file(args.names_file)
        if bool(args.tls_cert) != bool(args.tls_key):
            from .. import errors

            raise errors.CommandRefused("workshop-tls-pair")
        made = hub.up(names, port=args.port, listen=args.listen, memory=args.memory, cpus=args.cpus,
                      pids=args.pids, disk_size=args.disk, start=not args.lazy, progress=progress_line,
                      cull_after=max(args.idle_minutes, 5) * 60,
                      tls=(args.tls_cert, args.tls_key) if args.tls_cert else None)
        print(say("workshop-accounts", roster=hub.folder() / "roster.csv"))
        for name, password in made["passwords"].items():
            print(f"  {name:<14} {password}")
        if made["fingerprint"]:
            print(say("workshop-fingerprint", fingerprint=made["fingerprint"]))
        print(say("workshop-ready", url=made["url"], progress=made["room_url"]))
        return 0
    if args.action == "down":
        chosen = hub.settings()
        state = hub.folder()
        if not args.yes:
            if not sys.stdin.isatty():
                print(say("workshop-down-asks"), file=sys.stderr)
                return 2
            answer = input(say("workshop-down-question", count=len(chosen["learners"])) + " ")
            if answer.strip().lower() not in ("y", "yes"):
                print(say("workshop-down-kept"))
                return 1
        archive, counts = collect.collect(state, chosen["learners"], Path(args.to))
        print(say("workshop-collected", archive=archive, files=sum(counts.values()), learners=len(counts)))
        removed = hub.down()
        print(say("reset-removed", count=sum(len(names) for names in removed.values())))
        return 0
    if args.action == "collect":
        chosen = hub.settings()
        archive, counts = collect.collect(hub.folder(), chosen["learners"], Path(args.to))
        print(say("workshop-collected", archive=archive, files=sum(counts.values()), learners=len(counts)))
        return 0
    if args.action == "password":
        chosen = hub.settings()
        if args.learner not in [*chosen["learners"], "instructor"]:
            from .. import errors

            raise errors.NotFound("workshop-unknown-learner", learner=args.learner)
        password = accounts.issue(hub.folder(), [args.learner])[args.learner]
        print(say("workshop-password", learner=args.learner, password=password))
        return 0
    if args.action == "status":
        current = hub.status()
        if args.json:
            print(json.dumps(current, indent=2))
            return 0
        print(say("workshop-status", url=current["url"], hub=current["hub"], room=current["room"]))
        for learner in current["learners"]:
            print("  " + say("workshop-status-learner", name=learner["name"], environment=learner["environment"],
                             server=learner["server"], disk=f"{learner['disk']['used'] / 2**20:.0f}"))
        return 0
    if args.action == "progress":
        chosen = hub.settings()
        reading_now = {name: reading.report(hub.folder(), name) for name in chosen["learners"]}
        if args.csv:
            sys.stdout.write(pages.gradebook({name: room.Learner(name, tasks=report.get("tasks", {}))
                                              for name, report in reading_now.items()}))
            return 0
        if args.json:
            print(json.dumps(reading_now, indent=2))
            return 0
        for name, report in reading_now.items():
            tasks = report.get("tasks", {})
            done = sum(outcome == "correct" for outcome in tasks.values())
            print(say("workshop-progress-learner", name=name, done=done, total=len(reading.known_tasks()),
                      tasks=" ".join(task for task, outcome in tasks.items() if outcome == "correct")))
            checked = room.Learner(name, check=report.get("check", {}))
            if any(checked.score(when)["answered"] for when in ("before", "after")):
                print(say("workshop-progress-check", name=name, before=checked.score("before")["right"],
                          after=checked.score("after")["right"], asked=len(coursecheck.QUESTIONS)))
        return 0
    if args.action == "reset":
        lab = hub.learner_engine(args.learner)
        print(say("workshop-reset-done", learner=args.learner, count=room.reset_engine(lab, args.learner)))
        return 0
    command = args.command_line[1:] if args.command_line[:1] == ["--"] else args.command_line
    code, output = hub.exec_in(args.learner, command)
    print(output, end="")
    return code
