"""`dockerlab doctor --report`: one file to attach to an issue, with the engine, its settings and its host.

It holds what decides how Docker's networking behaves on the learner's machine — the engine's version and
API, how the course found it, its settings (only those of networking and the firewall), the engine host's
state (:mod:`dockerlab.host.facts`), where that host is, the operating systems and kernel, the course's
version — and, when a lesson's claim failed, what the lesson expected and what the engine did.

Nothing private goes in: no host or user names, no paths of a home folder, no IP address outside
Docker's own networks (its bridges' subnets, its address pools) and the course's documentation ranges,
and no name of a container or network the course did not make (those are counted, not named). Every line,
the evidence included, passes :func:`scrub` before it is written.

    from dockerlab.host import report
    path = report.write(evidence=["expected: the counter rose by 1", "seen: it stayed 0"])
"""
from __future__ import annotations

import contextlib
import datetime
import getpass
import ipaddress
import json
import os
import platform
import re
import socket
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from .. import errors, labels
from ..engine import where
from ..engine.client import Engine
from ..version import __version__
from . import facts
from .enginehost import engine_host

FILE_NAME = "dockerlab-report.txt"
SETTINGS = ("bip", "fixed-cidr", "fixed-cidr-v6", "default-address-pools", "ipv6", "ip6tables", "iptables",
            "ip-forward", "ip-masq", "icc", "userland-proxy", "firewall-backend", "bridge-accept-fwmark",
            "default-network-opts", "mtu", "live-restore", "experimental", "exec-opts", "storage-driver",
            "userns-remap", "host-gateway-ip", "default-gateway")
"""The daemon settings a report may show (from daemon.json and dockerd's arguments): networking and the
firewall, nothing that names a registry, a proxy, a DNS server or a path."""
KEPT_NETWORKS = [ipaddress.ip_network(net) for net in (
    "127.0.0.0/8", "0.0.0.0/32", "203.0.113.0/24", "198.51.100.0/24", "::1/128", "::/128", "fe80::/10")]
"""Addresses that are never private: loopback, the unspecified address, the documentation ranges the course
uses for its stand-in outside world, IPv6 link-local."""
_IPV4 = re.compile(r"(?<![\w.:])(\d{1,3}(?:\.\d{1,3}){3})(?:/\d{1,2})?(?![\w.])")
_IPV6 = re.compile(r"(?<![\w:.])([0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7})(?:/\d{1,3})?(?![\w:])")
ADDRESS = "<address>"
NAME = "<name>"


