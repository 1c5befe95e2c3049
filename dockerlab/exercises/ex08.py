"""Exercises for lesson 08, ports."""
from ..checks import NotYet, Task


def _published(name, host_port=None):
    def judge(state):
        container = state.running(name)
        ports = [p for p in container.ports if p["container_port"] == 80]
        if not ports:
            raise NotYet(f"{name}'s port 80 is not published", "publish")
        for port in ports:
            if port["host_ip"] != "127.0.0.1":
                raise NotYet(f"{name}'s port 80 is published on {port['host_ip']}: every address of the host, "
                             "reachable from other machines", "all-addresses")
            if host_port and port["host_port"] != host_port:
                raise NotYet(f"{name}'s port 80 is published as {port['host_port']}, not {host_port}", "port")
        url = f"http://127.0.0.1:{ports[0]['host_port']}/"
        if state.fetch_from_host(url) is None:
            raise NotYet(f"nothing answers at {url}: is a web server running in {name}?", "serve")
    return judge


SERVE = "sh -c 'echo hello > /var/www/index.html; httpd -f -p 80 -h /var/www'"

q1 = Task("08.1", "Published, privately",
          "Run a web server `ex-site` whose port 80 is published on the host as `127.0.0.1:8090` — and on no "
          "other address of the host.", _published("ex-site", 8090),
          {"start": "`-p 127.0.0.1:8090:80`, and a web server: " + SERVE,
           "missing": "Name the container ex-site.", "stopped": "Start ex-site again.",
           "publish": "Publish with `-p 127.0.0.1:8090:80` when you run it (ports cannot be added later).",
           "all-addresses": "`-p 8090:80` listens on every host address: write `-p 127.0.0.1:8090:80`.",
           "port": "The host's port must be 8090: `-p 127.0.0.1:8090:80`.",
           "serve": "The container must run a web server on port 80, e.g. " + SERVE},
          [f"docker run -d --name ex-site -p 127.0.0.1:8090:80 dockerlab/busybox {SERVE}"], ["ex-site"])

q2 = Task("08.2", "Any free port",
          "Run `ex-site2`, a web server whose port 80 is published on `127.0.0.1` at a port Docker chooses.",
          _published("ex-site2"),
          {"start": "Leave the host port out: `-p 127.0.0.1::80`.",
           "missing": "Name the container ex-site2.", "stopped": "Start ex-site2 again.",
           "publish": "Publish with `-p 127.0.0.1::80`.",
           "all-addresses": "Keep it on 127.0.0.1: `-p 127.0.0.1::80`.",
           "serve": "The container must run a web server on port 80, e.g. " + SERVE},
          [f"docker run -d --name ex-site2 -p 127.0.0.1::80 dockerlab/busybox {SERVE}"], ["ex-site2"])

TASKS = [q1, q2]
