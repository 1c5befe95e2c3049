"""Read network links the way the kernel sees them, from sysfs.

Similar to ``ip -o link`` run on the host and inside each container. For
every link: its name, ``ifindex``, ``iflink`` (the ifindex of the other end
of a veth, or of a macvlan's parent), MAC, kind and bridge (``master``).
Pairing veths later uses these numbers only, never names or order.

A container's links are read through ``/proc/PID/root/sys/class/net``: the
container's own sysfs, mounted inside its network namespace. That needs
root on the engine's own machine; :mod:`dockerlab.host.probe` falls back to a
helper container elsewhere.
"""
from __future__ import annotations

import fcntl
import ipaddress
import os
import re
import socket
import struct
from pathlib import Path

HOST_SYSFS = Path("/sys/class/net")
_CONTAINER_ID = re.compile(r"[0-9a-f]{64}")


def _read(path: Path | str) -> str:
    """A sysfs file's text, stripped ("" if it cannot be read); plain ``os`` calls, as a snapshot reads a thousand."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return ""
    try:
        return os.read(descriptor, 65536).decode(errors="replace").strip()
    except OSError:
        return ""
    finally:
        os.close(descriptor)


def classify(*, devtype: str, link_type: str, has_lower: bool, has_device: bool, ifindex: int, iflink: int) -> str:
    """``bridge``, ``veth``, ``macvlan``, ``vxlan``, ``loopback`` or ``other``, from sysfs facts alone."""
    if devtype in ("bridge", "vxlan", "macvlan"):
        return devtype
    if link_type == "772":
        return "loopback"
    if has_lower:
        return "macvlan"  # a link stacked on a parent (ipvlan does not exist on these kernels)
    if iflink != ifindex and not has_device:
        return "veth"  # its other end is another link; a physical NIC has a device instead
    return "other"


def read_link(device: str) -> dict | None:
    """One link from its sysfs folder ``device`` (None if it went away meanwhile)."""
    entries = _listdir(device)
    try:
        ifindex = int(_read(f"{device}/ifindex"))
        iflink = int(_read(f"{device}/iflink") or ifindex)
    except ValueError:
        return None
    lower = next((entry[len("lower_"):] for entry in entries if entry.startswith("lower_")), None)
    master = None
    if "master" in entries:
        try:
            master = os.path.basename(os.readlink(f"{device}/master"))
        except OSError:
            master = None
    uevent = _read(f"{device}/uevent")
    devtype = next((line.split("=", 1)[1] for line in uevent.splitlines() if line.startswith("DEVTYPE=")), "")
    kind = classify(devtype=devtype, link_type=_read(f"{device}/type"), has_lower=lower is not None,
                    has_device="device" in entries, ifindex=ifindex, iflink=iflink)
    return {"name": os.path.basename(device), "ifindex": ifindex, "iflink": iflink, "mac": _read(f"{device}/address"),
            "kind": kind, "master": master, "parent": lower, "mtu": int(_read(f"{device}/mtu") or 0)}


def read_links(sysfs: Path | str = HOST_SYSFS) -> list[dict]:
    """Every link in the namespace whose ``/sys/class/net`` is ``sysfs``."""
    found = (read_link(f"{sysfs}/{name}") for name in sorted(_listdir(sysfs)))
    return [link for link in found if link is not None]


_SIOCGIFADDR, _SIOCGIFNETMASK = 0x8915, 0x891B


def ipv4_address(name: str) -> str | None:
    """A link's (first) IPv4 address in this process's namespace, as CIDR, or ``None`` if it has none.

    Similar to ``ip -o -4 addr show dev NAME``: a bridge's address is the host's own on that network (read
    with the ``SIOCGIFADDR`` and ``SIOCGIFNETMASK`` ioctls, so no ``ip`` command is needed).
    """
    request = struct.pack("256s", name.encode()[:15])
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            address = socket.inet_ntoa(fcntl.ioctl(sock.fileno(), _SIOCGIFADDR, request)[20:24])
            mask = socket.inet_ntoa(fcntl.ioctl(sock.fileno(), _SIOCGIFNETMASK, request)[20:24])
        except OSError:  # no IPv4 address (EADDRNOTAVAIL), or the link went away meanwhile
            return None
    return f"{address}/{ipaddress.IPv4Network(f'0.0.0.0/{mask}').prefixlen}"


def bridge_addresses(links: list[dict]) -> dict[str, str]:
    """Each bridge among ``links`` (read in this namespace) that has an IPv4 address: its name -> CIDR."""
    found = {link["name"]: ipv4_address(link["name"]) for link in links if link["kind"] == "bridge"}
    return {name: address for name, address in found.items() if address}


def _listdir(path: Path | str) -> list[str]:
    try:
        return os.listdir(path)
    except OSError:
        return []


def container_pids(proc: Path = Path("/proc")) -> dict[str, int]:
    """Container ID -> one host PID inside it, found from each process's cgroup (no engine call).

    The innermost ID of a cgroup path counts: an engine that itself runs in a container (a workshop
    learner's, a lab node's) puts its containers below its own, ``/docker/OUTER/docker/INNER``.
    """
    found: dict[str, int] = {}
    for entry in _listdir(proc):
        if not entry.isdigit():
            continue
        paths = [_CONTAINER_ID.findall(line) for line in _read(f"{proc}/{entry}/cgroup").splitlines()]
        ids = max(paths, key=len, default=[])
        if ids:
            pid = int(entry)
            if pid < found.get(ids[-1], 1 << 62):
                found[ids[-1]] = pid
    return found


def default_route_interface(proc: Path = Path("/proc")) -> str | None:
    """The host's uplink: the interface of the IPv4 default route (``ip route show default``)."""
    for line in _read(proc / "net" / "route").splitlines()[1:]:
        fields = line.split()
        if len(fields) > 2 and fields[1] == "00000000":
            return fields[0]
    return None


def netns_id(pid: int | str = "self") -> int | None:
    """The inode that identifies a process's network namespace (equal inode = same stack)."""
    try:
        return os.stat(f"/proc/{pid}/ns/net").st_ino
    except OSError:
        return None


def readable(pid: int) -> bool:
    """Whether this process may read ``pid``'s namespace and sysfs (root on the same machine)."""
    return os.access(f"/proc/{pid}/root/sys/class/net", os.R_OK | os.X_OK) and netns_id(pid) is not None
