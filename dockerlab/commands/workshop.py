"""``dockerlab workshop up|status|exec|progress|reset|down``: the workshop from a terminal."""
from __future__ import annotations

import argparse
import json

from ..text import say
from .common import connected, progress_line


def add_to(sub: argparse._SubParsersAction) -> None:
    """Add the ``workshop`` sub-command to the ``dockerlab`` command line."""
    workshop = sub.add_parser("workshop", help=say("cli-workshop"))
    actions = workshop.add_subparsers(dest="action", required=True, metavar="ACTION")
    starting = actions.add_parser("up", help=say("cli-workshop-up"))
    who = starting.add_mutually_exclusive_group(required=True)
    who.add_argument("--learners", type=int, metavar="N", help=say("cli-workshop-learners"))
    who.add_argument("--from", dest="names_file", metavar="FILE", help=say("cli-workshop-from"))
    starting.add_argument("--port", type=int, default=8000, help=say("cli-workshop-port"))
    starting.add_argument("--memory", default="1g", help=say("cli-workshop-memory"))
    starting.add_argument("--cpus", type=float, default=1.0, help=say("cli-workshop-cpus"))
    starting.add_argument("--lazy", action="store_true", help=say("cli-workshop-lazy"))
    for action in ("status", "progress"):
        listing = actions.add_parser(action, help=say(f"cli-workshop-{action}"))
        listing.add_argument("--json", action="store_true", help=say("cli-json"))
    running = actions.add_parser("exec", help=say("cli-workshop-exec"))
    running.add_argument("learner")
    running.add_argument("command_line", nargs=argparse.REMAINDER, metavar="-- COMMAND")
    resetting = actions.add_parser("reset", help=say("cli-workshop-reset"))
    resetting.add_argument("learner")
    actions.add_parser("down", help=say("cli-workshop-down"))
    workshop.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..workshop import accounts, hub, room

    engine = connected()
    if args.action == "up":
        names = accounts.numbered(args.learners) if args.names_file is None else accounts.from_file(args.names_file)
        passwords = hub.up(engine, names, port=args.port, memory=args.memory, cpus=args.cpus,
                           start=not args.lazy, progress=progress_line)
        print(say("workshop-accounts"))
        for name, password in passwords.items():
            print(f"  {name:<14} {password}")
        current = hub.status(engine)
        print(say("workshop-ready", url=current["url"], progress=current["progress"]))
        return 0
    if args.action == "down":
        removed = hub.down(engine)
        print(say("reset-removed", count=sum(len(names) for names in removed.values())))
        return 0
    if args.action == "status":
        current = hub.status(engine)
        if args.json:
            print(json.dumps(current, indent=2))
            return 0
        print(f"{current['url']}  (hub {current['hub']}; progress: {current['progress']})")
        for learner in current["learners"]:
            print(f"  {learner['name']:<14} environment {learner['environment']:<12} server {learner['server']}")
        return 0
    if args.action == "progress":
        reading = room.room(engine, hub.settings()["learners"])
        if args.json:
            print(json.dumps(reading, indent=2))
            return 0
        for name, learner in reading.items():
            done = sum(outcome == "correct" for outcome in learner["exercises"].values())
            print(f"{name:<14} {learner['environment']:<12} {done}/{len(learner['exercises'])} correct  "
                  + " ".join(task for task, outcome in sorted(learner["exercises"].items()) if outcome == "correct"))
        return 0
    if args.action == "reset":
        hub.exec_in(engine, args.learner, ["true"])  # an unknown or stopped learner is explained
        print(say("workshop-reset-done", learner=args.learner, count=room.reset_engine(engine, args.learner)))
        return 0
    command = args.command_line[1:] if args.command_line[:1] == ["--"] else args.command_line
    code, output = hub.exec_in(engine, args.learner, command)
    print(output, end="")
    return code
