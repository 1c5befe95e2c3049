"""The engine host's state that decides what a lesson's claim must say: read once, typed.

What a packet meets on its way through the engine's host depends on that host's state, not only on the
Docker version: whether frames crossing a bridge pass iptables (``br_netfilter`` and its sysctl; from
27.3 dockerd loads the module only on demand), whether the host forwards, the ``FORWARD`` policy,
which firewall backend Docker writes to (iptables, or 29's nftables, which has no ``DOCKER-USER``),
whether it writes IPv6 rules, and whether published ports have a ``docker-proxy``.

    from dockerlab.host import facts
    host = facts.read(engine)          # one look at the engine's host (through the helper where needed)
    host.bridge_traffic_filtered       # -> frames between two containers of one bridge meet FORWARD
    host.forward_policy                # -> "DROP"
    host.firewall                      # -> "iptables" | "nftables" | "none"
    host.docker_user                   # -> a rule in DOCKER-USER runs before Docker's own
    host.visitor_address_kept          # -> a published port's container sees who came (not rootless)
    host.as_dict()                     # -> every fact, for a report

Similar to, on the engine's host::

    ls /proc/sys/net/bridge; sysctl net.bridge.bridge-nf-call-iptables net.ipv4.ip_forward
    sudo iptables -S FORWARD | head -1; sudo iptables-save; sudo ip6tables-save; sudo nft list tables
    docker info --format '{{.FirewallBackend.Driver}}'; ps -o args= -C dockerd; cat /etc/docker/daemon.json
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

from ..engine.client import Engine
from . import firewall, hostshell

_SECTION = "@@dockerlab "
_JUMP_TO_DOCKER_USER = re.compile(r"^(\[\d+:\d+\] )?-A FORWARD .*-j DOCKER-USER\b", re.MULTILINE)
SCRIPT = f"""s() {{ echo "{_SECTION}$1"; }}
s bridge-sysctls; [ -d /proc/sys/net/bridge ] && echo yes || echo no
s bridge-nf-call-iptables; cat /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null
s bridge-nf-call-ip6tables; cat /proc/sys/net/bridge/bridge-nf-call-ip6tables 2>/dev/null
s ip_forward; cat /proc/sys/net/ipv4/ip_forward 2>/dev/null
s ipv6-forwarding; cat /proc/sys/net/ipv6/conf/all/forwarding 2>/dev/null
s iptables-version; iptables -V 2>/dev/null
s iptables; {firewall.READ_COUNTERS}
s ip6tables; ip6tables-save 2>/dev/null
{hostshell.FIND_OWN_DOCKERD}
if [ -n "$own" ]; then
  s dockerd; tr '\\0' '\\n' < /proc/$own/cmdline
  config=$(tr '\\0' '\\n' < /proc/$own/cmdline | sed -n '/^--config-file=/s///p; /^--config-file$/{{n;p}}')
  s daemon.json; cat "/proc/$own/root${{config:-/etc/docker/daemon.json}}" 2>/dev/null
fi
"""
"""One shell script run on the engine's host (as root): each fact under its own ``@@dockerlab NAME`` line."""


@dataclass(frozen=True)
class HostFacts:
    """The engine host's state, as the lessons need it.

    ``bridge_netfilter``: ``br_netfilter`` is there (loaded or built into the kernel: ``/proc/sys/net/bridge``
    exists). ``bridge_nf_call_iptables`` / ``_ip6tables``: frames crossing a bridge are handed to
    iptables / ip6tables (False without ``br_netfilter``). ``ip_forward`` / ``ipv6_forwarding``: the host
    routes between its interfaces. ``forward_policy``: the iptables ``filter`` table's ``FORWARD`` policy
    (``ACCEPT``, ``DROP``; ``""`` when iptables shows no filter table). ``firewall``: where Docker writes
    its rules, ``iptables``, ``nftables`` (Docker 29's optional backend) or ``none`` (``--iptables=false``).
    ``firewalld``: the engine says it works with firewalld. ``iptables_variant``: ``nf_tables`` or
    ``legacy`` (what ``iptables -V`` says; ``""`` unknown). ``ip6tables``: Docker writes IPv6 firewall rules.
    ``userland_proxy``: a published port gets a ``docker-proxy`` process (dockerd's ``userland-proxy``).
    ``docker_user``: a ``DOCKER-USER`` chain that ``FORWARD`` jumps to, whose rules run before Docker's.
    ``rootless``: the engine is rootless Docker (``docker info`` ``SecurityOptions`` holds ``name=rootless``):
    its bridges and rules are in RootlessKit's namespace, and published ports are RootlessKit's sockets.
    """

    bridge_netfilter: bool
    bridge_nf_call_iptables: bool
    bridge_nf_call_ip6tables: bool
    ip_forward: bool
    ipv6_forwarding: bool
    forward_policy: str
    firewall: str
    firewalld: bool
    iptables_variant: str
    ip6tables: bool
    userland_proxy: bool
    docker_user: bool
    rootless: bool = False

    @property
    def bridge_traffic_filtered(self) -> bool:
        """Frames between two ports of one bridge pass the host's iptables ``FORWARD`` chain (and its policy)."""
        return self.bridge_netfilter and self.bridge_nf_call_iptables

    @property
    def visitor_address_kept(self) -> bool:
        """A container behind a published port sees a remote visitor's own address (DNAT keeps it); rootless
        Docker's builtin port driver does not (RootlessKit ``docs/port.md``; seen here: 203.0.113.10 arrived
        as 172.17.0.1)."""
        return not self.rootless

    @property
    def forward_drops(self) -> bool:
        """Routed packets that no rule accepts are dropped (``-P FORWARD DROP``)."""
        return self.forward_policy == "DROP"

    def as_dict(self) -> dict[str, object]:
        """Every fact by name, the derived ones too (for ``dockerlab doctor --report``)."""
        return {**asdict(self), "bridge_traffic_filtered": self.bridge_traffic_filtered,
                "visitor_address_kept": self.visitor_address_kept}


