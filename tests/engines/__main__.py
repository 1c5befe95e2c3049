"""``python -m tests.engines``: start and stop the matrix's engines, run CI's lanes or one tier.

    python -m tests.engines start sid          # prints its DOCKER_HOST
    python -m tests.engines stop sid           # removes everything it made; only the cached root stays
    python -m tests.engines lanes [NAME...]    # CI's lanes side by side (see lanes.py)
    python -m tests.engines lanes sid-custom   # a lane run only when named (lanes.OPT_IN)
    python -m tests.engines tier notebooks     # one tier on the reference engine (workshop: the opt-in tier)
    python -m tests.engines tier lite          # an opt-in tier (compose, release, lite: lanes.OPT_IN)
    python -m tests.engines on reference -- CMD...   # CMD with DOCKER_HOST at that engine (started, then stopped)
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

from . import lanes, matrix


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.engines", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["install", "start", "stop", "list", "lanes", "tier", "on"])
    parser.add_argument("names", nargs="*")
    argv = sys.argv[1:] if argv is None else argv
    command = argv[argv.index("--") + 1:] if "--" in argv else []
    options, pytest_args = parser.parse_known_args(argv[:argv.index("--")] if "--" in argv else argv)
    if options.action == "list":
        print("lanes:", *lanes.LANES)
        print("opt-in lanes:", *lanes.OPT_IN)
        for engine in matrix.ENGINES.values():
            print(f"engine {engine.name}: Docker {engine.version}, {engine.about}; {engine.settings()}")
        return 0
    if options.action == "lanes":
        unknown = [name for name in options.names if name not in lanes.ALL]
        if unknown:
            parser.error(f"no lane {', '.join(unknown)}: choose from {', '.join(lanes.ALL)}")
        chosen = [lanes.ALL[name] for name in options.names] or list(lanes.LANES.values())
        if len(chosen) == 1:
            return lanes.run(chosen[0], pytest_args)
        return lanes.run_side_by_side(chosen, pytest_args)
    if options.action == "tier":
        if len(options.names) == 1 and options.names[0] in lanes.OPT_IN:
            return lanes.run(lanes.OPT_IN[options.names[0]], pytest_args)
        if len(options.names) != 1 or options.names[0] not in lanes.TIERS:
            parser.error(f"name one tier: {', '.join([*lanes.TIERS, *lanes.OPT_IN])}")
        tier = lanes.Lane(f"reference-{options.names[0]}", lanes.REFERENCE_ENGINE,
                          [lanes.Step(f"the {options.names[0]} tier", lanes.TIERS[options.names[0]])])
        return lanes.run(tier, pytest_args)
    if options.action == "on":
        return _on(options.names, command, parser)
    if len(options.names) != 1 or options.names[0] not in matrix.ENGINES:
        parser.error(f"name one engine: {', '.join(matrix.ENGINES)}")
    engine = matrix.ENGINES[options.names[0]]
    if options.action == "install":
        matrix.install(engine)
    elif options.action == "start":
        print(matrix.start(engine))
    else:
        matrix.stop(engine)
    return 0


def _on(names: list[str], command: list[str], parser: argparse.ArgumentParser) -> int:
    """Run ``command`` against one engine (``reference`` is the reference engine's name too)."""
    name = lanes.REFERENCE_ENGINE if names == ["reference"] else (names[0] if len(names) == 1 else "")
    if name not in matrix.ENGINES or not command:
        parser.error(f"usage: on ENGINE -- COMMAND (engines: reference, {', '.join(matrix.ENGINES)})")
    engine = matrix.ENGINES[name]
    running = matrix.running(engine)  # a lane's own engine (./lab regen inside a test): used, and left running
    try:
        url = matrix.start(engine)
        matrix.load_lab_images(engine)
        return subprocess.run(command, env={**os.environ, "DOCKER_HOST": url}).returncode
    finally:
        if not running:
            matrix.stop(engine)


sys.exit(main())
