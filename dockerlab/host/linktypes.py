"""Whether the engine host's kernel can make a kind of link (ipvlan is missing from some kernels).

Similar to ``sudo ip link add dl-probe link PARENT type KIND`` followed by
``sudo ip link del dl-probe``. Used in lesson 03.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..text import say

if TYPE_CHECKING:
    from .session import Session


PROBE = "dl-probe"


def kernel_has(engine: Session, kind: str, parent: str) -> bool:
    """Make a ``kind`` link on ``parent`` and remove it again; say and return whether the kernel could."""
    command = ["ip", "link", "add", PROBE, "link", parent, "type", kind]
    print(f"$ sudo {' '.join(command)}")
    code, output = engine.host(command, check=False)
    if output.strip():
        print(output.strip())
    if code == 0:
        engine.host(["ip", "link", "del", "dev", PROBE])
    print(say("kernel-has-link-type" if code == 0 else "kernel-lacks-link-type", kind=kind))
    return code == 0
