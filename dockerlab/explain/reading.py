"""Read what explains an engine — and only read: nothing of yours is started, stopped, changed or attached.

Three reads, each named by the command it is similar to:

- :func:`engine_map`: the snapshot the lessons draw (``docker ps``, ``docker network ls``, ``ip -o link``
  on the host and in every container) and each running container's names, aliases and links
  (``docker inspect`` of each, several at a time);
- :func:`host_view`: the engine host's firewall with its counters (``sudo iptables-save -c``), its
  addresses (``ip -o -4 addr``), its sockets that listen (``ss -ltn``), and, for the containers a question
  is about, their listening sockets and routes, read from ``/proc/PID/net`` on the host — never by
  ``docker exec`` into your containers.

Reading the kernel may take the course's own helper container (as every snapshot does where this process
cannot read the engine's host itself): it is labelled, runs in the host's namespaces, and is the
course's, never yours.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ..engine.client import Engine
from ..host import firewall
from ..host.enginehost import engine_host
from ..host.session import Session
from ..model.enginemap import EngineMap
from ..model.hostview import HostView, parse_host_view
from ..model.topology import Topology

_PARALLEL = 8


def _trimmed(inspected: dict) -> dict:
    """What an explanation needs of ``docker inspect NAME``."""
    config, host_config = inspected.get("Config") or {}, inspected.get("HostConfig") or {}
    return {
        "Id": inspected.get("Id", ""),
        "Hostname": config.get("Hostname", ""),
        "Labels": config.get("Labels") or {},
        "ExposedPorts": sorted((config.get("ExposedPorts") or {}).keys()),
        "Pid": (inspected.get("State") or {}).get("Pid", 0),
        "Links": host_config.get("Links") or [],
        "ExtraHosts": host_config.get("ExtraHosts") or [],
        "Dns": host_config.get("Dns") or [],
        "Networks": {name: {key: settings.get(key) for key in
                            ("Aliases", "DNSNames", "Links", "GwPriority", "IPAddress", "IPPrefixLen", "MacAddress")}
                     for name, settings in ((inspected.get("NetworkSettings") or {}).get("Networks") or {}).items()},
    }


def details(engine: Session, names: list[str]) -> dict[str, dict]:
    """Each container's names, aliases, links and PID: ``docker inspect NAME`` for each, eight at a time.

    A container that went away meanwhile is left out.
    """
    def one(name: str) -> tuple[str, dict | None]:
        try:
            return name, _trimmed(engine.container(name))
        except Exception:  # noqa: BLE001 - gone meanwhile (someone else's, on a busy engine)
            return name, None

    with ThreadPoolExecutor(max_workers=_PARALLEL) as pool:
        return {name: found for name, found in pool.map(one, names) if found is not None}


def engine_map(engine: Session) -> EngineMap:
    """The whole engine, explained. Similar to ``docker ps``, ``docker network ls``, ``docker inspect`` of each
    running container, and ``ip -o link`` on the host and in every container."""
    facts = engine.snapshot_facts()
    topology = Topology.from_facts(facts)
    found = details(engine, sorted(topology.containers))
    version = str(engine.version().get("Version", ""))
    where = engine_host(engine).where if isinstance(engine, Engine) else ""
    return EngineMap.build(topology, facts["networks"], found, version, where)


_HOST_SCRIPT = r"""
echo '#firewall'; {rules}
echo '#addresses'; ip -o -4 addr show 2>/dev/null
echo '#sockets'; ss -Hltnup 2>/dev/null
echo '#bridge-nf'; cat /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null
echo '#forward'; cat /proc/sys/net/ipv4/ip_forward 2>/dev/null
echo '#proc'
for p in $PIDS; do for f in tcp tcp6 udp udp6 route; do echo /proc/$p/net/$f; done; done |
  xargs -r grep -H '' 2>/dev/null
echo '#end'
"""


def host_text(engine: Session, pids: list[int]) -> str:
    """What :func:`host_view` reads, as the engine's host prints it (sections ``#firewall``, ``#proc``...).

    The containers' files are read by one ``grep -H`` (each line after its file's name): one program for
    hundreds of containers, not one per file."""
    wanted = " ".join(str(pid) for pid in sorted(set(pids)) if pid)
    script = f"PIDS='{wanted}'\n" + _HOST_SCRIPT.replace("{rules}", firewall.READ_COUNTERS)
    return engine.host(["sh", "-c", script], check=False)[1]


def view_of(text: str) -> HostView:
    """The :class:`HostView` of :func:`host_text`'s output (live, or recorded for the tests)."""
    view = parse_host_view(text)
    view.backend = firewall.backend(view.firewall)
    return view


def host_view(engine: Session, pids: list[int]) -> HostView:
    """The engine host's firewall, addresses and listening sockets, and the listening sockets and routes of
    the processes ``pids`` (one per container asked about). Similar to ``sudo iptables-save -c; ip -o -4 addr;
    sudo ss -ltnup`` and ``cat /proc/PID/net/tcp /proc/PID/net/route`` on the engine's host."""
    return view_of(host_text(engine, pids))
