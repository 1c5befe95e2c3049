"""Which process belongs to which container, from /proc/PID/cgroup — also for an engine inside a container."""
from pathlib import Path

from dockerlab.host.kernel import container_pids

OUTER, INNER = "a" * 64, "b" * 64


def _proc(tmp_path: Path, cgroups: dict[str, str]) -> Path:
    for pid, text in cgroups.items():
        (tmp_path / pid).mkdir()
        (tmp_path / pid / "cgroup").write_text(text)
    (tmp_path / "self").mkdir()
    return tmp_path


def test_the_innermost_container_of_a_nested_engine_is_found(tmp_path):
    # a learner's engine (workshop) or a lab node runs its containers below its own cgroup
    proc = _proc(tmp_path, {"10": f"12:rdma:/\n11:memory:/docker/{OUTER}/docker/{INNER}\n",
                            "11": f"3:cpu:/docker/{OUTER}\n", "12": f"3:cpu:/docker/{OUTER}/docker/{INNER}\n",
                            "9": "1:name=systemd:/\n"})
    assert container_pids(proc) == {OUTER: 11, INNER: 10}


def test_cgroup_v2_and_systemd_scopes(tmp_path):
    proc = _proc(tmp_path, {"20": f"0::/system.slice/docker-{INNER}.scope\n"})
    assert container_pids(proc) == {INNER: 20}
