"""The lab's images, made with no registry or pulled where one answers.

``dockerlab/busybox`` is built ``FROM scratch`` around the host's static
busybox (Debian's ``busybox-static``) or, on a machine without one, from
the public ``busybox`` image. Either way it has the same tag and labels,
so lessons never care which way was used.
"""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import struct
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import errors, labels
from ..text import say
from .calls import EngineCalls

RECIPE_VERSION = "busybox-1"
HOST_BUSYBOX = Path(os.environ.get("DOCKERLAB_BUSYBOX", "/bin/busybox"))

SCRATCH_DOCKERFILE = """\
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox mkdir -p /usr/bin /sbin /usr/sbin /etc /tmp /root /var/www \\
 && /bin/busybox --install -s \\
 && echo 'root:x:0:0:root:/root:/bin/sh' > /etc/passwd \\
 && echo 'root:x:0:' > /etc/group && chmod 1777 /tmp"]
CMD ["sh"]
"""

PULLED_DOCKERFILE = f"""\
FROM {labels.PUBLIC_BUSYBOX}
RUN mkdir -p /var/www
CMD ["sh"]
"""


@dataclass(frozen=True)
class Made:
    """What :func:`ensure_images` did for one image."""

    tag: str
    how: str  # "present", "build" or "pull"


def is_static_executable(path: Path) -> bool:
    """Whether ``path`` is an ELF executable with no dynamic loader (no PT_INTERP)."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if data[:4] != b"\x7fELF" or data[4] != 2:  # 64-bit only
        return False
    endian = "<" if data[5] == 1 else ">"
    phoff, = struct.unpack_from(endian + "Q", data, 0x20)
    phentsize, phnum = struct.unpack_from(endian + "HH", data, 0x36)
    for index in range(phnum):
        ptype, = struct.unpack_from(endian + "I", data, phoff + index * phentsize)
        if ptype == 3:  # PT_INTERP
            return False
    return True


def _tar_context(files: dict[str, bytes], modes: dict[str, int] | None = None) -> io.BytesIO:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mode = (modes or {}).get(name, 0o644)
            tar.addfile(info, io.BytesIO(content))
    buffer.seek(0)
    return buffer


def choose_source(requested: str = "auto") -> str:
    """``build`` when the host has a static busybox, else ``pull``; or what was asked."""
    if requested in ("build", "pull"):
        return requested
    if requested != "auto":
        raise errors.ImageUnavailable("image-source-unknown", source=requested)
    return "build" if is_static_executable(HOST_BUSYBOX) else "pull"


def _build_busybox(engine: EngineCalls, source: str, progress: Callable[[str], None]) -> None:
    # No MANAGED label on the image: containers inherit image labels, and a
    # container a learner runs from this image in a terminal is theirs.
    image_labels = {labels.RECIPE: RECIPE_VERSION, labels.SOURCE: source}
    if source == "build":
        if not is_static_executable(HOST_BUSYBOX):
            raise errors.ImageUnavailable("busybox-static-missing", path=HOST_BUSYBOX)
        binary = HOST_BUSYBOX.read_bytes()
        progress(say("image-building-scratch", tag=labels.BUSYBOX_IMAGE, busybox=HOST_BUSYBOX,
                     digest=hashlib.sha256(binary).hexdigest()[:12]))
        context = _tar_context({"Dockerfile": SCRATCH_DOCKERFILE.encode(), "busybox": binary},
                               {"busybox": 0o755})
    else:
        progress(f"$ docker pull {labels.PUBLIC_BUSYBOX}")
        engine.pull(labels.PUBLIC_BUSYBOX, progress)
        context = _tar_context({"Dockerfile": PULLED_DOCKERFILE.encode()})
    engine.build(context, labels.BUSYBOX_IMAGE, image_labels, progress)


def _current(engine: EngineCalls, tag: str, recipe: str) -> bool:
    """Whether ``tag`` is there, made by the course with ``recipe``.

    An image with the lab's tag that the course did not make is the learner's: never replaced.
    """
    present = engine.image(tag)
    if present is None:
        return False
    image_labels = labels.of(present)
    if labels.RECIPE not in image_labels:
        raise errors.NotTheLabs("not-the-labs", kind=say("kind-images-one"), name=tag)
    return image_labels[labels.RECIPE] == recipe


def ensure_images(engine: EngineCalls, source: str = "auto", force: bool = False,
                  progress: Callable[[str], None] = print) -> list[Made]:
    """Make sure every lab image exists. Similar to ``docker build -t dockerlab/busybox``.

    An image already made by the course with the current recipe is kept, so
    a second run is instant. An image with the lab's tag that the course did
    not make is the learner's, and is never replaced.
    """
    if _current(engine, labels.BUSYBOX_IMAGE, RECIPE_VERSION) and not force:
        return [Made(labels.BUSYBOX_IMAGE, "present")]
    how = choose_source(os.environ.get("DOCKERLAB_IMAGE_SOURCE", source) if source == "auto" else source)
    _build_busybox(engine, how, progress)
    progress(say("image-ready", tag=labels.BUSYBOX_IMAGE, how=say(f"doctor-image-source-{how}")))
    return [Made(labels.BUSYBOX_IMAGE, how)]


NODE_IMAGE = "dockerlab/node:latest"
NODE_RECIPE = "node-1"
NODE_PACKAGES = "docker.io,iproute2,iptables,tcpdump,procps"
PUBLIC_DIND = "docker:dind"


DEBOOTSTRAP_STAGES = ("Retrieving", "Validating", "Chosen", "Extracting", "Installing", "Unpacking", "Configuring",
                      "Base")
"""debootstrap's stages, in the order it reaches them (its ``I: STAGE ...`` lines; a package at a time within one)."""


