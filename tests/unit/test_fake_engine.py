"""The engine adapter on the fake engine: the same JSON shapes as a real 20.10 engine, the same errors."""
from __future__ import annotations

import itertools

import pytest

from dockerlab import errors, labels
from dockerlab.engine.client import PRINTED_TO_FILE, ContainerSpec
from tests.unit.fake_engine import RECORDED, fake_engine, refusal

LESSON = "04-user-networks"


def _network_and_container(engine):
    engine.create_network("hr-net", lesson=LESSON, subnet="10.251.0.0/24")
    info, _ = engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="hr-c1", network="hr-net",
                         ip="10.251.0.5", aliases=["db"], ports={"80/tcp": ("127.0.0.1", 18081)})
    return info


def test_answers_have_the_real_engines_shape():
    engine = fake_engine()
    info = _network_and_container(engine)
    listed = engine.containers(all=True)[0]
    assert set(listed) == set(RECORDED["container_listed"])
    assert listed["Ports"] == RECORDED["container_listed"]["Ports"]
    assert listed["Labels"] == {**RECORDED["container_listed"]["Labels"], labels.LESSON: LESSON}
    recorded_endpoint = RECORDED["container_listed"]["NetworkSettings"]["Networks"]["hr-net"]
    endpoint = listed["NetworkSettings"]["Networks"]["hr-net"]
    assert {k: endpoint[k] for k in ("IPAddress", "IPPrefixLen", "Gateway", "MacAddress", "IPAMConfig")} == \
        {k: recorded_endpoint[k] for k in ("IPAddress", "IPPrefixLen", "Gateway", "MacAddress", "IPAMConfig")}
    assert info["NetworkSettings"]["Ports"] == RECORDED["container_inspect"]["NetworkSettings"]["Ports"]
    assert info["State"]["Running"] and info["State"]["Pid"] > 0
    network = engine.network("hr-net")
    assert set(network) == set(RECORDED["network_inspect"])
    assert network["IPAM"]["Config"] == RECORDED["network_inspect"]["IPAM"]["Config"]
    def without_ids(endpoints: dict) -> list[dict]:
        return [{k: v for k, v in endpoint.items() if k != "EndpointID"} for endpoint in endpoints.values()]

    assert without_ids(network["Containers"]) == without_ids(RECORDED["network_inspect"]["Containers"])
    assert set(next(iter(network["Containers"].values()))) == \
        set(next(iter(RECORDED["network_inspect"]["Containers"].values())))
    engine.create_volume("hr-vol", lesson=LESSON)
    assert set(engine.api.volumes()["Volumes"][0]) == set(RECORDED["volume_listed"])


def test_the_engine_itself():
    engine = fake_engine()
    assert engine.version()["ApiVersion"] == RECORDED["version"]["ApiVersion"]
    assert "ServerVersion" in engine.info()


def test_a_refused_run_leaves_nothing_and_says_why():
    engine = fake_engine()
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="web")
    with pytest.raises(errors.NameInUse) as refused:
        engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="web")
    assert refused.value.fields["name"] == "web"
    with pytest.raises(errors.NotFound):
        engine.run("nginx:latest", None, lesson=LESSON)
    engine.api.refuse["start"] = refusal(500, "driver failed programming external connectivity")
    with pytest.raises(errors.CommandRefused, match="external connectivity"):
        engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="web2")
    assert engine.labelled(LESSON)["containers"] == ["web"]


def test_a_spec_and_named_options_together():
    engine = fake_engine()
    spec = ContainerSpec(name="a", network="n1", dns=list(labels.CONTAINED_DNS))
    engine.create_network("n1", lesson=LESSON)
    info, _ = engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, spec=spec, name="b",
                         extra_labels={"role": "web"})
    assert info["Name"] == "/b" and info["HostConfig"]["NetworkMode"] == "n1"
    assert info["HostConfig"]["Dns"] == ["127.0.0.1"] and info["Config"]["Labels"]["role"] == "web"
    assert ContainerSpec(ip="172.17.0.9").network == "bridge"  # like the CLI: --ip alone means the default bridge
    assert ContainerSpec(volumes={"v": "/data"}).host_options()["binds"] == ["v:/data:rw"]
    assert ContainerSpec(ports={"80/tcp": 8080}).exposed_ports() == [(80, "tcp")]


def test_a_container_that_runs_to_its_end():
    engine = fake_engine()
    engine.api.run_results["echo hi"] = (0, "hi\n")
    info, output = engine.run(labels.BUSYBOX_IMAGE, ["echo", "hi"], lesson=LESSON, detach=False, remove=True)
    assert output == "hi\n" and info["State"]["ExitCode"] == 0
    assert engine.labelled()["containers"] == []  # --rm


def test_what_a_container_printed_is_read_from_its_file_not_its_logs():
    """The engine may lose the end of a container's logs once its process has ended (moby v28.5.2
    ``handleContainerExit`` waits 2 s for the streams): a run to the end reads the file its command printed to."""
    engine = fake_engine()
    engine.api.run_results["iptables-save"] = (0, "*filter\n:FORWARD DROP [0:0]\nCOMMIT\n")
    engine.api.logs = lambda *_, **__: b""  # everything the engine kept of the streams: nothing
    info, output = engine.run(labels.BUSYBOX_IMAGE, ["iptables-save"], lesson=LESSON, detach=False)
    assert output == "*filter\n:FORWARD DROP [0:0]\nCOMMIT\n"
    assert info["Config"]["Cmd"] == ["sh", "-c", PRINTED_TO_FILE, "sh", "iptables-save"]
    assert PRINTED_TO_FILE.startswith('"$@" >') and PRINTED_TO_FILE.endswith(" 2>&1")  # the exit code is the command's


