"""Docker 29 cannot run here; its documented shapes are held against the course's readers.

29 (API 1.52) removes the top-level ``NetworkSettings.IPAddress``, ``Gateway`` and ``MacAddress`` of
``docker inspect`` (read ``NetworkSettings.Networks.<name>.*``), removes the DOCKER-ISOLATION chains and
offers an nftables backend. The course reads addresses per network only, and finds dropping rules by
their counters wherever they are (tests/unit/test_firewall.py).
"""
from __future__ import annotations

from dockerlab.host import probe
from dockerlab.host.health import verified

# one container of `GET /containers/json` as API 1.52 shapes it: per-network fields only
CONTAINER_29 = {
    "Id": "c" * 64, "Names": ["/web"], "Image": "dockerlab/busybox", "State": "running",
    "Labels": {"io.dockerlab.managed": "true", "io.dockerlab.lesson": "08-ports-and-nat"},
    "HostConfig": {"NetworkMode": "bridge"},
    "Ports": [{"IP": "127.0.0.1", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"}],
    "NetworkSettings": {"Networks": {"bridge": {
        "NetworkID": "n" * 64, "EndpointID": "e" * 64, "Gateway": "172.17.0.1", "IPAddress": "172.17.0.2",
        "IPPrefixLen": 16, "MacAddress": "9a:3c:51:0e:77:12", "GwPriority": 0, "DNSNames": None}}},
}


def test_container_facts_come_from_the_per_network_fields():
    facts = probe._container_facts(CONTAINER_29)
    assert facts["Networks"]["bridge"] == {"NetworkID": "n" * 64, "IPAddress": "172.17.0.2", "IPPrefixLen": 16,
                                           "MacAddress": "9a:3c:51:0e:77:12", "Gateway": "172.17.0.1"}
    assert facts["Ports"] == [{"IP": "127.0.0.1", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"}]


def test_no_reader_of_the_course_asks_for_the_fields_29_removes():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    removed = ('["NetworkSettings"]["IPAddress"]', '["NetworkSettings"]["Gateway"]',
               '["NetworkSettings"]["MacAddress"]', ".NetworkSettings.IPAddress}}", ".NetworkSettings.Gateway}}",
               ".NetworkSettings.MacAddress}}")
    sources = [*root.glob("dockerlab/**/*.py"), *root.glob("notebooks/*.ipynb"), *root.glob("exercises/*.ipynb")]
    offenders = [str(path.relative_to(root)) for path in sources
                 if any(field in path.read_text().replace('\\"', '"') for field in removed)]
    assert offenders == []


def test_doctor_warns_but_does_not_refuse_29():
    from dockerlab.host.health import Report, _version_check

    check = _version_check("29.0.1")
    assert not verified("29.0.1") and check.status == "warn" and "29.0.1" in check.detail
    assert Report([check]).ok
