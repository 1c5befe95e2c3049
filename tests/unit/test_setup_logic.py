"""Engine start-up decisions, image sources and the doctor report, with no engine."""
from __future__ import annotations

import struct

import pytest

from dockerlab import errors
from dockerlab.commands.cli import main
from dockerlab.engine import daemon, images
from dockerlab.host import health


def _elf(with_interpreter: bool) -> bytes:
    header = bytearray(64)
    header[:6] = b"\x7fELF\x02\x01"
    struct.pack_into("<Q", header, 0x20, 64)          # program headers right after the header
    struct.pack_into("<HH", header, 0x36, 56, 1)      # one entry of 56 bytes
    entry = bytearray(56)
    struct.pack_into("<I", entry, 0, 3 if with_interpreter else 1)
    return bytes(header + entry)


def test_static_executable_detection(tmp_path):
    static, dynamic, text = tmp_path / "static", tmp_path / "dynamic", tmp_path / "text"
    static.write_bytes(_elf(False))
    dynamic.write_bytes(_elf(True))
    text.write_text("#!/bin/sh\n")
    assert images.is_static_executable(static)
    assert not images.is_static_executable(dynamic)
    assert not images.is_static_executable(text)
    assert not images.is_static_executable(tmp_path / "missing")


def test_image_source_choice(tmp_path, monkeypatch):
    monkeypatch.setattr(images, "HOST_BUSYBOX", tmp_path / "busybox")
    assert images.choose_source("auto") == "pull"
    (tmp_path / "busybox").write_bytes(_elf(False))
    assert images.choose_source("auto") == "build"
    assert images.choose_source("pull") == "pull"
    with pytest.raises(errors.ImageUnavailable):
        images.choose_source("registry")


@pytest.fixture
def no_engine(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///var/run/docker.sock")

    def refuse(*args, **kwargs):
        raise errors.EngineUnreachable("engine-unreachable", url="unix:///var/run/docker.sock")

    monkeypatch.setattr(daemon.Engine, "connect", classmethod(refuse))


def test_no_root_means_advice_not_install(no_engine, monkeypatch):
    monkeypatch.setattr(daemon.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(daemon.sys, "platform", "linux")
    with pytest.raises(errors.EngineUnreachable) as advice:
        daemon.ensure_engine(progress=lambda line: None)
    assert "docker group" in str(advice.value) and "sudo" in str(advice.value)


def test_macos_means_docker_desktop(no_engine, monkeypatch):
    monkeypatch.setattr(daemon.sys, "platform", "darwin")
    with pytest.raises(errors.EngineUnreachable) as advice:
        daemon.ensure_engine(progress=lambda line: None)
    assert "Docker Desktop" in str(advice.value)


def test_remote_docker_host_is_not_started_here(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:1")
    with pytest.raises(errors.EngineUnreachable) as advice:
        daemon.ensure_engine(progress=lambda line: None)
    assert "DOCKER_HOST" in str(advice.value)


def test_an_engine_found_through_a_context_is_not_started_here(monkeypatch, tmp_path):
    import hashlib
    import json

    monkeypatch.delenv("DOCKER_HOST", raising=False)
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    monkeypatch.setenv("DOCKER_CONTEXT", "colima")
    meta = tmp_path / "contexts" / "meta" / hashlib.sha256(b"colima").hexdigest()
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text(json.dumps({"Name": "colima", "Endpoints": {
        "docker": {"Host": f"unix://{tmp_path}/colima.sock"}}}))
    monkeypatch.setattr(daemon.os, "geteuid", lambda: 0)
    with pytest.raises(errors.EngineUnreachable) as advice:
        daemon.ensure_engine(progress=lambda line: None)
    assert f"{tmp_path}/colima.sock" in str(advice.value) and "docker context use" in str(advice.value)


def test_other_distribution_without_dockerd(no_engine, monkeypatch):
    monkeypatch.setattr(daemon.sys, "platform", "linux")
    monkeypatch.setattr(daemon.os, "geteuid", lambda: 0)
    monkeypatch.setattr(daemon.shutil, "which", lambda name: None)
    with pytest.raises(errors.EngineUnreachable) as advice:
        daemon.ensure_engine(progress=lambda line: None)
    assert "docs.docker.com/engine/install" in str(advice.value)


def test_doctor_report_text():
    report = health.Report([health.Check("engine", "ok", "Docker 27, API 1.47"),
                            health.Check("images", "fail", "dockerlab/busybox:latest is missing", "Run setup.")])
    assert not report.ok and report["images"].status == "fail"
    assert str(report).splitlines() == ["dockerlab doctor", "  ✔ engine      Docker 27, API 1.47",
                                        "  ✘ images      dockerlab/busybox:latest is missing", "", "Run setup."]
    report.checks[1] = health.Check("multi-host", "warn", "no nodes")
    assert report.ok and str(report).endswith("The course can run here.")


def test_cli_turns_errors_into_one_paragraph(monkeypatch, capsys):
    def broken(args):
        raise errors.EngineUnreachable("engine-start-desktop")

    monkeypatch.setattr("dockerlab.commands.cli._doctor", broken)
    assert main(["doctor"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dockerlab doctor: No Docker engine is running.") and "Traceback" not in err

    def bug(args):
        raise ValueError("boom")

    monkeypatch.setattr("dockerlab.commands.cli._doctor", bug)
    assert main(["doctor"]) == 3
    assert "unexpected error (ValueError: boom)" in capsys.readouterr().err


def test_debootstrap_shows_a_progress_bar_at_each_stage(tmp_path):
    from dockerlab.engine import images

    script = tmp_path / "debootstrap"
    script.write_text("#!/bin/sh\nfor line in 'I: Retrieving InRelease' 'I: Validating a' 'I: Retrieving b' "
                      "'I: Validating b' 'I: Extracting a' 'I: Unpacking a' 'I: Configuring a' "
                      "'I: Base system installed successfully.'; do echo \"$line\"; done\n")
    script.chmod(0o755)
    seen: list[str] = []
    images.run_in_phases([str(script)], seen.append)
    assert seen == ["  [###---------------------] 1/8 retrieving", "  [######------------------] 2/8 validating",
                    "  [############------------] 4/8 extracting", "  [##################------] 6/8 unpacking",
                    "  [#####################---] 7/8 configuring", "  [########################] 8/8 base"]
