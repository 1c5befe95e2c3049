"""`dockerlab reset` removes the course's objects and never a learner's, whatever their names."""
from __future__ import annotations

import json

import pytest

from dockerlab import errors
from dockerlab.lessons.lesson import Lab
from tests.conftest import run_cli

CANARY_NAMES = ["web1", "labnet", "dockerlab-net"]


def test_reset_removes_only_labelled_objects(engine, learner, lesson_id):
    # The learner's canaries: same names the course might use, a lookalike label, and a
    # container started from the lab image (which must not inherit the course's label).
    learner_net = learner.network("labnet")
    learner.network("dockerlab-net", labels={"io.dockerlab.lesson": lesson_id})
    learner.volume("dockerlab-data")
    learner.container("web1", network="labnet")
    learner.container("dockerlab-c1", labels={"io.dockerlab.managed": "false"})
    from_lab_image = learner.container("plain-from-lab-image")
    assert from_lab_image.labels.get("io.dockerlab.managed") is None

    lab = Lab(engine, lesson_id)
    lab.docker("network create --subnet 10.209.0.0/24 course-net", quiet=True)
    lab.docker("run -d --name course-c1 --network course-net dockerlab/busybox sleep 1d", quiet=True)
    engine.client.volumes.create("course-vol",
                                 labels={"io.dockerlab.managed": "true", "io.dockerlab.lesson": lesson_id})

    done = run_cli("reset", "--json")
    assert done.returncode == 0, done.stderr
    removed = json.loads(done.stdout)
    assert "course-c1" in removed["containers"] and "course-net" in removed["networks"]
    assert "course-vol" in removed["volumes"]
    assert not set(removed["containers"]) & {"web1", "dockerlab-c1", "plain-from-lab-image"}
    assert not set(removed["networks"]) & {"labnet", "dockerlab-net"}

    for name in ["web1", "dockerlab-c1", "plain-from-lab-image"]:
        assert engine.client.containers.get(name).status == "running"
    for name in ["labnet", "dockerlab-net"]:
        assert engine.client.networks.get(name)
    assert engine.client.volumes.get("dockerlab-data")
    assert learner_net.id == engine.client.networks.get("labnet").id
    assert engine.labelled() == {"containers": [], "networks": [], "volumes": []}


def test_reset_of_one_lesson_leaves_other_lessons(engine, lesson_id):
    other = Lab(engine, lesson_id + "-other")
    try:
        Lab(engine, lesson_id).docker("run -d --name mine dockerlab/busybox sleep 1d", quiet=True)
        other.docker("run -d --name theirs dockerlab/busybox sleep 1d", quiet=True)
        done = run_cli("reset", "--lesson", lesson_id)
        assert done.returncode == 0 and "Removed 1 object" in done.stdout
        assert engine.labelled(lesson_id)["containers"] == []
        assert engine.labelled(lesson_id + "-other")["containers"] == ["theirs"]
    finally:
        other.clean()


def test_lesson_clean_at_start_removes_its_leftovers(engine, lesson_id):
    first = Lab(engine, lesson_id)
    first.docker("network create --subnet 10.208.0.0/24 leftover-net", quiet=True)
    first.docker("run -d --name leftover --network leftover-net dockerlab/busybox sleep 1d", quiet=True)
    removed = Lab(engine, lesson_id).clean()
    assert removed == {"containers": ["leftover"], "networks": ["leftover-net"], "volumes": []}


def on_engine_host(engine, *command: str, check: bool = True) -> str:
    """``command`` on the engine's host (the network namespace its dockerd runs in), as the learner's own shell."""
    from dockerlab.host import hostshell

    return hostshell.run(engine, list(command), check=check)[1]


def test_reset_removes_only_the_course_host_links(engine, lesson_id):
    from dockerlab.host import hostlinks

    on_engine_host(engine, "ip", "link", "add", "dl-learner0", "type", "veth", "peer", "name", "dl-learner1")
    on_engine_host(engine, "ip", "link", "set", "dev", "dl-learner0", "alias", "mine, not dockerlab's")
    try:
        hostlinks.add_veth_pair(engine, "dl-course0", "dl-course1", lesson_id)
        assert hostlinks.alias_of(engine, "dl-course1") == f"dockerlab:{lesson_id}"
        assert "dl-course0" in run_cli("reset", "--dry-run", "--json").stdout
        done = run_cli("reset", "--json")
        assert done.returncode == 0, done.stderr
        assert sorted(json.loads(done.stdout)["host_links"]) in (["dl-course0"], ["dl-course0", "dl-course1"])
        links = on_engine_host(engine, "ip", "-o", "link")
        assert "dl-learner0" in links and "dl-learner1" in links and "dl-course" not in links
    finally:
        on_engine_host(engine, "ip", "link", "del", "dl-learner0", check=False)
        on_engine_host(engine, "ip", "link", "del", "dl-course0", check=False)


def test_a_taken_host_link_name_is_explained(engine, lesson_id):
    from dockerlab.host import hostlinks

    on_engine_host(engine, "ip", "link", "add", "dl-learner2", "type", "veth", "peer", "name", "dl-learner3")
    try:
        with pytest.raises(errors.NameInUse) as taken:
            hostlinks.add_veth_pair(engine, "dl-learner2", "dl-other", lesson_id)
        assert "dl-learner2 is already taken" in str(taken.value)
        assert hostlinks.alias_of(engine, "dl-learner2") == ""
    finally:
        on_engine_host(engine, "ip", "link", "del", "dl-learner2", check=False)


def test_host_commands_through_the_helper_container_match_direct_ones(engine, lesson_id, monkeypatch):
    from dockerlab.host import hostlinks, hostshell

    direct = hostlinks.aliases(engine)
    monkeypatch.setattr(hostshell, "runs_here", lambda engine: False)  # as a docker-group user would
    assert hostlinks.aliases(engine) == direct
    hostlinks.add_veth_pair(engine, "dl-helper0", "dl-helper1", lesson_id)
    assert hostlinks.labelled(engine, lesson_id) == ["dl-helper0", "dl-helper1"]
    assert sorted(hostlinks.remove_labelled(engine, lesson_id)) in (["dl-helper0"], ["dl-helper0", "dl-helper1"])
    assert hostlinks.labelled(engine, lesson_id) == []


def test_a_reset_namespace_takes_its_cables_host_ends_with_it_at_once(engine):
    """Task 12.2 started again, then done again by hand at once: the host end of a cable the learner made
    (unlabelled, its other end in the sheet's namespace) is gone when the reset returns, so making it again
    works. ``ip netns delete`` alone leaves it to the kernel, which removed it later in 1 run of 5 here."""
    from dockerlab.exercises.hostwork import remove
    from dockerlab.host import hostshell

    space, end = "dockerlab-ex12-red", "dl-ex12-red0"
    for _ in range(5):
        hostshell.run(engine, ["sh", "-c", f"ip netns add {space} && ip link add {end} type veth peer name c0 && "
                                           f"ip link set c0 netns {space}"])
        try:
            removed, _ = remove(engine, "ex12", [space])
            assert removed == [space]
            code, output = hostshell.run(engine, ["ip", "-o", "link", "show", "dev", end], check=False)
            assert code != 0, f"{end} is still on the host after the reset: {output}"
        finally:
            hostshell.run(engine, ["sh", "-c", f"ip netns delete {space}; ip link del {end}"], check=False)
