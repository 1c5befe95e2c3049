"""Exercises for lesson 08, ports."""
from ..task import NotYet, Question, Task


def _published(name, host_port=None):
    """``name``'s port 80 is published on 127.0.0.1 only (at ``host_port``), and a web server answers there."""
    def judge(state):
        container = state.running(name)
        ports = [p for p in container.ports if p["container_port"] == 80 and p["protocol"] == "tcp"]
        if not ports:
            raise NotYet("publish", name=name)
        for port in ports:
            if port["host_ip"] != "127.0.0.1":
                raise NotYet("all-addresses", name=name, host_ip=port["host_ip"] or "0.0.0.0")
            if host_port and port["host_port"] != host_port:
                raise NotYet("port", name=name, have=port["host_port"], want=host_port)
        url = f"http://127.0.0.1:{ports[0]['host_port']}/"
        if state.fetch_from_host(url) is None:
            raise NotYet("serve", name=name, url=url)
    return judge


SERVE = "sh -c 'echo hello > /var/www/index.html; httpd -f -p 80 -h /var/www'"

q1 = Task("08.1", _published("ex-site", 8090),
          [f"docker run -d --name ex-site -p 127.0.0.1:8090:80 dockerlab/busybox {SERVE}"], ["ex-site"])

q2 = Task("08.2", _published("ex-site2"),
          [f"docker run -d --name ex-site2 -p 127.0.0.1::80 dockerlab/busybox {SERVE}"], ["ex-site2"])

q3 = Question("08.3", None, ["q3.answer('loopback-only')"], expected="loopback-only",
              choices=["firewall", "loopback-only", "no-server", "host-mode"])

TASKS = [q1, q2, q3]
