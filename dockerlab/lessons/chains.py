"""Where Docker hangs its filter rules for forwarded packets, read from the learner's engine: iptables or nftables.

With iptables, ``FORWARD`` jumps to Docker's chains, ``DOCKER-USER`` first (20.10 to 27: then
``DOCKER-ISOLATION-STAGE-1`` and per-bridge rules; 28 and 29: ``DOCKER-FORWARD``, which jumps on to ``DOCKER-CT``,
``DOCKER-ISOLATION-STAGE-1`` (not on 29), ``DOCKER-BRIDGE``...). With Docker 29's nftables backend there are no iptables
chains: the table ``ip docker-bridges`` has its own ``filter-FORWARD`` chain on the ``forward`` hook at priority
``filter``, and no ``DOCKER-USER``. :func:`iptables_order` and :func:`nftables_hook` read the listings (pure, tested
without an engine); :meth:`~dockerlab.lessons.lesson.Lab.forward_chains` lists them and checks what follows.
"""
from __future__ import annotations

from .. import errors
from ..text import say

NFT_HOOK = "type filter hook forward priority filter;"


def jumps(listing: str) -> list[str]:
    """The chains an ``iptables -S CHAIN`` listing jumps to, in order (``-j DOCKER-USER``: ``DOCKER-USER``)."""
    return [line.split()[-1] for line in listing.splitlines() if " -j DOCKER-" in line]


def iptables_order(forward: str, inner: str = "") -> list[str]:
    """``FORWARD``'s jumps to Docker's chains, then (in brackets) ``DOCKER-FORWARD``'s, from ``iptables -S`` listings.

    Raises :class:`~dockerlab.errors.ClaimFailed` unless ``DOCKER-USER`` comes first: the place for the learner's rules.
    """
    chains = jumps(forward)
    if not chains or chains[0] != "DOCKER-USER":
        raise errors.ClaimFailed("claim-failed", expected=say("chains-expected-docker-user"),
                                 seen=", ".join(chains) or "-",
                                 case=say("case-firewall-chains-iptables"), evidence=forward.strip() or "-")
    if inner:
        chains.append("(" + ", ".join(jumps(inner)) + ")")
    return chains


def nftables_hook(forward: str, docker_user: str) -> None:
    """Raise :class:`~dockerlab.errors.ClaimFailed` unless ``filter-FORWARD`` hangs on the ``forward`` hook at priority
    ``filter`` and nothing in the ruleset is called ``DOCKER-USER``."""
    if NFT_HOOK not in forward or docker_user.strip():
        raise errors.ClaimFailed("claim-failed", expected=say("chains-expected-nftables"),
                                 seen="; ".join(text.strip() for text in (forward, docker_user) if text.strip()) or "-",
                                 case=say("case-firewall-chains-nftables"), evidence="nft list ruleset")
