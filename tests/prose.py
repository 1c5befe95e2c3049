"""English prose in a text meant for a Korean reader: a sentence, not a command, a name or Docker's own output.

    english_prose("172.17.0.0/16 holds 65,536 addresses")     # ["holds addresses"]
    english_prose("브리지: docker0, veth 쌍, --network none")  # []

What is left out before looking: `code`, quoted text, and every token that is a name, number, address,
option or path (it holds a digit, a capital after its first letter, or one of ``-_./:=@$<>{}[]()``), and
the words of :data:`TERMS` (names of things, said in English in the Korean text too); a number neither makes
nor breaks a run ("holds 65,536 addresses"); a comma ends one ("app, sidecar" lists names). Two English words
in a row are prose.
"""
from __future__ import annotations

import re

COMMAND_ECHO = re.compile(r"(?:^|\s)\S*\$ [^#\n]*")
"""A command as the course echoes it (``$ docker ps``, ``node1$ docker ps``), up to a comment after it."""
_NUMBER = re.compile(r"^[+-]?\d[\d,.]*$")
TERMS = {
    "rx", "tx", "packets", "bytes", "scope", "global", "link", "host", "none", "bridge", "overlay", "macvlan",
    "ipvlan", "null", "internal", "attachable", "manager", "worker", "running", "stopped", "created",
    "exited", "veth", "lo", "sandboxkey", "nameserver", "search", "options", "ndots", "server", "nobody", "echo",
    "request", "reply", "docker", "daddr", "saddr", "iifname", "oifname", "dnat",
}
"""Words the Korean text uses as names: of a driver, a state, a counter, a resolv.conf line, an ICMP message, an
nftables match or statement (``ip daddr != 127.0.0.0/8``, ``dnat to``: what ``nft list`` prints)."""
DOCKER_SAYS = re.compile(r"(?:docker: )?Error response from daemon: ")
"""Docker's own words around a refusal (the CLI's prefix): engine output, in every edition."""

_DROPPED = re.compile(r"`[^`]*`|\"[^\"]*\"|'[^']*'|“[^”]*”")
_NAME = re.compile(r"[0-9\-_./:=@$<>{}\[\]()\\|#+*%~]|^[A-Za-z][a-z]*[A-Z]")


def english_prose(text: str) -> list[str]:
    """The runs of English words in ``text`` that read as a sentence, not as names (empty: none).

    A command the course echoes is not prose; a comment after it is.
    """
    found = []
    for line in DOCKER_SAYS.sub(" ", COMMAND_ECHO.sub(" ", text)).splitlines():
        words: list[str] = []
        runs = []
        for token in [*re.split(r"[\s;!?]+", _DROPPED.sub(" | ", line)), "|"]:
            word = token.strip(".:,")
            if _NUMBER.match(word):
                continue
            if (word.isascii() and word.isalpha() and len(word) > 1 and not word.isupper()
                    and not _NAME.search(token.rstrip(".:,")) and word.lower() not in TERMS):
                words.append(word)
                if not token.endswith(","):
                    continue
            runs.append(words)
            words = []
        found += [" ".join(run) for run in runs if len(run) >= 2]
    return found
