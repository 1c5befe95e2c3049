"""``dockerlab open``: the learner's working copy brought up to date, the lab image made, JupyterLab opened on it.

What an installed course (``pip install dockerlab``, ``pipx run dockerlab open``, ``uvx dockerlab open``) and
the course's container (``docker compose up``) start with. Similar to ``./lab open`` in a clone of the
repository, with the learner's files in a folder of their own (:mod:`dockerlab.commands.workcopy`).
"""
from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

from .. import errors
from ..text import say
from .workcopy import beside, course_folder, recordings_folder, sync

WELCOME = {"en": "notebooks/00-welcome.ipynb", "ko": "ko/notebooks/00-welcome.ipynb"}


def add_to(sub: argparse._SubParsersAction) -> None:
    """The ``open`` sub-command of ``dockerlab``."""
    opening = sub.add_parser("open", help=say("cli-open"))
    opening.add_argument("--work", type=Path, default=Path(os.environ.get("DOCKERLAB_WORK", "~/dockerlab")),
                         help=say("cli-open-work"))
    opening.add_argument("--port", type=int, default=8888, help=say("cli-open-port"))
    opening.add_argument("--ip", default="127.0.0.1", help=say("cli-open-ip"))
    opening.add_argument("--shown-port", type=int, help=say("cli-open-shown-port"))
    opening.add_argument("--ko", action="store_true", help=say("cli-open-ko"))
    opening.add_argument("--no-browser", action="store_true", help=say("cli-open-no-browser"))
    opening.set_defaults(run=run)


def prepare(work: Path) -> Path:
    """Bring the working copy up to date and say what changed; returns its folder."""
    work = work.expanduser().resolve()
    synced = sync(course_folder(), work)
    print(say("open-copy", work=work, added=len(synced.added), updated=len(synced.updated)), flush=True)
    for name in synced.kept:
        print(say("open-kept", name=name, new=beside(Path(name).name)), flush=True)
    return work


def make_lab_image() -> None:
    """The lab image in the learner's engine; with no engine, say so and open the course all the same."""
    from ..engine.client import Engine
    from ..engine.images import ensure_images

    try:
        ensure_images(Engine.connect(), progress=lambda line: print(line, flush=True))
    except errors.LabError as missing:
        print(say("open-no-engine", reason=missing), flush=True)


def run(args: argparse.Namespace) -> int:
    work = prepare(args.work)
    os.environ.setdefault("DOCKERLAB_ANSWERS", str(work / ".dockerlab" / "answers.json"))
    recordings = recordings_folder(course_folder())
    if recordings is not None:
        os.environ.setdefault("DOCKERLAB_RECORDINGS", str(recordings))
    make_lab_image()
    first = WELCOME["ko" if args.ko else "en"]
    token = os.environ.get("DOCKERLAB_TOKEN") or secrets.token_urlsafe(24)
    shown = f"http://127.0.0.1:{args.shown_port or args.port}/lab/tree/{first}"
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.ip={args.ip}", f"--ServerApp.port={args.port}",
               "--ServerApp.port_retries=0", f"--ServerApp.root_dir={work}", f"--IdentityProvider.token={token}",
               f"--ServerApp.custom_display_url={shown}", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if args.no_browser:
        command.append("--no-browser")
    if os.geteuid() == 0:
        command.append("--allow-root")
    print(say("open-address", url=f"{shown}?token={token}"), flush=True)
    os.execv(sys.executable, command)
    return 0  # not reached
