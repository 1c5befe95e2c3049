"""The course in the browser with no server: JupyterLite with Pyodide, replaying the lessons' recordings.

    python tools/lite.py --out build/site/lite      # tools/site.py calls this when JupyterLite is installed

Everything comes from the package registries, nothing from a CDN: JupyterLite and its Pyodide kernel from
PyPI (in a venv of their own, ``build/lite-venv``), Pyodide's runtime from npm (the ``pyodide`` package: the
interpreter and the standard library, but none of the compiled packages that Pyodide's CDN serves), and every
Python package the course needs in the browser as a pure-Python wheel from PyPI. Those wheels are listed in a
Pyodide lock file of our own, served beside the runtime, and loaded when the kernel starts; the kernel never
asks PyPI.

What cannot come: numpy, matplotlib and Pillow are compiled, and PyPI has no WebAssembly wheel of them (their
Pyodide builds exist only on Pyodide's CDN). The course replays without them: the engine's answers come from
the recording (``DOCKERLAB_REPLAY=1``; the recordings travel in a wheel of their own, ``dockerlab_recordings``),
and a drawing shows as its SVG text where no matplotlib is installed (``render.scene.can_draw_png``).
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".venv" / "share" / "dockerlab-site"
BROWSER_PACKAGES = ("ipython==9.12.0", "traitlets==5.14.3", "prompt-toolkit==3.0.52", "matplotlib-inline==0.2.1",
                    "comm", "ipywidgets", "networkx", "docker", "micropip==0.11.1", "packaging")
"""What the course imports in the browser (the docker SDK too: ``dockerlab.engine`` imports it, and it is pure
Python), and micropip, which the kernel loads first; where Pyodide's own lock names a version, that one."""
SITE_PACKAGES = "/lib/python3.14/site-packages"


def pyodide_runtime(version: str, into: Path) -> dict:
    """Pyodide's runtime from npm (``npm pack pyodide@VERSION``) in ``into``; returns its lock file's data."""
    archive = CACHE / f"pyodide-{version}.tgz"
    if not archive.exists():
        archive.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", "--silent", f"pyodide@{version}", "--pack-destination", str(archive.parent)],
                       check=True, capture_output=True)
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if member.isfile() and not member.name.endswith((".map", ".d.ts", ".html")):
                member.name = member.name.removeprefix("package/")
                tar.extract(member, into, filter="data")
    return json.loads((into / "pyodide-lock.json").read_text())


def browser_wheels(into: Path) -> list[Path]:
    """Pure-Python wheels of the course's browser packages and of the course itself, from PyPI and this tree."""
    into.mkdir(parents=True, exist_ok=True)
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "download", "-d", str(into), "--only-binary=:all:", "--python-version", "3.14",
                    "--implementation", "py", "--abi", "none", "--platform", "any", *BROWSER_PACKAGES], check=True)
    for old in into.glob("dockerlab-*.whl"):
        old.unlink()
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(into), str(ROOT)], check=True)
    into.joinpath("dockerlab_recordings-1-py3-none-any.whl").write_bytes(recordings_wheel())
    return sorted(into.glob("*.whl"))


