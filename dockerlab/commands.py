"""Run the ``docker`` commands a lesson shows, through the course.

A lesson writes ``lab.docker("run -d --name c1 --network labnet dockerlab/busybox sleep 1d")``:
the learner sees the exact command they would type in a terminal, and the
course runs it through the engine API so that everything it creates carries
the lesson's labels. Only the commands and options the course teaches are
understood; anything else is refused with a message that says so.
"""
from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from typing import Any

from . import errors

BUILT_IN_NETWORKS = ("bridge", "host", "none")


@dataclass
class Parsed:
    """A docker command split into its words, options and arguments."""

    verb: str
    options: dict[str, Any] = field(default_factory=dict)
    arguments: list[str] = field(default_factory=list)


# verb -> {option spelling: (canonical name, takes a value, repeatable)}
_RUN = {
    "-d": ("detach", False, False), "--detach": ("detach", False, False),
    "--name": ("name", True, False),
    "--network": ("network", True, False), "--net": ("network", True, False),
    "--ip": ("ip", True, False),
    "--network-alias": ("alias", True, True), "--net-alias": ("alias", True, True),
    "--link": ("link", True, True),
    "-p": ("publish", True, True), "--publish": ("publish", True, True),
    "--dns": ("dns", True, True),
    "-h": ("hostname", True, False), "--hostname": ("hostname", True, False),
    "-e": ("env", True, True), "--env": ("env", True, True),
    "--cap-add": ("cap_add", True, True),
    "--rm": ("rm", False, False),
}
_FORMAT = {"-f": ("format", True, False), "--format": ("format", True, False)}
GRAMMAR: dict[str, dict[str, tuple[str, bool, bool]]] = {
    "run": _RUN,
    "exec": {},
    "rm": {"-f": ("force", False, False), "--force": ("force", False, False)},
    "stop": {"-t": ("time", True, False), "--time": ("time", True, False)},
    "start": {},
    "logs": {},
    "inspect": _FORMAT,
    "network create": {
        "-d": ("driver", True, False), "--driver": ("driver", True, False),
        "--subnet": ("subnet", True, False), "--gateway": ("gateway", True, False),
        "--ip-range": ("ip_range", True, False),
        "-o": ("opt", True, True), "--opt": ("opt", True, True),
        "--internal": ("internal", False, False), "--attachable": ("attachable", False, False),
    },
    "network connect": {"--ip": ("ip", True, False), "--alias": ("alias", True, True)},
    "network disconnect": {"-f": ("force", False, False), "--force": ("force", False, False)},
    "network rm": {},
    "network inspect": _FORMAT,
}
# Verbs whose arguments after the first are the command to run inside (its options are not ours).
_COMMAND_FOLLOWS = {"run": 1, "exec": 1}


def parse(command: str) -> Parsed:
    """Split ``docker ...`` into verb, options and arguments, the way the docker CLI does."""
    words = shlex.split(command)
    if words and words[0] == "docker":
        words = words[1:]
    if not words:
        raise errors.UnsupportedCommand("command-empty")
    verb = words[0]
    rest = words[1:]
    if verb == "network":
        if not rest:
            raise errors.UnsupportedCommand("command-unknown", command=command, known=_known())
        verb, rest = f"network {rest[0]}", rest[1:]
    if verb not in GRAMMAR:
        raise errors.UnsupportedCommand("command-unknown", command=command, known=_known())
    grammar = GRAMMAR[verb]
    parsed = Parsed(verb)
    index = 0
    while index < len(rest):
        word = rest[index]
        stop_after = _COMMAND_FOLLOWS.get(verb)
        if stop_after is not None and len(parsed.arguments) >= stop_after:
            parsed.arguments.append(word)
            index += 1
            continue
        if word.startswith("-") and word != "-":
            spelling, has_inline, inline = word.partition("=")
            if spelling in ("-it", "-ti", "-i", "-t", "--interactive", "--tty") and verb in ("run", "exec"):
                raise errors.UnsupportedCommand("command-interactive", command=command)
            if spelling not in grammar:
                raise errors.UnsupportedCommand("option-unknown", option=spelling, verb=verb,
                                                known=", ".join(sorted(grammar)) or "-")
            name, takes_value, repeatable = grammar[spelling]
            if takes_value:
                if has_inline:
                    value = inline
                else:
                    index += 1
                    if index >= len(rest):
                        raise errors.UnsupportedCommand("option-needs-value", option=spelling)
                    value = rest[index]
            else:
                value = True
            if repeatable:
                parsed.options.setdefault(name, []).append(value)
            else:
                parsed.options[name] = value
        else:
            parsed.arguments.append(word)
        index += 1
    return parsed


