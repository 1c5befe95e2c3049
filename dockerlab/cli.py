"""The ``dockerlab`` command: doctor, engine, setup, snapshot, check, cluster, proxy, open, reset.

Every failure prints one paragraph that says what to do, and exits non-zero;
never a traceback.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from . import __version__, errors
from .text import say


def _doctor(args: argparse.Namespace) -> int:
    from .health import diagnose

    report = diagnose()
    print(report)
    return 0 if report.ok else 1


def _engine(args: argparse.Namespace) -> int:
    from .daemon import ensure_engine

    ensure_engine(progress=_progress)
    return 0


def _setup(args: argparse.Namespace) -> int:
    from .daemon import ensure_engine
    from .images import ensure_images, ensure_node_image

    engine = ensure_engine(progress=_progress) if args.start_engine else _connected()
    made = ensure_images(engine, source=args.source, force=args.force, progress=_progress)
    if args.nodes:
        made.append(ensure_node_image(engine, source=args.source, force=args.force, progress=_progress))
    for image in made:
        print(say(f"setup-image-{image.how}", tag=image.tag))
    return 0


def _reset(args: argparse.Namespace) -> int:
    from .cleanup import reset

    found = reset(lesson=args.lesson, dry_run=args.dry_run, engine=_connected())
    if args.json:
        print(json.dumps(found, indent=2))
        return 0
    key = "reset-would-remove" if args.dry_run else "reset-removed"
    total = sum(len(names) for names in found.values())
    print(say(key, count=total))
    for kind, names in found.items():
        if names:
            print(f"  {say('kind-' + kind)}: {', '.join(names)}")
    return 0


def _snapshot(args: argparse.Namespace) -> int:
    from .probe import snapshot
    from .render.static import draw, summary

    topology = snapshot(_connected(), args.lesson)
    for target in args.save or []:
        draw(topology).save(target)
    if args.json:
        print(json.dumps(topology.to_dict(), indent=2))
    elif not args.save:
        print(summary(topology))
    return 0


def _check(args: argparse.Namespace) -> int:
    from .checks import Outcome
    from .exercises import all_tasks, find

    if args.all:
        from .exercises.progress import progress, table

        report = progress(_connected())
        print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else table(report))
        return 0 if all(t["outcome"] == Outcome.CORRECT.value for t in report["tasks"]) else 1
    if args.list or not args.id:
        for listed in all_tasks():
            print(f"{listed.id}  {listed.title}")
        return 0
    task = find(args.id)
    if task is None:
        raise errors.UnsupportedCommand("check-unknown", id=args.id,
                                        known=", ".join(t.id for t in all_tasks()))
    task.engine = _connected()
    verdict = task.verdict()
    if args.json:
        print(json.dumps({"id": task.id, "title": task.title, "outcome": verdict.outcome.value,
                          "reason": verdict.reason, "hint": task.hint_ladder()[0]}, indent=2, ensure_ascii=False))
    else:
        print(f"{task.line(verdict)} — {task.title}")
        if verdict.outcome is not Outcome.CORRECT:
            task.hint()
    return 0 if verdict.outcome is Outcome.CORRECT else 1


def _cluster(args: argparse.Namespace) -> int:
    from . import cluster

    engine = _connected()
    if args.action == "up":
        cluster.up(engine, nodes=args.nodes, progress=_progress)
        return 0
    if args.action == "down":
        removed = cluster.down(engine)
        print(say("reset-removed", count=sum(len(names) for names in removed.values())))
        return 0
    if args.action == "status":
        listed = [vars(node) for node in cluster.status(engine, cluster.DEFAULT_LESSON)]
        if args.json:
            print(json.dumps({"nodes": [{k: n[k] for k in ("name", "address", "role", "ready")} for n in listed]},
                             indent=2))
        else:
            for node in listed:
                print(f"{node['name']:<10} {node['hostname']:<7} {node['address']:<13} {node['role']:<8} "
                      f"{'ready' if node['ready'] else 'not ready'}")
        return 0
    command = args.command_line[1:] if args.command_line[:1] == ["--"] else args.command_line
    nodes = cluster.status(engine)
    if args.node not in {node.name for node in nodes} | {node.hostname for node in nodes}:
        raise errors.NotFound("cluster-unknown-node", node=args.node)
    code, output = engine.exec(cluster.node_container(args.node), command)
    print(output, end="")
    return code


def _proxy(args: argparse.Namespace) -> int:
    import threading

    from .proxy import Proxy

    proxy = Proxy(args.lesson, upstream=_connected().url, path=args.socket).start()
    print(say("proxy-ready", lesson=args.lesson, url=proxy.url))
    print(f"export DOCKER_HOST={proxy.url}", flush=True)
    try:
        threading.Event().wait()
    finally:
        proxy.stop()
        print(say("proxy-stopped"), file=sys.stderr)
    return 0


def _connected():
    from .engine import Engine

    engine = Engine.connect()
    engine.version()
    return engine


def _progress(line: str) -> None:
    print(line, flush=True)


def parser() -> argparse.ArgumentParser:
    """The command line, with one sub-command per job."""
    top = argparse.ArgumentParser(prog="dockerlab", description=say("cli-description"))
    top.add_argument("--version", action="version", version=f"dockerlab {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    doctor = sub.add_parser("doctor", help=say("cli-doctor"))
    doctor.set_defaults(run=_doctor)

    engine = sub.add_parser("engine", help=say("cli-engine"))
    engine.set_defaults(run=_engine)

    setup = sub.add_parser("setup", help=say("cli-setup"))
    setup.add_argument("--source", choices=["auto", "build", "pull"], default="auto", help=say("cli-setup-source"))
    setup.add_argument("--force", action="store_true", help=say("cli-setup-force"))
    setup.add_argument("--start-engine", action="store_true", help=say("cli-setup-start-engine"))
    setup.add_argument("--nodes", action="store_true", help=say("cli-setup-nodes"))
    setup.set_defaults(run=_setup)

    snapshot = sub.add_parser("snapshot", help=say("cli-snapshot"))
    snapshot.add_argument("--json", action="store_true", help=say("cli-snapshot-json"))
    snapshot.add_argument("--lesson", help=say("cli-snapshot-lesson"))
    snapshot.add_argument("--save", action="append", metavar="FILE.svg|FILE.png", help=say("cli-snapshot-save"))
    snapshot.set_defaults(run=_snapshot)

    check = sub.add_parser("check", help=say("cli-check"))
    check.add_argument("id", nargs="?", help=say("cli-check-id"))
    check.add_argument("--list", action="store_true", help=say("cli-check-list"))
    check.add_argument("--all", action="store_true", help=say("cli-check-all"))
    check.add_argument("--json", action="store_true", help=say("cli-check-json"))
    check.set_defaults(run=_check)

    lab_cluster = sub.add_parser("cluster", help=say("cli-cluster"))
    actions = lab_cluster.add_subparsers(dest="action", required=True, metavar="ACTION")
    starting = actions.add_parser("up", help=say("cli-cluster-up"))
    starting.add_argument("--nodes", type=int, default=3)
    listing = actions.add_parser("status", help=say("cli-cluster-status"))
    listing.add_argument("--json", action="store_true", help=say("cli-json"))
    actions.add_parser("down", help=say("cli-cluster-down"))
    running = actions.add_parser("exec", help=say("cli-cluster-exec"))
    running.add_argument("node")
    running.add_argument("command_line", nargs=argparse.REMAINDER, metavar="-- COMMAND")
    lab_cluster.set_defaults(run=_cluster)

    proxy = sub.add_parser("proxy", help=say("cli-proxy"))
    proxy.add_argument("--lesson", default="cli", help=say("cli-proxy-lesson"))
    proxy.add_argument("--socket", help=say("cli-proxy-socket"))
    proxy.set_defaults(run=_proxy)

    from .workshop.command import add_to as add_workshop
    add_workshop(sub)

    from .opening import add_to as add_open
    add_open(sub)

    reset = sub.add_parser("reset", help=say("cli-reset"))
    reset.add_argument("--lesson", help=say("cli-reset-lesson"))
    reset.add_argument("--dry-run", action="store_true", help=say("cli-reset-dry-run"))
    reset.add_argument("--json", action="store_true", help=say("cli-json"))
    reset.set_defaults(run=_reset)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``dockerlab ARGS``; return the exit code."""
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except errors.LabError as error:
        print(f"dockerlab {args.command}: {error}", file=sys.stderr)
        return error.exit_code
    except Exception as error:  # a bug: one line, the details on request
        if os.environ.get("DOCKERLAB_DEBUG"):
            raise
        print(say("unexpected", command=args.command, error=f"{type(error).__name__}: {error}"), file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print(say("interrupted"), file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
