"""`dockerlab doctor`: can the course run on this machine, and if not, what to do.

Each check is a line: engine, socket, images, kernel features, multi-host
nodes. The report is ``ok`` when the course can run; the multi-host check
only warns, since the single-host lessons do not need it.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field

from .. import errors, labels
from ..engine import where
from ..engine.client import Engine, socket_path
from ..engine.images import NODE_IMAGE
from ..text import pad, say
from . import facts
from .cluster import node_rights
from .enginehost import EngineHost, engine_host

KERNEL_FEATURES = {
    "bridge": "ip link add dl-br type bridge",
    "veth": "ip link add dl-v0 type veth peer name dl-v1",
    "macvlan": "ip link add dl-mv link dl-v0 type macvlan mode bridge",
    "vxlan": "ip link add dl-vx type vxlan id 42 dstport 4789",
}
MARKS = {"ok": "✔", "fail": "✘", "warn": "!", "skip": "-"}
VERIFIED_ENGINES = ("20.10", "26.1", "28.5")
"""Engine versions (major.minor) on which the test suite runs every lesson and exercise in CI."""


def verified(version: str) -> bool:
    """Whether the course's claims have been checked in CI on this engine version (``28.5.2+dfsg4`` → 28.5)."""
    return ".".join(version.split("+")[0].split("-")[0].split(".")[:2]) in VERIFIED_ENGINES


def _version_check(version: str) -> Check:
    if verified(version):
        return Check("verified", "ok", say("doctor-verified-ok", version=version))
    return Check("verified", "warn", say("doctor-verified-no", version=version, verified=", ".join(VERIFIED_ENGINES)))


def _host_check(engine: Engine) -> Check:
    host = engine_host(engine)
    how = say("doctor-host-direct") if host.direct else say("doctor-host-helper")
    return Check("host", "ok", say("doctor-host", where=say(f"doctor-host-{host.where}"), how=how))


def _where_check(found: where.Where) -> Check:
    """How the engine was found, as the docker CLI finds it (see :mod:`dockerlab.engine.where`)."""
    detail = say(f"doctor-where-{found.how.lower().replace('_', '-')}", url=found.url, source=found.source)
    if found.problem:
        return Check("where", "warn", detail + "; " + say("doctor-where-unreadable", name=found.problem))
    return Check("where", "ok", detail)


def _kind_check(info: dict, host: EngineHost) -> Check:
    """Rootful on this machine (what the lessons describe), or rootless, or in a VM: and what differs then."""
    if facts.rootless(info):
        return Check("kind", "warn", say("doctor-kind-rootless"))
    if host.where == "elsewhere":
        return Check("kind", "warn", say("doctor-kind-vm"))
    return Check("kind", "ok", say("doctor-kind-rootful"))


def _firewall_check(engine: Engine) -> Check:
    """The engine host's firewall and forwarding, as the lessons need them (:mod:`dockerlab.host.facts`)."""
    try:
        host = facts.read(engine)
    except errors.LabError as error:
        return Check("firewall", "skip", say("doctor-firewall-unread", error=error))
    words = [f"{host.firewall}" + (f" ({host.iptables_variant})" if host.firewall == "iptables" and
                                   host.iptables_variant else ""),
             f"FORWARD {host.forward_policy or '-'}",
             f"bridge-nf-call-iptables={int(host.bridge_nf_call_iptables)}" if host.bridge_netfilter
             else "br_netfilter -", f"ip_forward={int(host.ip_forward)}",
             f"ip6tables {'on' if host.ip6tables else 'off'}",
             f"userland-proxy {'on' if host.userland_proxy else 'off'}"]
    detail = " · ".join(words)
    if host.firewall == "nftables":
        return Check("firewall", "ok", detail + "; " + say("doctor-firewall-nftables"))
    if not host.bridge_traffic_filtered:
        detail += "; " + say("doctor-firewall-bridged-unfiltered")
    return Check("firewall", "ok", detail)


@dataclass
class Check:
    """One line of the report."""

    name: str
    status: str  # ok, fail, warn, skip
    detail: str
    advice: str = ""


