"""The proxy's rules: what gets the course's labels, what is refused, what passes. No engine."""
from __future__ import annotations

import io
import json
from urllib.parse import parse_qsl

import pytest

from dockerlab import labels
from dockerlab.engine.proxy import rules, wire

COURSE = {"Config": {"Labels": labels.labels_for("05-connect")}, "Labels": labels.labels_for("05-connect"),
          "Name": "front"}
OTHER_LESSON = {"Config": {"Labels": labels.labels_for("01-default-bridge")}}
LEARNERS = {"Config": {"Labels": {"mine": "yes"}}, "Labels": {}, "Name": "own"}
OBJECTS = {("container", "app"): COURSE, ("container", "own"): LEARNERS, ("network", "front"): COURSE,
           ("network", "own"): LEARNERS, ("volume", "own"): LEARNERS, ("container", "c1"): OTHER_LESSON,
           ("network", "abc123"): {"Name": "bridge", "Labels": {}}}


def lookup(kind, name):
    return OBJECTS.get((kind, name))


def judge(method, path, body=None, query="", lesson="05-connect"):
    return rules.judge(method, path, query, json.dumps(body or {}).encode(), lesson, lookup)


def test_a_new_container_gets_the_labels_and_the_dns_setting():
    verdict = judge("POST", "/v1.41/containers/create", {"Image": "busybox", "Labels": {"mine": "x"}},
                    query="name=web")
    created = json.loads(verdict.body)
    assert created["Labels"] == {"mine": "x", **labels.labels_for("05-connect")}
    assert created["HostConfig"]["Dns"] == ["127.0.0.1"]


@pytest.mark.parametrize("host_config", [{"Dns": ["1.1.1.1"]}, {"NetworkMode": "host"},
                                         {"NetworkMode": "container:app"}, {"NetworkMode": "none"}])
def test_the_dns_setting_is_not_added_where_it_does_not_belong(host_config):
    created = json.loads(judge("POST", "/containers/create", {"HostConfig": dict(host_config)}).body)
    assert created["HostConfig"].get("Dns") == host_config.get("Dns")


@pytest.mark.parametrize("path", ["/v1.41/networks/create", "/volumes/create"])
def test_networks_and_volumes_get_the_labels(path):
    assert json.loads(judge("POST", path, {"Name": "n"}).body)["Labels"] == labels.labels_for("05-connect")


@pytest.mark.parametrize("method, path, body", [
    ("POST", "/v1.41/containers/own/stop", None), ("POST", "/containers/own/kill", None),
    ("POST", "/containers/own/restart", None), ("DELETE", "/v1.41/containers/own", None),
    ("POST", "/containers/own/exec", {"Cmd": ["sh"]}), ("POST", "/containers/own/attach", None),
    ("GET", "/containers/own/attach/ws", None), ("POST", "/containers/own/rename", None),
    ("POST", "/containers/own/update", None), ("PUT", "/containers/own/archive", None),
    ("POST", "/networks/own/connect", {"Container": "app"}), ("POST", "/networks/front/disconnect",
                                                                {"Container": "own"}),
    ("DELETE", "/networks/own", None), ("DELETE", "/volumes/own", None),
    ("POST", "/containers/create", {"HostConfig": {"NetworkMode": "own"}}),
    ("POST", "/containers/create", {"HostConfig": {"NetworkMode": "container:own"}}),
    ("POST", "/containers/create", {"HostConfig": {"Links": ["/own:/x/db"]}}),
    ("POST", "/containers/create", {"NetworkingConfig": {"EndpointsConfig": {"own": {}}}}),
])
def test_what_is_not_the_courses_is_refused_with_a_course_message(method, path, body):
    verdict = judge(method, path, body)
    assert verdict.status == 403
    assert "own is not the course's" in verdict.message


@pytest.mark.parametrize("method, path, body", [
    ("POST", "/containers/app/stop", None), ("DELETE", "/containers/app", None),
    ("POST", "/containers/missing/stop", None),  # the engine answers "No such container" itself
    ("POST", "/networks/bridge/connect", {"Container": "app"}), ("POST", "/networks/abc123/connect",
                                                                   {"Container": "app"}),
    ("POST", "/networks/front/connect", {"Container": "app"}),
    ("GET", "/containers/own/json", None), ("GET", "/containers/own/logs", None),
    ("GET", "/containers/own/archive", None), ("GET", "/events", None), ("POST", "/containers/own/wait", None),
])
def test_the_courses_objects_and_reading_pass(method, path, body):
    verdict = judge(method, path, body)
    assert not verdict.refused and verdict.body is None and verdict.query is None


def test_a_name_left_by_another_lesson_is_named():
    verdict = judge("POST", "/containers/create", {}, query="name=c1")
    assert verdict.status == 409 and "01-default-bridge" in verdict.message


def test_prune_is_limited_to_the_courses_objects():
    verdict = judge("POST", "/v1.41/containers/prune", query="filters=%7B%22until%22%3A%7B%2210m%22%3Atrue%7D%7D")
    filters = json.loads(dict(parse_qsl(verdict.query))["filters"])
    assert filters == {"until": {"10m": True}, "label": {"io.dockerlab.managed=true": True}}


@pytest.mark.parametrize("method, path", [("DELETE", "/images/busybox"), ("POST", "/images/prune"),
                                          ("POST", "/swarm/init"), ("POST", "/swarm/leave")])
def test_images_and_the_swarm_are_left_alone(method, path):
    assert judge(method, path).status == 403


def test_a_request_is_read_with_its_body_and_relayed_in_chunks():
    raw = (b"POST /v1.41/build?t=x HTTP/1.1\r\nHost: docker\r\nTransfer-Encoding: chunked\r\n\r\n"
           b"3\r\nabc\r\n0\r\n\r\nGET /next HTTP/1.1\r\n\r\n")
    reader = io.BytesIO(raw)
    request = wire.read_request(reader)
    assert (request.method, request.path, request.query, request.chunked) == ("POST", "/v1.41/build", "t=x", True)
    relayed: list[bytes] = []
    wire.relay_body(request, reader, relayed.append)
    assert b"".join(relayed) == b"3\r\nabc\r\n0\r\n\r\n"
    assert wire.read_request(reader).path == "/next"


def test_a_refusal_is_an_api_error_the_cli_prints():
    answer = wire.error_response(403, "not yours")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 403 ") and b"Connection: close" in head
    assert json.loads(body) == {"message": "not yours"}


@pytest.mark.parametrize("raw", [b"hello\r\n\r\n", b"GET / HTTP/1.1\r\nno colon\r\n\r\n"])
def test_garbage_is_malformed(raw):
    with pytest.raises(wire.Malformed):
        wire.read_request(io.BytesIO(raw))
