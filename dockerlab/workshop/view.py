"""The instructor's view: a Hub service at ``/services/progress/`` showing where the room stands.

One row per learner, one column per exercise (correct / not yet / not attempted), refreshed every
few seconds from ``dockerlab check`` in each learner's environment; a button resets one learner's
engine. ``/services/progress/api`` gives the same as JSON. Only the instructor (a hub admin) and the
workshop's CLI may open it. Run by the hub (``python -m dockerlab.workshop.view``).
"""
from __future__ import annotations

import asyncio
import html
import json
import os
import time
from urllib.parse import urlparse

from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from jupyterhub.utils import url_path_join
from tornado import ioloop, web

from ..engine.client import Engine
from . import room
from .hub import settings

REFRESH_SECONDS = 30  # a reading imports the course and runs every check in each environment (seconds of CPU)
SYMBOL = {"correct": "✓", "not yet": "…", "not attempted": "·"}


class Room:
    """The latest reading of the room, renewed in the background so pages answer at once."""

    def __init__(self, engine: Engine, learners: list[str]):
        self.engine, self.learners = engine, learners
        self.reading: dict[str, dict] = {}
        self.read_at = 0.0
        self.problem = ""

    async def renew_forever(self) -> None:
        """Read the room again and again; a failed reading keeps the last one and says why (never stops)."""
        while True:
            try:
                self.reading = await asyncio.to_thread(room.room, self.engine, self.learners)
                self.read_at = time.time()
                self.problem = ""
            except Exception as problem:  # noqa: BLE001 - shown on the page and in the API, the view goes on
                self.problem = f"{type(problem).__name__}: {problem}"
            await asyncio.sleep(REFRESH_SECONDS)


def table(reading: dict[str, dict], read_at: float, base: str, xsrf: str) -> str:
    """The room as an HTML page: learners by exercises, a reset button per learner."""
    tasks = sorted({task for learner in reading.values() for task in learner["exercises"]})
    head = "".join(f"<th>{html.escape(task)}</th>" for task in tasks)
    rows = []
    for name, learner in reading.items():
        cells = "".join(f'<td class="{learner["exercises"].get(t, "").replace(" ", "-")}" '
                        f'title="{html.escape(learner["exercises"].get(t, ""))}">'
                        f'{SYMBOL.get(learner["exercises"].get(t, ""), "")}</td>' for t in tasks)
        done = sum(outcome == "correct" for outcome in learner["exercises"].values())
        rows.append(f"<tr><th>{html.escape(name)}</th><td>{html.escape(learner['environment'])}</td>"
                    f"<td>{done}/{len(tasks)}</td>{cells}<td><form method=post action='{base}reset/{name}'>{xsrf}"
                    f"<button title='docker rm -f every container, prune networks and volumes in this "
                    f"learner&#39;s engine'>reset engine</button></form></td></tr>")
    stamp = time.strftime("%H:%M:%S", time.localtime(read_at)) if read_at else "—"
    return f"""<!doctype html><html><head><meta charset=utf-8><title>The room</title>
<meta http-equiv=refresh content=10>
<style>body{{font-family:sans-serif}} td,th{{padding:2px 6px;text-align:center}}
.correct{{background:#b7e4b0}} .not-yet{{background:#fde9a9}} .not-attempted{{color:#999}}</style></head>
<body><h1>The room</h1><p>{len(reading)} learner(s), read at {stamp}; ✓ correct, … not yet,
· not attempted.</p><table><tr><th>learner</th><th>environment</th><th>done</th>{head}<th></th></tr>
{''.join(rows)}</table></body></html>"""


class Page(HubOAuthenticated, web.RequestHandler):
    @web.authenticated
    def get(self) -> None:
        reading = self.settings["room"]
        self.write(table(reading.reading, reading.read_at, self.settings["base"], self.xsrf_form_html()))


class Api(HubOAuthenticated, web.RequestHandler):
    @web.authenticated
    def get(self) -> None:
        reading = self.settings["room"]
        self.set_header("Content-Type", "application/json")
        self.write(json.dumps({"read_at": reading.read_at, "learners": reading.reading, "problem": reading.problem}))


class Reset(HubOAuthenticated, web.RequestHandler):
    @web.authenticated
    async def post(self, learner: str) -> None:
        if learner not in self.settings["room"].learners:
            raise web.HTTPError(404, f"no learner {learner}")
        await asyncio.to_thread(room.reset_engine, self.settings["room"].engine, learner)
        self.redirect(self.settings["base"])


def application() -> web.Application:
    """The service's pages under its prefix, with the hub's login."""
    base = os.environ["JUPYTERHUB_SERVICE_PREFIX"]
    return web.Application(
        [(base, Page), (url_path_join(base, "api"), Api), (url_path_join(base, r"reset/([a-z0-9]+)"), Reset),
         (url_path_join(base, "oauth_callback"), HubOAuthCallbackHandler)],
        cookie_secret=os.urandom(32), xsrf_cookies=True, base=base,
        room=Room(Engine.connect(), settings()["learners"]))


async def main() -> None:
    app = application()
    address = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    app.listen(address.port or 80, address.hostname or "127.0.0.1")
    await app.settings["room"].renew_forever()


if __name__ == "__main__":
    ioloop.IOLoop.current().run_sync(main)
