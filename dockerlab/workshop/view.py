"""The instructor's room: a Hub service at ``/services/progress/``, served on an origin of its own.

Pages (``pages.py``): the room (``/``), a projector page (``/projector``), the gradebook (``/grades.csv``),
JSON (``/api``), each with the course check's before and after; and per learner, each asked before it is done:
empty their engine (``/reset/NAME``), a new password (``/password/NAME``), restart their environment, work kept
(``/restart/NAME``). Only the
instructor's browser session opens them: an API token is refused (a token leaks more easily than a cookie on
another origin). The room is read every ``REFRESH_SECONDS`` without entering a learner's container
(``room.renew``). Run by the hub (``python -m dockerlab.workshop.view``).
"""
from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path
from urllib.parse import urlparse

from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler, HubOAuthenticated
from jupyterhub.utils import url_path_join
from tornado import httpclient, ioloop, web

from ..engine.client import Engine
from . import INSTRUCTOR, accounts, pages, room
from .hub import settings

REFRESH_SECONDS = 10  # a reading opens one small file per learner and asks the hub once: cheap


class Room:
    """The latest reading of the room, renewed in the background so pages answer at once."""

    def __init__(self, state: Path, engine: Engine, learners: list[str]):
        self.state, self.engine, self.learners = state, engine, learners
        self.reading: dict[str, room.Learner] = {}
        self.read_at = 0.0
        self.problem = ""

    async def hub_users(self) -> dict[str, dict]:
        client = httpclient.AsyncHTTPClient()
        answer = await client.fetch(url_path_join(os.environ["JUPYTERHUB_API_URL"], "users"), request_timeout=20,
                                    headers={"Authorization": f"token {os.environ['JUPYTERHUB_API_TOKEN']}"})
        return {user["name"]: user for user in json.loads(answer.body)}

    async def renew(self) -> None:
        users = await self.hub_users()
        self.reading = await asyncio.to_thread(room.renew, self.reading, self.state, self.engine, users,
                                               self.learners)
        self.read_at = time.time()
        self.problem = ""

    async def renew_forever(self) -> None:
        """Read the room again and again; a failed reading keeps the last one and says why (never stops)."""
        while True:
            try:
                await self.renew()
            except Exception as problem:  # noqa: BLE001 - shown in the API, the view goes on
                self.problem = f"{type(problem).__name__}: {problem}"
            await asyncio.sleep(REFRESH_SECONDS)

    async def restart(self, learner: str) -> tuple[int, int]:
        """Stop the learner's server, wait until it is gone, start it again; the hub's answers to both."""
        stopped = await self.server(learner, "DELETE")
        for _ in range(120):
            users = await self.hub_users()
            if not (users.get(learner, {}).get("servers") or {}).get(""):
                break
            await asyncio.sleep(1)
        return stopped, await self.server(learner, "POST")

    async def server(self, learner: str, method: str) -> int:
        """Start (POST) or stop (DELETE) a learner's server through the hub (their work stays)."""
        client = httpclient.AsyncHTTPClient()
        answer = await client.fetch(
            url_path_join(os.environ["JUPYTERHUB_API_URL"], f"users/{learner}/server"), method=method,
            headers={"Authorization": f"token {os.environ['JUPYTERHUB_API_TOKEN']}"}, request_timeout=200,
            raise_error=False, allow_nonstandard_methods=True, body=b"{}" if method == "POST" else None)
        return answer.code


class Handler(HubOAuthenticated, web.RequestHandler):
    """The instructor only, by their browser session only."""

    def set_default_headers(self) -> None:
        for header, value in pages.HEADERS.items():
            self.set_header(header, value)

    def check_xsrf_cookie(self) -> None:
        """A form posted from the room's own origin only: the room shares its host (and so its cookies) with
        the hub's origin, where learners' pages run; the browser's Origin header says where a form came from."""
        room = urlparse(settings()["room_url"])
        if self.request.headers.get("Origin") != f"{room.scheme}://{room.netloc}":
            raise web.HTTPError(403, "A form of the room is accepted from the room's own page only.")
        super().check_xsrf_cookie()

    def get_current_user(self):
        if "Authorization" in self.request.headers or self.get_query_argument("token", None):
            return None
        user = super().get_current_user()
        return user if user and user.get("name") == INSTRUCTOR else None

    @property
    def room(self) -> Room:
        return self.settings["room"]

    @property
    def base(self) -> str:
        return self.settings["base"]

    def learner(self, name: str) -> str:
        if name not in self.room.learners:
            raise web.HTTPError(404, f"There is no learner {name} in this workshop.")
        return name


