"""Small judges the sheets share. Each raises :class:`NotYet` with a reason key from the catalogue."""
from __future__ import annotations

import ipaddress

from ..task import NotYet, State


def ipv4(state: State, container: str, network: str) -> str | None:
    """``container``'s address on ``network`` (without the prefix), or ``None``."""
    interface = state.running(container).interface_on(network)
    return interface.ipv4.split("/")[0] if interface and interface.ipv4 else None


def on(state: State, container: str, network: str, hint: str = "network") -> None:
    """``container`` runs, in a network stack of its own, and is attached to ``network``."""
    found = state.running(container)
    if found.shares_stack_of:
        raise NotYet("shares-stack", hint="own-stack", name=container, owner=found.shares_stack_of)
    networks = found.networks
    if network not in networks:
        raise NotYet("not-on", hint=hint, name=container, network=network, where=", ".join(networks) or "-")


def off(state: State, container: str, network: str, hint: str) -> None:
    """``container`` is not attached to ``network`` (a constraint the task states)."""
    if network in state.running(container).networks:
        raise NotYet("on-forbidden", hint=hint, name=container, network=network)


def address(state: State, container: str, network: str, wanted: str) -> None:
    """``container`` has exactly ``wanted`` on ``network``."""
    on(state, container, network)
    have = ipv4(state, container, network)
    if have != wanted:
        raise NotYet("address", name=container, network=network, have=have, want=wanted)


def subnet(state: State, network: str, wanted: str, gateway: str | None = None) -> None:
    """``network`` exists with this subnet (and gateway)."""
    found = state.network(network)
    if found.subnet is None or ipaddress.ip_network(found.subnet) != ipaddress.ip_network(wanted):
        raise NotYet("subnet", network=network, have=found.subnet, want=wanted)
    if gateway and found.gateway != gateway:
        raise NotYet("gateway", network=network, have=found.gateway, want=gateway)


def mode(state: State, container: str, wanted: str, hint: str) -> None:
    have = state.running(container).network_mode
    if have != wanted:
        raise NotYet("mode", hint=hint, name=container, have=have, want=wanted)


def shared_networks(state: State, first: str, second: str) -> list[str]:
    """The networks two running containers share (each one's own stack, or the one it shares)."""
    one, two = (state.topology.stack_of(name) for name in (state.running(first).name, state.running(second).name))
    return sorted(set(one.networks) & set(two.networks) - {"none", "host"})