def _known() -> str:
    return ", ".join(f"docker {verb}" for verb in GRAMMAR)


def parse_publish(specs: list[str]) -> dict:
    """``-p [IP:]HOST:CONTAINER[/proto]`` options as the engine's port bindings."""
    bindings: dict[str, Any] = {}
    for spec in specs:
        spec, _, proto = spec.partition("/")
        parts = spec.split(":")
        if len(parts) == 1:
            host_ip, host_port, container_port = None, None, parts[0]
        elif len(parts) == 2:
            host_ip, (host_port, container_port) = None, parts
        elif len(parts) == 3:
            host_ip, host_port, container_port = parts
        else:
            raise errors.UnsupportedCommand("option-bad-value", option="-p", value=spec)
        key = f"{container_port}/{proto or 'tcp'}"
        if host_ip:
            bindings[key] = (host_ip, int(host_port)) if host_port else (host_ip,)  # (ip,): any free port
        else:
            bindings[key] = int(host_port) if host_port else None
    return bindings


def parse_links(specs: list[str]) -> dict[str, str]:
    """``--link NAME[:ALIAS]`` options as the engine's links."""
    links = {}
    for spec in specs:
        name, _, alias = spec.partition(":")
        links[name] = alias or name
    return links


def parse_options(specs: list[str]) -> dict[str, str]:
    """``-o key=value`` options as a dict."""
    options = {}
    for spec in specs:
        key, sep, value = spec.partition("=")
        if not sep:
            raise errors.UnsupportedCommand("option-bad-value", option="-o", value=spec)
        options[key] = value
    return options


def nslookup_addresses(output: str) -> list[str]:
    """The addresses in busybox ``nslookup`` output, sorted (its own order changes from run to run)."""
    return sorted({line.split()[1] for line in output.splitlines()
                   if line.startswith("Address:") and not line.split()[1].endswith(":53")})


_FIELD = re.compile(r"\{\{\s*(json\s+)?\.([^}\s]*)\s*\}\}")
_RANGE = re.compile(r"\{\{\s*range\s+\.([^}\s]*)\s*\}\}(.*?)\{\{\s*end\s*\}\}", re.S)


def _value_at(document: Any, path: str) -> Any:
    value = document
    for key in filter(None, path.split(".")):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _fill_fields(template: str, document: Any) -> str:
    def replace(match: re.Match) -> str:
        value = _value_at(document, match.group(2))
        if match.group(1) or isinstance(value, (dict, list)):
            return json.dumps(value, separators=(",", ":"))
        if value is None:
            return "<no value>"
        return str(value).lower() if isinstance(value, bool) else str(value)

    return _FIELD.sub(replace, template)


def render_format(template: str, document: Any) -> str:
    """Fill a ``--format`` template as the docker CLI does.

    Understood: ``{{.A.B}}``, ``{{json .A.B}}`` and ``{{range .List}}...{{end}}``
    (fields inside a range are relative to each element).
    """
    leftover = _FIELD.sub("", _RANGE.sub("", template))
    if "{{" in leftover:
        raise errors.UnsupportedCommand("format-unknown", template=template)

    def each(match: re.Match) -> str:
        items = _value_at(document, match.group(1))
        if isinstance(items, dict):
            items = list(items.values())
        return "".join(_fill_fields(match.group(2), item) for item in items or [])

    return _fill_fields(_RANGE.sub(each, template), document)
