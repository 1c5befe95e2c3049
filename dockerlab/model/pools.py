"""The address pools an engine takes new networks' ranges from (``default-address-pools``).

``docker info`` lists them when the daemon is configured with its own (``"default-address-pools"`` in
``daemon.json``, or ``dockerd --default-address-pool base=...,size=...``: moby v20.10.24
``daemon/info.go`` ``fillDefaultAddressPools``); when it lists none, the engine uses Docker's built-in
ones, the same from 20.10 to 29 (``localScopeDefaultNetworks`` in moby's ``libnetwork/ipamutils``).
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass

BUILT_IN = (("172.17.0.0/16", 16), ("172.18.0.0/16", 16), ("172.19.0.0/16", 16), ("172.20.0.0/14", 16),
            ("172.24.0.0/14", 16), ("172.28.0.0/14", 16), ("192.168.0.0/16", 20))
"""Docker's own default pools: 172.17-31.0.0/16, then 192.168.0.0/16 cut into /20s."""


@dataclass(frozen=True)
class Pool:
    """One pool: ranges of ``/size`` cut from ``base``."""

    base: ipaddress.IPv4Network | ipaddress.IPv6Network
    size: int

    def __str__(self) -> str:
        return f"{self.base} in /{self.size}s"

    def holds(self, subnet: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
        """Whether ``subnet`` is one of the ranges this pool hands out."""
        if subnet.version != self.base.version or subnet.prefixlen != self.size:
            return False
        return subnet.network_address in self.base and subnet.broadcast_address in self.base


def from_info(info: dict) -> tuple[list[Pool], bool]:
    """The engine's pools and whether they are its own configuration (``docker info``) or the built-in ones."""
    listed = info.get("DefaultAddressPools") or []
    if listed:
        return [Pool(ipaddress.ip_network(pool["Base"]), int(pool["Size"])) for pool in listed], True
    return [Pool(ipaddress.ip_network(base), size) for base, size in BUILT_IN], False
