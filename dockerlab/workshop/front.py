"""The workshop's front door: Caddy (Debian's ``caddy``) on the host, in front of the hub's proxy.

Two origins on one address: the hub and the learners' JupyterLabs on ``PORT``, the instructor's room on
``PORT + 1`` — so a page a learner serves from their own server can never read or drive the room. With
``--listen ADDRESS`` (not loopback) both are HTTPS, with the instructor's certificate or a self-signed one
whose SHA-256 fingerprint ``up`` prints for the room to compare. Similar to ``caddy run --config Caddyfile``.
"""
from __future__ import annotations

import datetime
import hashlib
import ipaddress
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from .. import errors
from .engine import PUBLIC_ADDRESS


def ensure_caddy(progress) -> str:
    """The path of ``caddy``; installed from Debian (``apt-get install caddy``) if missing."""
    found = shutil.which("caddy")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        progress("$ apt-get install -y caddy")
        done = subprocess.run(["apt-get", "install", "-y", "-qq", "caddy"], capture_output=True, text=True,
                              env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        installed = shutil.which("caddy")
        if done.returncode == 0 and installed:
            return installed
    raise errors.NotFound("workshop-caddy-missing")


def self_signed(state: Path, address: str) -> tuple[Path, Path]:
    """A certificate for ``address`` (an IP or a name), valid for 30 days, and its key (0600)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    try:
        alternative: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(address))
    except ValueError:
        alternative = x509.DNSName(address)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"dockerlab workshop {address}")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
                   .not_valid_after(now + datetime.timedelta(days=30))
                   .add_extension(x509.SubjectAlternativeName([alternative]), critical=False)
                   .sign(key, hashes.SHA256()))
    cert_file, key_file = state / "tls.crt", state / "tls.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    with open(os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        out.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    return cert_file, key_file


def fingerprint(cert_file: Path) -> str:
    """``AB:CD:...``: the certificate's SHA-256, as a browser shows it."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    certificate = x509.load_pem_x509_certificate(cert_file.read_bytes())
    digest = hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest()
    return ":".join(digest[i:i + 2] for i in range(0, 64, 2)).upper()


def caddyfile(address: str, port: int, room_port: int, proxy_port: int, tls: tuple[Path, Path] | None) -> str:
    """The two sites: the hub (the room's page sent to its own origin), and the room (only the room's page)."""
    scheme = "https" if tls else "http"
    host = f"[{address}]" if ":" in address else address
    secure = f"\ttls {tls[0]} {tls[1]}\n" if tls else ""
    upstream = f"reverse_proxy {PUBLIC_ADDRESS}:{proxy_port}"
    return (f"{{\n\tadmin off\n\tauto_https off\n}}\n"
            f"{scheme}://{host}:{port} {{\n\tbind {address}\n{secure}"
            f"\thandle /services/progress* {{\n\t\tredir {scheme}://{host}:{room_port}{{uri}}\n\t}}\n"
            f"\thandle {{\n\t\t{upstream}\n\t}}\n}}\n"
            f"{scheme}://{host}:{room_port} {{\n\tbind {address}\n{secure}"
            f"\thandle /services/progress/* {{\n\t\t{upstream}\n\t}}\n"
            f"\thandle {{\n\t\tredir * /services/progress/\n\t}}\n}}\n")


def start(state: Path, caddy: str, config: str, timeout: float = 30) -> None:
    """Start Caddy with ``config`` (its log: ``front.log``); waits until it has read it."""
    (state / "Caddyfile").write_text(config)
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(state), "XDG_DATA_HOME": str(state / "caddy"),
           "XDG_CONFIG_HOME": str(state / "caddy")}
    with open(state / "front.log", "ab") as log:
        front = subprocess.Popen([caddy, "run", "--adapter", "caddyfile", "--config", str(state / "Caddyfile")],
                                 stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True, cwd=state)
    (state / "front.pid").write_text(str(front.pid))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if front.poll() is not None:
            raise errors.CommandRefused("workshop-front-failed", log=(state / "front.log").read_text()[-1200:])
        if b"serving initial configuration" in (state / "front.log").read_bytes():
            return
        time.sleep(0.2)
    raise errors.CommandRefused("workshop-front-failed", log=(state / "front.log").read_text()[-1200:])


def stop(state: Path) -> None:
    try:
        pid = int((state / "front.pid").read_text())
        os.kill(pid, signal.SIGTERM)
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
