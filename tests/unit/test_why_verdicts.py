"""``dockerlab why`` on recorded engines: the verdicts a real probe confirmed, worked out again with no engine.

The recordings (``data/learners-engine-*.json``) are what ``dockerlab why`` reads of the learner's engine that
``tests/integration/learners_engine.py`` builds, on Docker 20.10, 26.1 and 28.5, each an engine in its own
network namespace; ``tests/integration/test_explain_why.py`` checks the same answers with a probe on a live
engine. Recorded anew with ``python -m tests.integration.learners_engine FILE``.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockerlab import errors
from dockerlab.explain.reading import view_of
from dockerlab.model.enginemap import EngineMap
from dockerlab.model.reach import Reasoner, parse_target
from dockerlab.model.topology import Topology
from tests.integration.learners_engine import QUESTIONS, answer, question

DATA = Path(__file__).parent / "data"
VERSIONS = ["20.10", "26.1", "28.5"]


def recorded(version: str) -> tuple[EngineMap, Reasoner, str]:
    data = json.loads((DATA / f"learners-engine-{version}.json").read_text())
    emap = EngineMap.build(Topology.from_facts(data["facts"]), data["facts"]["networks"], data["details"],
                           data["version"], data["where"])
    return emap, Reasoner(emap, view_of(data["host"])), data["version"]


@pytest.fixture(scope="module", params=VERSIONS)
def engine(request):
    return recorded(request.param)


@pytest.mark.parametrize("asked, expected", QUESTIONS, ids=[" ".join(x for x in q if x) for q, _ in QUESTIONS])
def test_each_verdict_is_the_one_a_probe_confirmed(engine, asked, expected):
    emap, reasoner, version = engine
    source, target, port = question(emap, "l", asked)
    name, number, protocol = parse_target(target, port)
    verdict = reasoner.why(source, name, number, protocol)
    assert (verdict.reachable, verdict.stop) == answer(expected, version), str(verdict)
    assert verdict.because and verdict.steps and all(step.how in ("read", "inferred") for step in verdict.steps)


def test_a_drop_between_networks_names_the_engines_own_rule():
    for version in VERSIONS:
        emap, reasoner, _ = recorded(version)
        db = emap.members["lshop-db-1"].endpoint("lshop_back").ipv4
        verdict = reasoner.why("lshop-web-1", db, 5432)
        back = emap.networks["lshop_back"]
        assert verdict.rule and back.bridge in verdict.rule and "DROP" in verdict.rule, (version, verdict.rule)
        assert any(step.how == "read" and verdict.rule in step.text for step in verdict.steps)


def test_an_internal_network_stops_at_the_route_from_25_and_at_a_rule_before():
    for version in VERSIONS:
        emap, reasoner, _ = recorded(version)
        web = emap.members["lshop-web-1"].endpoint("lshop_front").ipv4
        verdict = reasoner.why("lshop-db-1", web, 80)
        if version == "20.10":
            assert verdict.rule and emap.networks["lshop_back"].bridge in verdict.rule, verdict
        else:
            assert verdict.rule is None and any("no route" in step.text for step in verdict.steps), verdict


def test_icc_off_is_the_engines_rule_for_its_own_bridge():
    for version in VERSIONS:
        emap, reasoner, _ = recorded(version)
        verdict = reasoner.why("lq1", "lq2", 80)
        bridge = emap.networks["lquiet"].bridge
        assert f"-i {bridge} -o {bridge} -j DROP" in (verdict.rule or ""), (version, verdict.rule)


def test_a_port_on_127001_from_another_machine_meets_docker_28s_raw_rule():
    _, reasoner, _ = recorded("28.5")
    verdict = reasoner.why("outside", "lshop-web-1", 18080)
    assert verdict.rule and verdict.rule.startswith("raw: -A PREROUTING -d 127.0.0.1/32 ! -i lo")
    _, reasoner, _ = recorded("20.10")
    older = reasoner.why("outside", "lshop-web-1", 18080)
    assert older.rule is None and any("DNAT" in step.text for step in older.steps)


def test_names_that_do_not_resolve_still_say_what_the_address_would_do():
    emap, reasoner, _ = recorded("28.5")
    verdict = reasoner.why("lplain1", "lplain2")
    assert verdict.by_address is True and verdict.address == emap.members["lplain2"].endpoint("bridge").ipv4
    unknown = reasoner.why("lshop-web-1", "lshop-db-1", 5432)
    assert unknown.stop == "name-unknown" and unknown.by_address is False


def test_the_same_question_in_korean(monkeypatch):
    monkeypatch.setenv("DOCKERLAB_LANG", "ko")
    _, reasoner, _ = recorded("28.5")
    said = str(reasoner.why("lshop-web-1", "db", 5432))
    assert said.startswith("lshop-web-1에서 db의 포트 5432/tcp에 닿을 수 있습니까?")
    assert "아니요" in said and "읽음" in said and "레슨 06" in said


def test_a_container_that_is_not_running_is_refused_with_what_runs():
    _, reasoner, _ = recorded("28.5")
    with pytest.raises(errors.NotFound) as refused:
        reasoner.why("nosuch", "lplain1")
    assert "lplain1" in str(refused.value) and "'host'" in str(refused.value)


@pytest.mark.parametrize("text", ["abc", "0", "70000", "80/sctp"])
def test_a_bad_port_says_what_a_port_is(text):
    with pytest.raises(errors.UnsupportedCommand) as refused:
        parse_target("db", text)
    assert "1 to 65535" in str(refused.value)


def test_targets_with_ports():
    assert parse_target("db:5432") == ("db", 5432, "tcp")
    assert parse_target("10.0.0.2", "53/udp") == ("10.0.0.2", 53, "udp")
    assert parse_target("web") == ("web", None, "tcp")


def test_without_the_hosts_facts_the_verdict_says_it_only_inferred():
    emap, _, _ = recorded("28.5")
    verdict = Reasoner(emap, None).why("lshop-web-1", "lshop-db-1", 5432)
    assert verdict.steps[0].how == "inferred" and "could not read the engine's host" in verdict.steps[0].text
    apart = Reasoner(emap, None).why("lshop-web-1", emap.members["lshop-api-1"].endpoint("lshop_back").ipv4)
    assert apart.reachable is False and apart.rule is None


def test_a_probe_says_what_it_will_attach_and_where_it_will_not_go():
    import dataclasses

    from dockerlab.explain import probing
    from dockerlab.model.topology import HostInterface

    emap, reasoner, _ = recorded("28.5")
    plan = probing.plan(emap, reasoner.why("lshop-api-1", "db", 5432))
    lines = "\n".join(plan.lines())
    assert [net.name for net in plan.networks] == ["lshop_front", "lshop_back"]  # as the engine orders them
    assert "the Compose project lshop" in lines and "172.19.0.0/16" in lines and "io.dockerlab.lesson=why" in lines
    outside = probing.plan(emap, reasoner.why("lshop-web-1", "8.8.8.8", 53))
    assert outside.refused and "only to the containers and networks of this engine" in outside.refused
    assert probing.plan(emap, reasoner.why("lshop-sidecar-1", "lshop-api-1", 8000)).refused  # inside its stack
    # the macvlan network's parent, were it a real network card: no probe there
    real = dataclasses.replace(emap.topology.host_interfaces["dl-lmvp0"], kind="other", type="other")
    assert isinstance(real, HostInterface)
    emap.topology.host_interfaces["dl-lmvp0"] = real
    refused = probing.plan(emap, reasoner.why("lmv1", "lmv2", 80))
    assert refused.refused and "a new MAC address on your LAN" in refused.refused