def scrub(text: str, *, docker_networks: Iterable[str] = (), private_words: Iterable[str] = ()) -> str:
    """``text`` with every private word replaced by ``<name>`` and every address outside Docker's networks
    (``docker_networks``, as CIDR) and :data:`KEPT_NETWORKS` by ``<address>``."""
    kept = list(KEPT_NETWORKS)
    for network in docker_networks:
        try:
            kept.append(ipaddress.ip_network(network, strict=False))
        except ValueError:
            continue

    def address(found: re.Match) -> str:
        try:
            value = ipaddress.ip_address(found.group(1))
        except ValueError:
            return found.group(0)
        return found.group(0) if any(value in network for network in kept if network.version == value.version) \
            else ADDRESS

    for word in sorted({w for w in private_words if w and w != "root"}, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", NAME, text)
    return _IPV6.sub(address, _IPV4.sub(address, text))


def _private_words(info: dict, theirs: Sequence[str]) -> list[str]:
    """Names that identify the learner or their machines: this machine's, the engine host's, the user's, the
    home folder, and the names of the learner's own containers and networks."""
    words = [socket.gethostname(), socket.getfqdn(), str(info.get("Name") or ""), str(Path.home())]
    with contextlib.suppress(KeyError, OSError):
        words.append(getpass.getuser())
    return [*words, *theirs]


def _course_version() -> str:
    folder = Path(__file__).resolve().parents[2]
    try:
        commit = subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"dockerlab {__version__}" + (f" (commit {commit})" if commit else "")


def _settings(host_text: str) -> dict[str, object]:
    """The networking settings dockerd runs with: its daemon.json, then its arguments (only :data:`SETTINGS`)."""
    parts = facts.sections(host_text)
    try:
        config = json.loads(parts.get("daemon.json") or "{}")
    except ValueError:
        config = {}
    found = {key: value for key, value in (config if isinstance(config, dict) else {}).items() if key in SETTINGS}
    arguments = [line for line in parts.get("dockerd", "").splitlines() if line]
    for index, argument in enumerate(arguments):
        name, equals, value = argument.removeprefix("--").partition("=")
        if argument.startswith("--") and name in SETTINGS:
            following = arguments[index + 1] if index + 1 < len(arguments) else ""
            found[name] = value if equals else (following if following and not following.startswith("-") else True)
    return found


def _networks(engine: Engine) -> tuple[list[str], list[str], list[str]]:
    """(lines about the networks, their subnets, the names of the learner's own ones)."""
    lines, subnets, theirs = [], [], []
    for network in engine.networks():
        name = network.get("Name", "")
        configs = (network.get("IPAM") or {}).get("Config") or []
        nets = [str(c.get("Subnet")) for c in configs if c.get("Subnet")]
        subnets += nets
        course = labels.is_managed(network.get("Labels"))
        if not course and name not in ("bridge", "host", "none"):
            theirs.append(name)
            name = "(yours)"
        elif course:
            name = f"{name} (the course's)"
        gateways = [str(c.get("Gateway")) for c in configs if c.get("Gateway")]
        lines.append(f"  {name}: driver {network.get('Driver')}, subnets {', '.join(nets) or '-'}"
                     + (f", gateway {', '.join(gateways)}" if gateways else "")
                     + (", internal" if network.get("Internal") else "")
                     + (", IPv6" if network.get("EnableIPv6") else ""))
    return lines, subnets, theirs


def _containers(engine: Engine) -> tuple[list[str], list[str]]:
    """(lines counting the containers, the names of the learner's own ones)."""
    listed = engine.containers()
    theirs = [labels.container_name(c) for c in listed if not labels.is_managed(labels.of(c))]
    on_docker0 = [c for c in listed if not labels.is_managed(labels.of(c))
                  and "bridge" in ((c.get("NetworkSettings") or {}).get("Networks") or {})]
    return [f"  the course's: {len(listed) - len(theirs)}; yours: {len(theirs)} "
            f"({len(on_docker0)} of them on the default bridge)"], theirs


def gather(engine: Engine | None, evidence: Sequence[str] = ()) -> str:
    """The report's text, scrubbed (see the module's docstring); without an engine, what can be known."""
    found = where.find()
    lines = ["# dockerlab report", f"course: {_course_version()}",
             f"written: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
             f"this machine: {platform.system()} {platform.release()} ({platform.machine()}), "
             f"Python {platform.python_version()}",
             f"engine found by: {found.how} ({found.url.split(':', 1)[0]})" + (
                 f"; a context that cannot be read was named ({found.problem})" if found.problem else "")]
    info: dict = {}
    subnets: list[str] = []
    theirs: list[str] = []
    settings: dict[str, object] = {}
    try:
        engine = engine or Engine.connect(timeout=10)
        info, version = engine.info(), engine.version()
        lines += ["", "## engine",
                  f"version: {version.get('Version')}, API {version.get('ApiVersion')} "
                  f"(oldest {version.get('MinAPIVersion')})",
                  "components: " + ", ".join(f"{c.get('Name')} {c.get('Version')}"
                                             for c in version.get("Components") or []),
                  f"operating system: {info.get('OperatingSystem')} ({info.get('OSType')}, "
                  f"{info.get('Architecture')})",
                  f"kernel: {info.get('KernelVersion')}",
                  f"storage: {info.get('Driver')}; cgroups: {info.get('CgroupDriver')} v{info.get('CgroupVersion')}",
                  "security options: " + ", ".join(info.get("SecurityOptions") or []),
                  f"firewall backend (docker info): {(info.get('FirewallBackend') or {}).get('Driver', '-')}",
                  f"swarm: {(info.get('Swarm') or {}).get('LocalNodeState', '-')}"]
        network_lines, subnets, their_networks = _networks(engine)
        container_lines, their_containers = _containers(engine)
        theirs = [*their_networks, *their_containers]
        lines += ["", "## networks", *network_lines, "", "## containers", *container_lines]
        host = engine_host(engine)
        lines += ["", "## the engine's host",
                  f"where: {host.where} (host views {'direct' if host.direct else 'through the helper'})"]
        host_text = facts.read_text(engine)
        settings = _settings(host_text)
        lines += [f"{key}: {value}" for key, value in facts.parse(host_text, info).as_dict().items()]
        lines += ["", "## settings (daemon.json and dockerd's arguments; networking only)"]
        lines += [f"{key}: {json.dumps(value)}" for key, value in sorted(settings.items())] or ["defaults"]
    except errors.LabError as error:
        lines += ["", f"could not be read: {error}"]
    if evidence:
        lines += ["", "## what the lesson expected, and what the engine did", *evidence]
    return scrub("\n".join(lines) + "\n", docker_networks=[*subnets, *_configured_networks(settings)],
                 private_words=_private_words(info, theirs))


def _configured_networks(settings: dict[str, object]) -> list[str]:
    """The subnets the settings give Docker: ``bip``, ``fixed-cidr(-v6)``, the bases of its address pools."""
    found = [str(settings[key]) for key in ("bip", "fixed-cidr", "fixed-cidr-v6") if settings.get(key)]
    pools = settings.get("default-address-pools")
    if isinstance(pools, list):
        found += [str(pool.get("base")) for pool in pools if isinstance(pool, dict)]
    return found


def write(evidence: Sequence[str] = (), path: str | os.PathLike | None = None, engine: Engine | None = None) -> Path:
    """Write the report (with ``evidence`` lines, e.g. a failed claim's expected and seen values) and return
    its path: ``path``, else ``dockerlab-report.txt`` in the working folder. Similar to nothing in Docker:
    ``docker version; docker info; sysctl ...; iptables -S`` with the private parts taken out."""
    target = Path(path) if path else Path.cwd() / FILE_NAME
    target.write_text(gather(engine, evidence), encoding="utf-8")
    return target
