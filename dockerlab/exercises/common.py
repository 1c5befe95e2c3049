"""Small judges the sheets share."""
from __future__ import annotations

import ipaddress

from ..checks import NotYet, State


def on(state: State, container: str, network: str, hint: str = "network") -> None:
    """``container`` runs and is attached to ``network``."""
    if network not in state.running(container).networks:
        where = ", ".join(state.running(container).networks) or "no network"
        raise NotYet(f"{container} is on {where}, not on {network}", hint)


def address(state: State, container: str, network: str, wanted: str) -> None:
    """``container`` has exactly ``wanted`` on ``network``."""
    on(state, container, network)
    interface = state.running(container).interface_on(network)
    have = interface.ipv4.split("/")[0] if interface and interface.ipv4 else None
    if have != wanted:
        raise NotYet(f"{container} has {have} on {network}, not {wanted}", "address")


def subnet(state: State, network: str, wanted: str, gateway: str | None = None) -> None:
    """``network`` exists with this subnet (and gateway)."""
    found = state.network(network)
    if found.subnet is None or ipaddress.ip_network(found.subnet) != ipaddress.ip_network(wanted):
        raise NotYet(f"{network} has the subnet {found.subnet}, not {wanted}", "subnet")
    if gateway and found.gateway != gateway:
        raise NotYet(f"{network} has the gateway {found.gateway}, not {gateway}", "gateway")


def mode(state: State, container: str, wanted: str, hint: str) -> None:
    have = state.running(container).network_mode
    if have != wanted:
        raise NotYet(f"{container} runs with --network {have}, not {wanted}", hint)