def test_exec_with_and_without_input():
    engine = fake_engine()
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="c1")
    engine.api.exec_results[("c1", "cat /etc/hostname")] = (0, "c1\n")
    assert engine.exec("c1", ["cat", "/etc/hostname"]) == (0, "c1\n")
    assert engine.exec("c1", ["docker", "load", "-q"], stdin=engine.save_image(labels.BUSYBOX_IMAGE)) == (0, "")
    fed = next(state for state in engine.api.execs.values() if state["cmd"] == ["docker", "load", "-q"])
    assert fed["stdin"] == b"fake image archive of dockerlab/busybox:latest"
    engine.api.stop("c1")
    with pytest.raises(errors.CommandRefused, match="is not running"):
        engine.exec("c1", ["true"])


def test_an_exec_keeps_what_it_printed_when_the_engine_cuts_its_stream():
    """The exec's output is read from its file: the stream may bring nothing, or a part; the file goes after."""
    engine = fake_engine()
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="node3")
    engine.api.exec_results[("node3", "sh -c docker ps -a")] = (0, "running e11-net\n")
    engine.api.lost_stream = "runn"  # what a loaded engine let through before it closed the stream
    assert engine.exec("node3", ["sh", "-c", "docker ps -a"]) == (0, "running e11-net\n")
    assert engine.api.containers_[engine.container("node3")["Id"]]["_files"] == {}  # removed again
    engine.api.exec_results[("node3", "false")] = (1, "")
    assert engine.exec("node3", ["false"]) == (1, "")  # the command's own exit code


def test_events_since_a_time():
    engine = fake_engine()
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="c1")
    stream = engine.events(type=["container"])
    everything = list(itertools.islice(stream, 2))
    stream.close()
    assert [e["Action"] for e in everything] == ["create", "start"]
    later = engine.events(since=everything[0]["time"] + 1, type=["container", "network"])
    assert [e["Action"] for e in itertools.islice(later, 2)] == ["connect", "start"]
    engine.api.stop("c1")
    assert next(iter(later))["Action"] == "die"  # it follows the engine
    later.close()
    assert list(later) == []


def test_networks_and_their_errors():
    engine = fake_engine()
    engine.create_network("n1", lesson=LESSON, subnet="10.5.0.0/24", gateway="10.5.0.254")
    with pytest.raises(errors.NameInUse):
        engine.create_network("n1", lesson=LESSON)
    with pytest.raises(errors.SubnetOverlap):
        engine.create_network("n2", lesson=LESSON, subnet="10.5.0.0/16")
    with pytest.raises(errors.CommandRefused, match="swarm"):
        engine.create_network("o1", lesson=LESSON, driver="overlay")
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="c1")
    engine.api.connect_container_to_network("c1", "n1", ipv4_address="10.5.0.7", aliases=["db"])
    endpoint = engine.container("c1")["NetworkSettings"]["Networks"]["n1"]
    assert (endpoint["IPAddress"], endpoint["Gateway"]) == ("10.5.0.7", "10.5.0.254")
    assert engine.container("c1")["NetworkSettings"]["Networks"]["bridge"]["IPAddress"] == "172.17.0.2"
    engine.api.disconnect_container_from_network("c1", "n1")
    assert "n1" not in engine.container("c1")["NetworkSettings"]["Networks"]
    with pytest.raises(errors.NotFound):
        engine.network("nope")


def test_only_the_courses_objects_are_removed():
    engine = fake_engine()
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="mine")
    engine.api.create_container(labels.BUSYBOX_IMAGE, ["sleep", "1d"], name="learners", labels={})
    engine.api.create_network("learners-net", labels={labels.LESSON: LESSON})  # no MANAGED: not the course's
    engine.create_volume("mine-vol", lesson="other")
    removed = engine.remove_labelled(LESSON)
    assert removed == {"containers": ["mine"], "networks": [], "volumes": []}
    assert engine.labelled() == {"containers": [], "networks": [], "volumes": ["mine-vol"]}
    assert engine.container("learners") and engine.network("learners-net")


def test_a_link_target_goes_on_a_later_pass():
    engine = fake_engine()
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="db")
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson=LESSON, name="app", links={"db": "database"})
    assert engine.api.containers(filters={"name": "db"})[0]["Names"] == ["/db", "/app/database"]
    assert engine.labelled(LESSON)["containers"] == ["app", "db"]


def test_images():
    engine = fake_engine(images=())
    assert engine.image(labels.BUSYBOX_IMAGE) is None
    seen: list[str] = []
    engine.pull(labels.PUBLIC_BUSYBOX, seen.append)
    assert seen == ["1.36: Pulling from library/busybox"]  # download progress is left out
    engine.api.build_chunks = [{"stream": "Step 1/2\n"}, {"error": "no space left on device\n"}]
    with pytest.raises(errors.DiskFull, match="docker system df"):
        engine.build(None, "x:latest", {}, seen.append)
    engine.api.build_chunks = [{"error": "COPY failed: file not found in build context\n"}]
    with pytest.raises(errors.ImageUnavailable, match="file not found"):
        engine.build(None, "x:latest", {}, seen.append)
    engine.api.pull_chunks = [{"error": "registry unreachable"}]
    with pytest.raises(errors.ImageUnavailable, match="registry unreachable"):
        engine.pull("busybox:1.36", seen.append)