def recordings_wheel() -> bytes:
    """A wheel whose only content is the lessons' and sheets' recordings (``dockerlab_recordings/*.json.gz``)."""
    files = {f"dockerlab_recordings/{path.name}": path.read_bytes()
             for folder in ("notebooks", "exercises") for path in sorted((ROOT / folder / "recordings").glob("*.gz"))}
    files["dockerlab_recordings/__init__.py"] = b'"""The course\'s recordings, for replaying in the browser."""\n'
    info = "dockerlab_recordings-1.dist-info"
    files[f"{info}/METADATA"] = b"Metadata-Version: 2.1\nName: dockerlab-recordings\nVersion: 1\n"
    files[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: dockerlab\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    record = [f"{name},sha256={_digest(content)},{len(content)}" for name, content in files.items()]
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, content in files.items():
            wheel.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


def _digest(content: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()


def lock_entry(wheel: Path) -> tuple[str, dict]:
    """A wheel as Pyodide's lock file names it: its name, the file, its digest and the modules it brings."""
    name, version = wheel.name.split("-")[:2]
    with zipfile.ZipFile(wheel) as archive:
        tops = sorted({entry.split("/")[0].removesuffix(".py") for entry in archive.namelist()
                       if (not entry.split("/")[0].endswith((".dist-info", ".data")) and "/" in entry)
                       or (entry.endswith(".py") and "/" not in entry)})
    key = name.lower().replace("_", "-")
    return key, {"name": key, "version": version, "file_name": wheel.name, "install_dir": "site",
                 "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(), "package_type": "package",
                 "imports": tops, "depends": [], "unvendored_tests": False, "shared_library": False}


LITE_VENV = ROOT / "build" / "lite-venv"
LITE_TOOLS = ("jupyterlite-core==0.8.6", "jupyterlite-pyodide-kernel==0.8.6", "jupyterlab-widgets>=3,<4",
              "jupyter-server>=2,<3")
"""JupyterLite, its Pyodide kernel, the widgets' front end and jupyter-server (with which JupyterLite indexes the
notebooks it serves), in a venv of their own: their JupyterLab extensions would otherwise join the course's own
JupyterLab (a Pyodide kernel in ./lab open)."""


def lite_python() -> Path:
    """The Python of the JupyterLite venv, made (once) with the tools it builds with."""
    python = LITE_VENV / "bin" / "python"
    stamp = LITE_VENV / ".dockerlab-tools"
    if stamp.exists() and stamp.read_text() == " ".join(LITE_TOOLS):
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(LITE_VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *LITE_TOOLS], check=True)
    stamp.write_text(" ".join(LITE_TOOLS))
    return python


def build(out: Path, contents: Path) -> Path:
    """``jupyter lite build`` of ``contents`` into ``out``, with Pyodide and the course's wheels beside it."""
    python = lite_python()
    version = subprocess.run([str(python), "-c", "from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION;"
                              "print(PYODIDE_VERSION)"], check=True, capture_output=True, text=True).stdout.strip()
    work = out.parent / (out.name + "-src")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    wheels = browser_wheels(CACHE / "lite-wheels")
    entries = dict(lock_entry(wheel) for wheel in wheels)
    config = {"jupyter-lite-schema-version": 0, "jupyter-config-data": {
        "appName": "dockerlab", "disabledExtensions": ["@jupyterlab/apputils-extension:announcements"],
        "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": {
            "pyodideUrl": "../static/pyodide/pyodide.mjs", "disablePyPIFallback": True,
            "loadPyodideOptions": {
                "lockFileURL": "static/pyodide/pyodide-lock.json",
                "packages": sorted(name for name in entries if name not in ("micropip", "packaging")),
                "env": {"DOCKERLAB_REPLAY": "1", "DOCKERLAB_RECORDINGS": f"{SITE_PACKAGES}/dockerlab_recordings",
                        "DOCKERLAB_ANSWERS": "/tmp/dockerlab-answers.json", "HOME": "/home/pyodide"}}}}}}
    (work / "jupyter-lite.json").write_text(json.dumps(config, indent=1))
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([str(python), "-m", "jupyterlite_core", "build", "--lite-dir", str(work), "--contents",
                    str(contents), "--output-dir", str(out), "--no-sourcemaps"], check=True, cwd=work)
    runtime = out / "static" / "pyodide"
    lock = pyodide_runtime(version, runtime)
    lock["packages"] = entries
    (runtime / "pyodide-lock.json").write_text(json.dumps(lock))
    for wheel in wheels:
        shutil.copyfile(wheel, runtime / wheel.name)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site" / "lite")
    parser.add_argument("--contents", type=Path, required=True)
    args = parser.parse_args(argv)
    build(args.out, args.contents)
    return 0


if __name__ == "__main__":
    sys.exit(main())
