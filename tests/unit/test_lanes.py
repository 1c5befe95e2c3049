"""CI's lanes leave the workshop's rooms to their own tier, and that tier names files that exist."""
from __future__ import annotations

from tests.engines import lanes


def test_the_workshop_tier_runs_files_that_exist():
    assert lanes.TIERS["workshop"] == lanes.WORKSHOP
    assert all((lanes.ROOT / path).is_file() for path in lanes.WORKSHOP), lanes.WORKSHOP


def test_no_lane_and_no_other_tier_brings_up_a_room():
    """Every step that runs the folder a workshop test is in also ignores that test."""
    runs = [step.args for lane in lanes.ALL.values() for step in lane.steps]
    runs += [args for name, args in lanes.TIERS.items() if name != "workshop"]
    for args in runs:
        for path in lanes.WORKSHOP:
            folder = path.rsplit("/", 1)[0]
            if folder in args or path in args:
                assert f"--ignore={path}" in args, (args, path)