def progress_bar(done: int, total: int, width: int = 24) -> str:
    """``[######------------------] 2/8``: how far a build has come, as a line of text."""
    filled = round(width * done / total)
    return f"[{'#' * filled}{'-' * (width - filled)}] {done}/{total}"


def run_in_phases(command: list[str], progress: Callable[[str], None], tag: str = NODE_IMAGE) -> None:
    """Run debootstrap, reporting a progress bar at each stage it reaches (it prints hundreds of lines).

    A failure is an :class:`~dockerlab.errors.ImageUnavailable` for ``tag``, with the output's last lines.
    """
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    reached, tail = 0, list[str]()
    for line in process.stdout or ():
        tail = [*tail, line.rstrip()][-10:]
        words = line.split()
        stage = words[1] if len(words) > 1 and words[0] == "I:" else ""
        if stage in DEBOOTSTRAP_STAGES and DEBOOTSTRAP_STAGES.index(stage) + 1 > reached:
            reached = DEBOOTSTRAP_STAGES.index(stage) + 1
            progress(f"  {progress_bar(reached, len(DEBOOTSTRAP_STAGES))} {stage.lower()}")
    if process.wait() != 0:
        raise errors.ImageUnavailable("image-build-failed", tag=tag, message="\n".join(tail))


def debootstrap_image(engine: EngineCalls, tag: str, packages: str, changes: list[str],
                      progress: Callable[[str], None]) -> None:
    """Make an image from Debian packages with no registry. Similar to ``debootstrap`` + ``docker import``."""
    if os.geteuid() != 0:
        raise errors.ImageUnavailable("node-image-needs-root")
    if shutil.which("debootstrap") is None:
        progress("$ apt-get install -y debootstrap")
        done = subprocess.run(["apt-get", "install", "-y", "-qq", "debootstrap"], capture_output=True, text=True)
        if done.returncode != 0:
            raise errors.ImageUnavailable("image-build-failed", tag=tag, message=done.stdout[-500:])
    with tempfile.TemporaryDirectory(prefix="dockerlab-image-") as work:
        root = os.path.join(work, "root")
        progress(say("image-building-debian", tag=tag,
                     command=f"debootstrap --variant=minbase --include={packages} bookworm"))
        run_in_phases(["debootstrap", "--variant=minbase", f"--include={packages}", "bookworm", root],
                       progress, tag)
        shutil.rmtree(os.path.join(root, "var/cache/apt/archives"), ignore_errors=True)
        archive = os.path.join(work, "root.tar")
        progress(f"$ tar -C ROOT -c . | docker import - {tag}")
        with tarfile.open(archive, "w") as tar:
            tar.add(root, arcname=".")
        engine.import_image(archive, tag, changes=changes)


def _build_node_from_debian(engine: EngineCalls, progress: Callable[[str], None]) -> None:
    debootstrap_image(engine, NODE_IMAGE, NODE_PACKAGES,
                      ['CMD ["dockerd"]', f"LABEL {labels.RECIPE}={NODE_RECIPE}", f"LABEL {labels.SOURCE}=build"],
                      progress)


def _build_node_from_dind(engine: EngineCalls, progress: Callable[[str], None]) -> None:
    progress(f"$ docker pull {PUBLIC_DIND}")
    engine.pull(PUBLIC_DIND, progress)
    context = _tar_context({"Dockerfile": f'FROM {PUBLIC_DIND}\nCMD ["dockerd"]\n'.encode()})
    engine.build(context, NODE_IMAGE, {labels.RECIPE: NODE_RECIPE, labels.SOURCE: "pull"}, progress)


def ensure_node_image(engine: EngineCalls, source: str = "auto", force: bool = False,
                      progress: Callable[[str], None] = print) -> Made:
    """Make the image of a lab Docker host: Debian's docker.io, iproute2, iptables and tcpdump.

    Built with ``debootstrap`` where this machine can (root on Debian/Ubuntu; no registry needed),
    else made from the public ``docker:dind`` image. Similar to ``docker import`` / ``docker build``.
    """
    if _current(engine, NODE_IMAGE, NODE_RECIPE) and not force:
        return Made(NODE_IMAGE, "present")
    how = source if source in ("build", "pull") else (
        "build" if os.geteuid() == 0 and (shutil.which("debootstrap") or shutil.which("apt-get")) else "pull")
    progress(say("node-image-first-time", tag=NODE_IMAGE))
    (_build_node_from_debian if how == "build" else _build_node_from_dind)(engine, progress)
    progress(say("image-ready", tag=NODE_IMAGE, how=say(f"doctor-image-source-{how}")))
    return Made(NODE_IMAGE, how)