@dataclass
class Report:
    """All checks; ``ok`` when the course can run."""

    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.status != "fail" for check in self.checks)

    def __getitem__(self, name: str) -> Check:
        return next(check for check in self.checks if check.name == name)

    def __str__(self) -> str:
        lines = [say("doctor-title")]
        for check in self.checks:
            lines.append(f"  {MARKS[check.status]} {pad(say('doctor-check-' + check.name), 11)} {check.detail}")
        advice = [check.advice for check in self.checks if check.advice and check.status == "fail"]
        lines.append("")
        lines.append(" ".join(advice) if advice else say("doctor-ok"))
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))


def _socket_detail(path: str) -> str:
    import grp  # here, not at the top: a browser's Python (Pyodide) has no grp, and replaying imports this module
    import pwd

    try:
        info = os.stat(path)
    except OSError:
        return say("doctor-socket-missing", path=path)
    try:
        owner = pwd.getpwuid(info.st_uid).pw_name
    except KeyError:
        owner = str(info.st_uid)
    try:
        group = grp.getgrgid(info.st_gid).gr_name
    except KeyError:
        group = str(info.st_gid)
    return say("doctor-socket-detail", path=path, owner=owner, group=group, mode=stat.filemode(info.st_mode))


def _probe_kernel(engine: Engine) -> dict[str, bool]:
    script = "; ".join(f"{command} >/dev/null 2>&1 && echo {name}" for name, command in KERNEL_FEATURES.items())
    _, output = engine.run(labels.BUSYBOX_IMAGE, ["sh", "-c", script], lesson=labels.DOCTOR, network="none",
                           cap_add=["NET_ADMIN"], detach=False, remove=True)
    present = set(output.split())
    return {name: name in present for name in KERNEL_FEATURES}


def diagnose(url: str | None = None) -> Report:
    """Check everything the course needs. Similar to ``docker version`` plus a few probes."""
    report = Report()
    if url is None:
        found = where.find()
        url = found.url
        report.checks.append(_where_check(found))
    path = socket_path(url)
    try:
        engine = Engine.connect(url, timeout=10)
        version = engine.version()
    except errors.LabError as error:
        denied = isinstance(error, errors.SocketPermissionDenied)
        detail = say("doctor-engine-denied" if denied else "doctor-engine-down", url=url)
        report.checks.append(Check("engine", "fail", detail, str(error)))
        if path:
            status = "fail" if denied else "skip"
            report.checks.append(Check("socket", status, _socket_detail(path)))
        return report
    report.checks.append(Check("engine", "ok", say("doctor-engine-ok", version=version.get("Version"),
                                                   api=version.get("ApiVersion"), url=url)))
    if path:
        report.checks.append(Check("socket", "ok", _socket_detail(path)))
    image = engine.image(labels.BUSYBOX_IMAGE)
    if image is None:
        report.checks.append(Check("images", "fail", say("doctor-image-missing", tag=labels.BUSYBOX_IMAGE),
                                   say("doctor-image-advice")))
        return report
    source = (image.get("Config", {}).get("Labels") or {}).get(labels.SOURCE, "?")
    made = say(f"doctor-image-source-{source}") if source in ("build", "pull") else source
    report.checks.append(Check("images", "ok", say("doctor-image-ok", tag=labels.BUSYBOX_IMAGE, source=made)))
    report.checks.append(_version_check(str(version.get("Version", "?"))))
    report.checks.append(_host_check(engine))
    info = engine.info()
    report.checks.append(_kind_check(info, engine_host(engine)))
    report.checks.append(_firewall_check(engine))
    features = _probe_kernel(engine)
    missing = [name for name, present in features.items() if not present]
    report.checks.append(Check(
        "kernel", "fail" if missing else "ok",
        say("doctor-kernel-missing", missing=", ".join(missing)) if missing
        else say("doctor-kernel-ok", features=", ".join(features)),
        say("doctor-kernel-advice") if missing else ""))
    how = node_rights(engine) if features.get("vxlan") else None
    detail = say(f"doctor-nodes-{how}") if how else say("doctor-nodes-no")
    if how and engine.image(NODE_IMAGE) is None:
        detail += say("doctor-nodes-image-missing")
    report.checks.append(Check("multi-host", "ok" if how else "warn", detail))
    return report
