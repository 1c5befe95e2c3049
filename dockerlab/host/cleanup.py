"""Find and remove what the course made, and only that (`dockerlab reset`).

The course's objects are containers, networks and volumes labelled
``io.dockerlab.managed=true`` and host links whose ``ifalias`` starts with
``dockerlab:``, firewall rules whose comment starts with ``dockerlab:``, and the network namespaces
made by hand in lesson 12 (:mod:`dockerlab.host.netns`). Nothing else is ever listed or removed.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import firewall, hostlinks, netns

if TYPE_CHECKING:
    from .session import Session


def find(engine: Session, lesson: str | None = None) -> dict[str, list[str]]:
    """The course's objects (of one lesson, if given), by kind."""
    found = engine.labelled(lesson)
    links = hostlinks.labelled(engine, lesson)
    if links:
        found["host_links"] = links
    rules = [f"{table}: {rule}" for table, rule in firewall.labelled_rules(firewall.saved(engine), lesson)]
    if rules:
        found["firewall_rules"] = rules
    if names := netns.namespaces(engine, lesson):
        found["namespaces"] = names
    return found


def remove(engine: Session, lesson: str | None = None) -> dict[str, list[str]]:
    """Remove the course's containers, then networks, volumes and host links (of one lesson, if given)."""
    removed = engine.remove_labelled(lesson)
    links = hostlinks.remove_labelled(engine, lesson)
    if links:
        removed["host_links"] = links
    rules = firewall.remove_labelled(engine, lesson)
    if rules:
        removed["firewall_rules"] = rules
    names = netns.remove(engine, lesson)
    if names:
        removed["namespaces"] = names
    return removed


def reset(engine: Session, lesson: str | None = None, dry_run: bool = False) -> dict[str, list[str]]:
    """Remove everything the course made (of one lesson, if given); with ``dry_run``, only list it.

    Similar to ``docker rm -f $(docker ps -aq --filter label=io.dockerlab.managed=true)``
    and the same for networks and volumes, then ``ip link del`` for the
    course's host links and ``iptables -D`` for its commented rules.
    """
    return find(engine, lesson) if dry_run else remove(engine, lesson)
