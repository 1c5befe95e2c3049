"""What the engine's host does with forwarded packets: the facts lessons 08, 09, 12 and 13 depend on.

Similar to running, on the engine's host (on Docker Desktop, its VM)::

    sysctl net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables
    iptables -S FORWARD | head -1; ip6tables -S FORWARD | head -1; ip6tables -S | grep -c DOCKER
    tr '\\0' ' ' < /proc/$(pidof dockerd)/cmdline; cat /etc/docker/daemon.json

and ``docker info`` (rootless, Docker Desktop, the configured address pools). One small reader behind
:func:`read`, kept deliberately minimal: everything it reports is read, nothing is guessed from the
engine's version.
"""
from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import firewall

if TYPE_CHECKING:
    from .session import Session

# Each fact on a line of its own, ``name=value``; the daemon's command line and config file last.
_READ = r"""
for key in net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables; do
  path=/proc/sys/$(echo $key | tr . /)
  [ -r $path ] && echo "$key=$(cat $path)" || echo "$key=absent"
done
echo "iptables-forward=$(iptables -S FORWARD 2>/dev/null | head -n 1)"
echo "iptables-input=$(iptables -S INPUT 2>/dev/null | head -n 1)"
echo "ip6tables-forward=$(ip6tables -S FORWARD 2>/dev/null | head -n 1)"
echo "ip6tables-docker=$(ip6tables -S 2>/dev/null | grep -c -- '-N DOCKER')"
me=$(stat -L -c %i /proc/self/ns/net)
for p in $(pidof dockerd); do
  [ "$(stat -L -c %i /proc/$p/ns/net 2>/dev/null)" = "$me" ] && echo "dockerd=$(tr '\0' ' ' < /proc/$p/cmdline)"
done
"""
DEFAULT_CONFIG_FILE = "/etc/docker/daemon.json"


@dataclass(frozen=True)
class NetFacts:
    """The engine host's forwarding facts, each ``None`` where it could not be read.

    ``bridge_nf_call_iptables``: frames crossing a bridge pass iptables (``None``: the br_netfilter
    module is not loaded, so they do not). ``forward_policy``: the policy of iptables' ``FORWARD``
    chain (``DROP`` or ``ACCEPT``), ``input_policy`` that of ``INPUT``. ``backend``: ``iptables``,
    ``nftables`` or ``none``.
    ``ip6tables``: Docker writes IPv6 rules (its chains exist in ip6tables). ``raw_rules_off``: the daemon
    runs with ``DOCKER_INSECURE_NO_IPTABLES_RAW=1`` (``docker info`` warns of it). ``settings``: the
    daemon's own settings, from its command line and its ``daemon.json`` (flags win).
    """

    ip_forward: bool | None = None
    bridge_nf_call_iptables: bool | None = None
    bridge_nf_call_ip6tables: bool | None = None
    forward_policy: str | None = None
    input_policy: str | None = None
    ip6_forward_policy: str | None = None
    ip6tables: bool = False
    backend: str = "iptables"
    rootless: bool = False
    desktop: bool = False
    raw_rules_off: bool = False
    settings: dict = field(default_factory=dict)

    @property
    def userland_proxy(self) -> bool:
        """Whether published ports get a ``docker-proxy`` (``"userland-proxy"``, on unless set false)."""
        return _truthy(self.settings.get("userland-proxy", True))

    @property
    def bridged_frames_filtered(self) -> bool:
        """Frames between two ports of one bridge pass the host's iptables ``FORWARD`` chain."""
        return bool(self.bridge_nf_call_iptables)


def _truthy(value: object) -> bool:
    return str(value).lower() not in ("false", "0", "no", "off")


def _sysctl(value: str) -> bool | None:
    return None if value in ("", "absent") else value.strip() == "1"


def _policy(line: str) -> str | None:
    words = line.split()
    return words[2] if len(words) == 3 and words[0] == "-P" else None


def parse_flags(command_line: str) -> dict:
    """The settings named on dockerd's command line, as ``daemon.json`` names them.

    ``dockerd --userland-proxy=false --bip 10.99.0.1/24`` -> ``{"userland-proxy": "false", "bip": "10.99.0.1/24"}``;
    a flag given without a value is ``"true"``; repeated flags (``--default-address-pool``) are listed.
    """
    words = shlex.split(command_line)
    found: dict = {}
    index = 1
    while index < len(words):
        word = words[index]
        index += 1
        if not word.startswith("--"):
            continue
        name, has_value, value = word[2:].partition("=")
        if not has_value:
            following = words[index] if index < len(words) else ""
            if following and not following.startswith("-"):
                value, index = following, index + 1
            else:
                value = "true"
        if name in found:
            found[name] = [*(found[name] if isinstance(found[name], list) else [found[name]]), value]
        else:
            found[name] = value
    return found


def parse(report: str, config_text: str = "", info: dict | None = None, saved: str = "") -> NetFacts:
    """The facts from what :data:`_READ` printed, the daemon's config file and ``docker info``."""
    values = dict(line.split("=", 1) for line in report.splitlines() if "=" in line)
    settings: dict = {}
    try:
        loaded = json.loads(config_text) if config_text.strip() else {}
        settings.update(loaded if isinstance(loaded, dict) else {})
    except ValueError:
        pass
    settings.update(parse_flags(values.get("dockerd", "")))
    info = info or {}
    security = " ".join(info.get("SecurityOptions") or [])
    return NetFacts(
        ip_forward=_sysctl(values.get("net.ipv4.ip_forward", "")),
        bridge_nf_call_iptables=_sysctl(values.get("net.bridge.bridge-nf-call-iptables", "")),
        bridge_nf_call_ip6tables=_sysctl(values.get("net.bridge.bridge-nf-call-ip6tables", "")),
        forward_policy=_policy(values.get("iptables-forward", "")),
        input_policy=_policy(values.get("iptables-input", "")),
        ip6_forward_policy=_policy(values.get("ip6tables-forward", "")),
        ip6tables=values.get("ip6tables-docker", "0").strip() not in ("", "0"),
        backend=firewall.backend(saved) if saved else "iptables",
        rootless="rootless" in security,
        desktop="Docker Desktop" in str(info.get("OperatingSystem", "")),
        raw_rules_off=any("DOCKER_INSECURE_NO_IPTABLES_RAW" in str(w) for w in info.get("Warnings") or []),
        settings=settings,
    )


def read(engine: Session) -> NetFacts:
    """The facts, read now on ``engine``'s host. Similar to the commands in this module's docstring."""
    _, report = engine.host(["sh", "-c", _READ], check=False)
    flags = parse_flags(dict(line.split("=", 1) for line in report.splitlines() if "=" in line).get("dockerd", ""))
    config_file = str(flags.get("config-file", DEFAULT_CONFIG_FILE))
    code, config_text = engine.host(["cat", config_file], check=False)
    return parse(report, config_text if code == 0 else "", engine.info(), firewall.saved(engine))
