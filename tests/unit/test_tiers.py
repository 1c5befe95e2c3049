"""The unit tier stands alone: the suite-wide uplink watch (an iptables rule) is for the engine tiers only."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import conftest

ROOT = Path(__file__).resolve().parents[2]


def _items(*paths: str) -> list[SimpleNamespace]:
    return [SimpleNamespace(path=ROOT / path) for path in paths]


def test_the_unit_tier_alone_is_not_watched():
    assert not conftest.uses_the_engine(_items("tests/unit/test_topology.py", "tests/unit/test_tiers.py"))


def test_any_engine_tier_turns_the_watch_on():
    for path in ("tests/integration/test_cluster.py", "tests/browser/test_jupyterlab.py",
                 "notebooks/01-default-bridge.ipynb", "exercises/04-user-networks.ipynb"):
        assert conftest.uses_the_engine(_items("tests/unit/test_topology.py", path)), path
