"""`./lab open` starts JupyterLab without its news pop-up and update check (nothing reaches out)."""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from jupyterlab.labapp import LabApp

ROOT = Path(__file__).resolve().parents[2]
OVERRIDES = ROOT / "tools" / "jupyterlab-overrides.json"
PLUGIN = "@jupyterlab/apputils-extension:notification"
TOKEN = "dockerlab-settings-test"


def _installed_to() -> str:
    """Where ./lab puts the overrides, relative to the Python environment."""
    found = re.search(r'install -D -m 644 (\S+) "\$VENV/([^"]+)"', (ROOT / "lab").read_text())
    assert found and found.group(1) == "tools/jupyterlab-overrides.json", "./lab no longer installs the overrides"
    return found.group(2)


def test_lab_puts_the_overrides_where_jupyterlab_reads_them():
    settings_dir = Path(LabApp().app_settings_dir).relative_to(sys.prefix)
    assert Path(_installed_to()) == settings_dir / "overrides.d" / "dockerlab.json"
    assert "quiet_jupyterlab" in (ROOT / "lab").read_text().split("open_course() {", 1)[1].split("\n}\n", 1)[0]


def test_lab_puts_the_server_settings_where_jupyter_server_reads_them():
    """The websocket ping timeout (tools/jupyter-server-config.json) in the environment's own config folder."""
    import jupyter_core.paths

    lab = (ROOT / "lab").read_text()
    found = re.search(r'install -D -m 644 tools/jupyter-server-config.json "\$VENV/([^"]+)"', lab)
    assert found, "./lab no longer installs the server settings"
    assert Path(found.group(1)) == (Path(jupyter_core.paths.ENV_CONFIG_PATH[0]).relative_to(sys.prefix)
                                    / "jupyter_server_config.json")  # read by the server itself, not only extensions
    settings = json.loads((ROOT / "tools" / "jupyter-server-config.json").read_text())
    tornado = settings["ServerApp"]["tornado_settings"]
    # jupyter_server's kernel websocket (base/websocket.py, send_ping) closes the connection when, at a ping's turn,
    # no pong came for ws_ping_timeout ms, counted from the connection's start: a timeout no longer than the
    # interval closes every connection at its first turn that comes a moment late (a busy machine), before any
    # ping was sent. Its default, 3 intervals, is kept; tornado 6.5's complaint about it is left unsaid (below).
    assert tornado["ws_ping_timeout"] == 3 * tornado["ws_ping_interval"] == 90000
    assert settings["ServerApp"]["logging_config"]["loggers"]["tornado.general"] == {"level": "ERROR"}


def test_the_server_takes_the_ping_timeout_from_that_file(tmp_path):
    shutil.copy(ROOT / "tools" / "jupyter-server-config.json", tmp_path / "jupyter_server_config.json")
    read = ("from jupyter_server.serverapp import ServerApp; app = ServerApp(); "
            "app.initialize(argv=['--no-browser', '--port=0', '--allow-root']); "
            "print(app.web_app.settings.get('ws_ping_interval'), app.web_app.settings.get('ws_ping_timeout'))")
    done = subprocess.run([sys.executable, "-c", read], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path), "JUPYTER_RUNTIME_DIR": str(tmp_path)})
    assert done.stdout.split()[-2:] == ["30000", "90000"], done.stdout + done.stderr


def test_the_served_settings_say_never_fetch_news(tmp_path):
    app_settings = tmp_path / "app-settings"
    (app_settings / "overrides.d").mkdir(parents=True)
    shutil.copy(OVERRIDES, app_settings / "overrides.d" / "dockerlab.json")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={TOKEN}",
         f"--ServerApp.root_dir={tmp_path}", f"--LabApp.app_settings_dir={app_settings}",
         f"--LabApp.user_settings_dir={tmp_path / 'user-settings'}",
         f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")})  # nothing left in the home folder
    try:
        url = f"http://127.0.0.1:{port}/lab/api/settings/{PLUGIN}?token={TOKEN}"
        deadline, answer = time.monotonic() + 60, None
        while answer is None and time.monotonic() < deadline and server.poll() is None:
            try:
                answer = json.load(urllib.request.urlopen(url, timeout=2))
            except OSError:
                time.sleep(0.3)
        assert answer is not None, "JupyterLab did not start"
        served = answer["schema"]["properties"]  # overrides reach the page as the settings' defaults
        assert served["fetchNews"]["default"] == "false" and served["checkForUpdates"]["default"] is False
        assert answer["settings"] == {}  # nobody's own choice hides them
        shipped = json.loads((Path(LabApp().schemas_dir) / "@jupyterlab" / "apputils-extension" /
                              "notification.json").read_text())["properties"]
        assert shipped["fetchNews"]["default"] == "none"  # without them: the pop-up that asks
    finally:
        server.terminate()
        server.wait(10)


def test_a_kernel_connection_stays_open_and_the_log_quiet_with_those_settings(tmp_path):
    """The file's settings, on a shorter clock (its ratio of timeout to interval): a client that answers pings keeps
    its kernel websocket past several ping turns, and the server logs neither a ping timeout nor tornado's
    complaint. With the timeout equal to the interval, the same connection is closed at the first turn."""
    import asyncio
    import contextlib
    import uuid

    from tornado.websocket import websocket_connect

    settings = json.loads((ROOT / "tools" / "jupyter-server-config.json").read_text())
    tornado = settings["ServerApp"]["tornado_settings"]
    ratio = tornado["ws_ping_timeout"] / tornado["ws_ping_interval"]

    def connect_for(seconds: float, interval_ms: int, timeout_ms: int) -> str:
        config = tmp_path / f"config-{timeout_ms}"
        config.mkdir()
        scaled = json.loads(json.dumps(settings))
        scaled["ServerApp"]["tornado_settings"] = {"ws_ping_interval": interval_ms, "ws_ping_timeout": timeout_ms}
        (config / "jupyter_server_config.json").write_text(json.dumps(scaled))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        log = tmp_path / f"server-{timeout_ms}.log"
        with open(log, "w") as written:
            server = subprocess.Popen(
                [sys.executable, "-m", "jupyter_server", "--no-browser", "--allow-root", "--ip=127.0.0.1",
                 f"--port={port}", "--port-retries=0", f"--IdentityProvider.token={TOKEN}",
                 f"--ServerApp.root_dir={tmp_path}"], stdout=written, stderr=subprocess.STDOUT,
                env={**os.environ, "JUPYTER_CONFIG_DIR": str(config), "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt")})
        base = f"127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    urllib.request.urlopen(f"http://{base}/api/status?token={TOKEN}", timeout=2)
                    break
                except OSError:
                    time.sleep(0.3)
            started = urllib.request.Request(f"http://{base}/api/kernels?token={TOKEN}", data=b"{}", method="POST")
            kernel = json.load(urllib.request.urlopen(started, timeout=60))["id"]

            async def stay() -> None:
                socket_ = await websocket_connect(
                    f"ws://{base}/api/kernels/{kernel}/channels?token={TOKEN}&session_id={uuid.uuid4()}")
                end = time.monotonic() + seconds
                while time.monotonic() < end:  # reading, as a page does: pings are answered
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(socket_.read_message(), 0.5)
                socket_.close()

            asyncio.run(stay())
        finally:
            server.terminate()
            server.wait(20)
        return log.read_text()

    kept = connect_for(7, 2000, int(2000 * ratio))
    assert "WebSocket ping timeout" not in kept and "cannot be longer" not in kept, kept[-2000:]
    assert "WebSocket ping timeout" in connect_for(5, 2000, 2000)  # what the file must not say
