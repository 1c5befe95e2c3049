"""The lab image, `dockerlab setup` and `dockerlab doctor` on the real engine."""
from __future__ import annotations

import getpass
import os
import shutil
import socket
import time

import pytest

from dockerlab import labels
from dockerlab.engine.images import ensure_images
from dockerlab.host import facts
from tests.conftest import run_cli

TOOLS = ["sh", "ip", "ping", "nslookup", "wget", "httpd", "nc", "nsenter", "udhcpc", "ps"]


def test_lab_image_has_the_lessons_tools(engine):
    _, output = engine.run(labels.BUSYBOX_IMAGE, ["sh", "-c", f"for t in {' '.join(TOOLS)}; do which $t; done"],
                           lesson="tests-image", detach=False, remove=True)
    assert len(output.split()) == len(TOOLS), output


def test_second_setup_is_instant(engine):
    started = time.monotonic()
    made = ensure_images(engine, progress=lambda line: None)
    assert [m.how for m in made] == ["present"]
    assert time.monotonic() - started < 2
    done = run_cli("setup")
    assert done.returncode == 0 and "already there" in done.stdout


def test_image_does_not_carry_the_managed_label(engine):
    image_labels = engine.image(labels.BUSYBOX_IMAGE)["Config"]["Labels"]
    assert labels.MANAGED not in image_labels and image_labels[labels.RECIPE]


def test_doctor_on_a_working_engine():
    done = run_cli("doctor")
    assert done.returncode == 0, done.stdout + done.stderr
    for line in ["✔ engine", "✔ socket", "✔ images", "✔ kernel", "The course can run here."]:
        assert line in done.stdout
    assert "bridge, veth, macvlan, vxlan" in done.stdout


def test_doctor_without_engine(tmp_path):
    done = run_cli("doctor", env={"DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock"})
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "No Docker engine answers" in done.stdout and "dockerlab doctor" in done.stdout
    assert "does not exist" in done.stdout


def _socket_without_permission(tmp_path):
    path = str(tmp_path / "engine.sock")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(path)
    listener.listen(1)
    os.chmod(path, 0)
    return listener, path


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="needs root to drop the capability that overrides file permissions")
def test_doctor_with_a_socket_it_may_not_use(tmp_path):
    listener, path = _socket_without_permission(tmp_path)
    try:
        # Root without CAP_DAC_OVERRIDE is refused by the socket's permissions like any user.
        done = run_cli("doctor", env={"DOCKER_HOST": f"unix://{path}"},
                       prefix=["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all"])
    finally:
        listener.close()
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "may not use its socket" in done.stdout and "docker group" in done.stdout
    assert "s---------" in done.stdout


def test_setup_without_engine_says_what_to_do(tmp_path):
    done = run_cli("setup", env={"DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock"})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "No Docker engine answers" in done.stderr


def test_the_host_facts_agree_with_the_engine(engine):
    host = facts.read(engine)
    driver = (engine.info().get("FirewallBackend") or {}).get("Driver", "")
    assert host.firewall in ("iptables", "nftables")
    if driver:  # 28+: the engine names its backend itself
        assert driver.split("+")[0] == host.firewall
    assert host.ip_forward  # every engine of the matrix has a bridge network that routes
    assert host.docker_user == (host.firewall == "iptables")
    assert host.rootless == ("name=rootless" in ",".join(engine.info().get("SecurityOptions") or []))


def test_doctor_writes_a_report_with_nothing_private(tmp_path):
    target = tmp_path / "report.txt"
    done = run_cli("doctor", "--report", str(target))
    assert str(target) in done.stdout, done.stdout + done.stderr
    text = target.read_text()
    assert "## engine" in text and "## the engine's host" in text and "forward_policy: " in text
    assert socket.gethostname() not in text.split() and f"/{getpass.getuser()}/" not in text