def sections(text: str) -> dict[str, str]:
    """The script's output split by its ``@@dockerlab NAME`` lines: name -> text."""
    found: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith(_SECTION):
            current = line[len(_SECTION):].strip()
            found[current] = []
        elif current is not None:
            found[current].append(line)
    return {name: "\n".join(lines).strip() for name, lines in found.items()}


def _flag(text: str) -> bool:
    return text.strip() == "1"


def _forward_policy(iptables_save: str) -> str:
    table = ""
    for line in iptables_save.splitlines():
        if line.startswith("*"):
            table = line[1:].strip()
        elif table == "filter" and (found := re.match(r"^:FORWARD (\S+)", line)):
            return found.group(1)
    return ""


def _option(arguments: list[str], name: str) -> str | None:
    """The value of ``--name=V`` or ``--name V`` in dockerd's arguments; ``--name`` alone is ``true``."""
    for index, argument in enumerate(arguments):
        if argument == f"--{name}":
            following = arguments[index + 1] if index + 1 < len(arguments) else ""
            return following if following in ("true", "false") else "true"
        if argument.startswith(f"--{name}="):
            return argument.split("=", 1)[1]
    return None


def _setting(arguments: list[str], config: dict, name: str, default: bool) -> bool:
    value = _option(arguments, name)
    if value is None:
        value = config.get(name, default)
    return str(value).lower() not in ("false", "0")


def _daemon_json(text: str) -> dict:
    try:
        found = json.loads(text) if text.strip() else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def rootless(info: dict) -> bool:
    """Whether the engine is rootless Docker (``docker info``: ``SecurityOptions`` holds ``name=rootless``)."""
    return any("name=rootless" in str(option).split(",") for option in info.get("SecurityOptions") or [])


def parse(text: str, info: dict | None = None) -> HostFacts:
    """The facts from :data:`SCRIPT`'s output, and the engine's ``docker info`` (its ``FirewallBackend``, 28+)."""
    found = sections(text)
    bridge_netfilter = found.get("bridge-sysctls") == "yes"
    saved = found.get("iptables", "")
    iptables_save = saved.partition("#nft")[0]
    arguments = [line for line in found.get("dockerd", "").splitlines() if line]
    config = _daemon_json(found.get("daemon.json", ""))
    driver = str(((info or {}).get("FirewallBackend") or {}).get("Driver") or "")
    backend = firewall.backend(saved)
    if driver.startswith("nftables"):
        backend = "nftables"
    variant = re.search(r"\((nf_tables|legacy)\)", found.get("iptables-version", ""))
    ip6_save = found.get("ip6tables", "")
    ip6tables = (bool(re.search(r"^:DOCKER(?!-USER\b)", ip6_save, re.MULTILINE)) if backend == "iptables"
                 else bool(re.search(r"^table ip6 docker-bridges\b", saved, re.MULTILINE)))
    return HostFacts(
        bridge_netfilter=bridge_netfilter,
        bridge_nf_call_iptables=bridge_netfilter and _flag(found.get("bridge-nf-call-iptables", "")),
        bridge_nf_call_ip6tables=bridge_netfilter and _flag(found.get("bridge-nf-call-ip6tables", "")),
        ip_forward=_flag(found.get("ip_forward", "")),
        ipv6_forwarding=_flag(found.get("ipv6-forwarding", "")),
        forward_policy=_forward_policy(iptables_save),
        firewall=backend,
        firewalld=driver.endswith("+firewalld"),
        iptables_variant=variant.group(1) if variant else "",
        ip6tables=ip6tables,
        userland_proxy=_setting(arguments, config, "userland-proxy", default=True),
        docker_user=backend == "iptables" and bool(_JUMP_TO_DOCKER_USER.search(iptables_save)),
        rootless=rootless(info or {}),
    )


def read_text(engine: Engine) -> str:
    """What :data:`SCRIPT` prints on ``engine``'s host, now (for :func:`parse` and :func:`sections`)."""
    return hostshell.run(engine, ["sh", "-c", SCRIPT], check=False)[1]


def read(engine: Engine) -> HostFacts:
    """The facts on ``engine``'s host, now: one host command (as ``sudo`` there) and ``docker info``."""
    return parse(read_text(engine), engine.info())
