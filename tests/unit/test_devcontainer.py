"""The dev container (GitHub Codespaces' one click): a real engine inside, a non-root user, the course set up."""
from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import ROOT

DEVCONTAINER = ROOT / ".devcontainer"
DIND = "ghcr.io/devcontainers/features/docker-in-docker"
# a string (kept), or a // or /* */ comment (dropped): devcontainer.json is JSON with comments
_JSONC = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/', re.S)


def load_jsonc(path: Path) -> dict:
    """Parse JSON with comments and trailing commas, as dev container tools do."""
    text = _JSONC.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", path.read_text())
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", text))


def test_jsonc_loader_keeps_strings_and_drops_comments(tmp_path):
    sample = tmp_path / "sample.json"
    sample.write_text('// head\n{"url": "http://x//y", /* inline */ "list": [1, 2,],}\n')
    assert load_jsonc(sample) == {"url": "http://x//y", "list": [1, 2]}


def test_devcontainer_runs_a_real_engine_for_a_non_root_user():
    config = load_jsonc(DEVCONTAINER / "devcontainer.json")
    features = [name for name in config["features"] if name.split(":")[0] == DIND]
    assert features == [f"{DIND}:2"]
    assert config["remoteUser"] == "vscode"
    wait, _, setup = config["postCreateCommand"].rpartition("; ")
    assert setup == "./lab setup" and "until docker version" in wait


def test_devcontainer_forwards_jupyterlab():
    config = load_jsonc(DEVCONTAINER / "devcontainer.json")
    assert 8888 in config["forwardPorts"]
    assert config["portsAttributes"]["8888"]["label"] == "JupyterLab"


def test_devcontainer_image_is_debian_with_what_the_course_uses():
    dockerfile = (DEVCONTAINER / "Dockerfile").read_text()
    base = re.search(r"^FROM (\S+)", dockerfile, re.M).group(1)
    assert base.startswith("mcr.microsoft.com/devcontainers/base:") and base.endswith("bookworm")
    for package in ["python3-venv", "busybox-static", "iproute2", "iptables"]:
        assert package in dockerfile


def test_lab_has_a_setup_only_verb():
    lab = (ROOT / "lab").read_text()
    branch = re.search(r"^    setup\)\n(.*?)\n        ;;", lab, re.M | re.S)
    assert branch and branch.group(1).strip() == "setup_course"
    assert "./lab setup" in lab.split("set -euo pipefail")[0]
    course = re.search(r"^setup_course\(\) \{\n(.*?)\n\}", lab, re.M | re.S)
    assert course and "install_python_packages course" in course.group(1)  # a learner gets no test tools
    assert "--nodes" not in course.group(1)  # lesson 11's image is made when a cluster first needs it