class Page(Handler):
    @web.authenticated
    def get(self) -> None:
        self.write(pages.room(self.room.reading, self.room.read_at, self.base, self.xsrf_form_html()))


class Projector(Handler):
    @web.authenticated
    def get(self) -> None:
        self.write(pages.projector(self.room.reading, self.base))


class Style(Handler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/css")
        self.write(pages.STYLE)


class Grades(Handler):
    @web.authenticated
    def get(self) -> None:
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", 'attachment; filename="gradebook.csv"')
        self.write(pages.gradebook(self.room.reading))


class Api(Handler):
    @web.authenticated
    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.write(json.dumps({"read_at": self.room.read_at, "problem": self.room.problem,
                               "learners": {n: one.as_dict() for n, one in self.room.reading.items()},
                               "check": room.course_check(self.room.reading)}))


ACTIONS = {
    "reset": ("Empty the engine of {name}? Their containers, networks and volumes go; files and images stay.",
              "Empty it"),
    "password": ("Give {name} a new password? The old one stops working; their work is kept.", "New password"),
    "restart": ("Restart the environment of {name}? Running cells stop; files, images and work are kept.",
                "Restart"),
}


class Action(Handler):
    """GET asks; POST does it and says what happened, at once."""

    @web.authenticated
    def get(self, verb: str, name: str) -> None:
        question, button = ACTIONS[verb]
        self.write(pages.confirm(question.format(name=self.learner(name)), f"{self.base}{verb}/{name}", button,
                                 self.base, self.xsrf_form_html()))

    @web.authenticated
    async def post(self, verb: str, name: str) -> None:
        name, detail = self.learner(name), ""
        if verb == "reset":
            try:
                left = await asyncio.to_thread(room.reset_engine, self.room.engine, name)
                message = f"The engine of {name} is empty ({left} containers left)."
            except Exception as problem:  # noqa: BLE001 - said on the page
                message, detail = f"The engine of {name} could not be emptied.", str(problem)
        elif verb == "password":
            password = (await asyncio.to_thread(accounts.issue, self.room.state, [name]))[name]
            message = f"New password for {name}: {password} (shown once; it works for one login)."
        else:
            stopped, started = await self.room.restart(name)
            ok = stopped in (202, 204) and started in (201, 202)
            message = f"The environment of {name} is {'restarting' if ok else 'not restarted'}."
            detail = "" if ok else f"hub answers: stop {stopped}, start {started}"
        self.write(pages.done(message, self.base, detail))


def application() -> web.Application:
    """The service's pages under its prefix, with the hub's login."""
    base = os.environ["JUPYTERHUB_SERVICE_PREFIX"]
    chosen = settings()
    state = Path(os.environ["DOCKERLAB_WORKSHOP_DIR"])
    # the room's own origin: the browser comes back there from the hub's login (the hub's origin)
    HubOAuth.instance(oauth_redirect_uri=chosen["room_url"] + "oauth_callback", hub_host=chosen["url"])
    return web.Application(
        [(base, Page), (url_path_join(base, "projector"), Projector), (url_path_join(base, "room.css"), Style),
         (url_path_join(base, "grades.csv"), Grades), (url_path_join(base, "api"), Api),
         (url_path_join(base, r"(reset|password|restart)/([a-z][a-z0-9]{0,30})"), Action),
         (url_path_join(base, "oauth_callback"), HubOAuthCallbackHandler)],
        cookie_secret=os.urandom(32), xsrf_cookies=True, base=base,
        room=Room(state, Engine.connect(chosen["engine"]), chosen["learners"]))


async def main() -> None:
    app = application()
    address = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    app.listen(address.port or 80, address.hostname or "127.0.0.1")
    await app.settings["room"].renew_forever()


if __name__ == "__main__":
    ioloop.IOLoop.current().run_sync(main)
