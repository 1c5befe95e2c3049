"""The ``dockerlab`` command: doctor, engine, setup, snapshot, explain, why, check, cluster, proxy, open, reset.

Every failure prints one paragraph that says what to do, and exits non-zero;
never a traceback.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from .. import errors, labels
from ..text import say
from ..version import __version__
from .common import connected, progress_line
from .opening import add_to as add_open
from .workshop import add_to as add_workshop


def _doctor(args: argparse.Namespace) -> int:
    from ..host.health import diagnose

    report = diagnose()
    print(report)
    if args.report is not None:
        from ..host import report as report_file

        print(say("doctor-report-written", path=report_file.write(path=args.report or None)))
    return 0 if report.ok else 1


def _engine(args: argparse.Namespace) -> int:
    from ..engine.daemon import ensure_engine

    ensure_engine(progress=progress_line)
    return 0


def _setup(args: argparse.Namespace) -> int:
    from ..engine.daemon import ensure_engine
    from ..engine.images import ensure_images, ensure_node_image

    engine = ensure_engine(progress=progress_line) if args.start_engine else connected()
    made = ensure_images(engine, source=args.source, force=args.force, progress=progress_line)
    if args.nodes:
        made.append(ensure_node_image(engine, source=args.source, force=args.force, progress=progress_line))
    for image in made:
        print(say(f"setup-image-{image.how}", tag=image.tag))
    return 0


def _reset(args: argparse.Namespace) -> int:
    from ..host.cleanup import reset

    found = reset(connected(), lesson=args.lesson, dry_run=args.dry_run)
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
    from ..host.probe import snapshot
    from ..render.static import draw, summary

    topology = snapshot(connected(), args.lesson)
    for target in args.save or []:
        draw(topology).save(target)
    if args.json:
        print(json.dumps(topology.to_dict(), indent=2))
    elif not args.save:
        print(summary(topology))
    return 0


def _explain(args: argparse.Namespace) -> int:
    from ..explain import explain, live_listing

    engine = connected()
    if args.live:
        return live_listing(engine, everything=args.all, show=lambda text: print(text, flush=True))
    picture = explain(engine, everything=args.all)
    for target in args.save or []:
        picture.save(target)
    if args.json:
        print(json.dumps(picture.emap.to_dict(), indent=2))
    else:
        print(picture.text)
    return 0


def _why(args: argparse.Namespace) -> int:
    from ..explain import why

    verdict = why(args.source, args.target, args.port, engine=connected(), probe=args.probe,
                  show=None if args.json else (lambda line: print("  " + line, flush=True)))
    print(json.dumps(verdict.to_dict(), indent=2, ensure_ascii=False) if args.json else verdict)
    return 0 if verdict.reachable else 1


def _check(args: argparse.Namespace) -> int:
    from ..exercises import Attempt, all_tasks, find, gradebook
    from ..exercises.verdict import Outcome

    if args.all or args.csv:
        from ..exercises.progress import csv_rows, progress, table, to_csv

        report = progress(connected())
        if args.csv:
            sys.stdout.write(to_csv(csv_rows(report)))
        else:
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
    attempt = Attempt(task, connected() if task.reads_engine else None)
    if args.solve:
        return 0 if attempt.solve().correct else 1
    verdict = attempt.verdict()
    gradebook.checked(task.id, verdict.correct)
    if args.json:
        print(json.dumps({"id": task.id, "title": task.title, "outcome": verdict.outcome.value,
                          "reason": verdict.reason, "hint": attempt.hint_ladder()[0]}, indent=2, ensure_ascii=False))
    else:
        print(f"{task.line(verdict)} — {task.title}")
        if verdict.outcome is not Outcome.CORRECT:
            attempt.hint()
    return 0 if verdict.outcome is Outcome.CORRECT else 1


def _cluster(args: argparse.Namespace) -> int:
    from ..host import cluster

    engine = connected()
    if args.action == "up":
        cluster.up(engine, nodes=args.nodes, progress=progress_line)
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
                      + say("cluster-ready" if node["ready"] else "cluster-not-ready-node"))
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

    from ..engine.proxy import Proxy

    proxy = Proxy(args.lesson, upstream=connected().url, path=args.socket).start()
    print(say("proxy-ready", lesson=args.lesson, url=proxy.url))
    print(f"export DOCKER_HOST={proxy.url}", flush=True)
    try:
        threading.Event().wait()
    finally:
        proxy.stop()
        print(say("proxy-stopped"), file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    """The command line, with one sub-command per job."""
    top = argparse.ArgumentParser(prog="dockerlab", description=say("cli-description"))
    top.add_argument("--version", action="version", version=f"dockerlab {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    doctor = sub.add_parser("doctor", help=say("cli-doctor"))
    doctor.add_argument("--report", nargs="?", const="", metavar="FILE", help=say("cli-doctor-report"))
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

    explaining = sub.add_parser("explain", help=say("cli-explain"))
    explaining.add_argument("--json", action="store_true", help=say("cli-explain-json"))
    explaining.add_argument("--all", action="store_true", help=say("cli-explain-all"))
    explaining.add_argument("--save", action="append", metavar="FILE.svg|FILE.png", help=say("cli-snapshot-save"))
    explaining.add_argument("--live", action="store_true", help=say("cli-explain-live"))
    explaining.set_defaults(run=_explain)

    asking = sub.add_parser("why", help=say("cli-why"), description=say("cli-why-description"))
    asking.add_argument("source", metavar="A", help=say("cli-why-source"))
    asking.add_argument("target", metavar="B", help=say("cli-why-target"))
    asking.add_argument("port", nargs="?", metavar="PORT", help=say("cli-why-port"))
    asking.add_argument("--probe", action="store_true", help=say("cli-why-probe"))
    asking.add_argument("--json", action="store_true", help=say("cli-json"))
    asking.set_defaults(run=_why)

    check = sub.add_parser("check", help=say("cli-check"))
    check.add_argument("id", nargs="?", help=say("cli-check-id"))
    check.add_argument("--list", action="store_true", help=say("cli-check-list"))
    check.add_argument("--all", action="store_true", help=say("cli-check-all"))
    check.add_argument("--json", action="store_true", help=say("cli-check-json"))
    check.add_argument("--csv", action="store_true", help=say("cli-check-csv"))
    check.add_argument("--solve", action="store_true", help=say("cli-check-solve"))
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
    proxy.add_argument("--lesson", default=labels.CLI, help=say("cli-proxy-lesson"))
    proxy.add_argument("--socket", help=say("cli-proxy-socket"))
    proxy.set_defaults(run=_proxy)

    add_workshop(sub)

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
