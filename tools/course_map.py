"""The course map: every topic of the learner's notes, and the lesson section that shows it live.

    python tools/course_map.py          # print the map
    python tools/course_map.py --write  # write it into README.md and notebooks/index.ipynb

Each entry names a lesson and one of its section headings; the tests check that the heading exists
and that README.md and notebooks/index.ipynb carry exactly this map.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- course map: begin -->", "<!-- course map: end -->"

# (what the notes say, in their words; lesson notebook; section heading in it)
MAP = [
    ("Docker networks connect containers through network drivers", "03-drivers", "7. Which one when?"),
    ("docker0: the default virtual Ethernet bridge", "01-default-bridge", "1. docker0, the default bridge"),
    ("docker0 has the address 172.17.0.1", "01-default-bridge", "1. docker0, the default bridge"),
    ("172.17.0.0/16 \"CIDER\" range; /16 = 65,536 addresses", "01-default-bridge", "2. How big is the pool?"),
    ("every container joins docker0 unless told otherwise", "01-default-bridge", "3. Who hands out the addresses?"),
    ("docker0 assigns addresses by DHCP (not so)", "01-default-bridge", "3. Who hands out the addresses?"),
    ("addresses come in order", "01-default-bridge", "3. Who hands out the addresses?"),
    ("how many containers one bridge holds", "01-default-bridge", "4. How many containers fit on one bridge?"),
    ("docker0 works as a software switch", "02-veth-pairs", "2. The bridge's ports"),
    ("vethXXXX is paired with the container's eth0 (\"ehe0\")", "02-veth-pairs", "1. Both ends of the cable"),
    ("eth0 uses docker0 as its gateway; the host's network card (enp0s8)", "02-veth-pairs",
     "3. The way out, the picture, and the path of a ping"),
    ("drivers are chosen with --net / --network", "03-drivers", "1. bridge (the default)"),
    ("bridge driver: containers on one host", "03-drivers", "1. bridge (the default)"),
    ("host driver: no isolation, the host's ports", "03-drivers", "2. host: no isolation"),
    ("none driver: only the \"Io\" (lo) interface", "03-drivers", "3. none: only `lo`"),
    ("container:NAME shares IP and MAC", "03-drivers", "4. container:NAME — one shared stack"),
    ("macvlan: a container's own MAC on the physical network", "03-drivers",
     "5. macvlan: a MAC address of its own on a parent link"),
    ("overlay: Docker engines on different servers, swarm", "03-drivers", "6. overlay: a first look"),
    ("a container's network stack: a network namespace (SandboxKey, nsenter, host mode, container:)", "12-namespaces",
     "1. A container's stack is a namespace"),
    ("**overlay connects Docker engines on different servers**", "11-overlay",
     "2. An overlay network across the hosts"),
    ("overlay without OS-level routing between containers (VXLAN)", "11-overlay", "3. Inside the wire: VXLAN"),
    ("swarm clusters and services across hosts", "11-overlay", "5. A service over the nodes, and its virtual IP"),
    ("user-defined networks with docker network create", "04-user-networks", "1. The engine picks a range"),
    ("subnets, gateways and fixed addresses on your own network", "04-user-networks",
     "2. Choosing the addresses yourself"),
    ("you can choose an address (--ip needs a network made with --subnet)", "04-user-networks",
     "--ip needs a network created with --subnet"),
    ("networks are separate (isolation)", "04-user-networks", "4. Networks are isolated"),
    ("\"docker connect\" / \"docker disconnect\" add and remove a network card", "05-connect", "2. Connect"),
    ("no names on the default bridge (only addresses)", "06-dns", "1. No names on the default bridge"),
    ("embedded DNS on user-defined networks", "06-dns", "2. Who answers DNS on a user-defined network?"),
    ("--net-alias names", "06-dns", "3. Names and aliases"),
    ("DNS follows changed IPs and new containers", "06-dns", "4. DNS keeps up"),
    ("--link", "06-dns", "5. `--link`: what it writes, and what follows a restart"),
    ("DNS options: --dns, --dns-search, ndots", "06-dns", "6. DNS options: `--dns`, `--dns-search`, `--dns-option`"),
    ("reaching the host from a container: host.docker.internal", "06-dns",
     "7. `host.docker.internal`: a name for the host"),
    ("load balancing with --net-alias and DNS", "07-dns-load-balancing", "2. Who served each request?"),
    ("what DNS balancing cannot do", "07-dns-load-balancing", "4. What DNS round-robin cannot do"),
    ("containers reached from outside: ports", "08-ports-and-nat", "1. Publishing a port"),
    ("who answers a published port: docker-proxy or the DNAT rule", "08-ports-and-nat", "Who answered the host?"),
    ("another machine reaches a published port (DNAT); hairpin", "08-ports-and-nat",
     "4. Another machine visits: the DNAT rule at work"),
    ("published ports and the host's firewall (INPUT vs DOCKER-USER)", "08-ports-and-nat",
     "6. Published ports and the host's firewall"),
    ("containers reaching the outside: NAT", "08-ports-and-nat", "3. Going out: MASQUERADE"),
    ("putting it together: isolated tiers", "09-three-tier", "Step 6 — check every rule"),
    ("what an --internal network still reaches", "09-three-tier", "Step 7 — what an internal network still reaches"),
    ("the loose statements, corrected", "10-myths-and-facts", "10 · Myths and facts"),
    ("IPv6 on a user-defined network", "13-ipv6", "2. A network with both: `--ipv6 --subnet`"),
]


def anchor(heading: str) -> str:
    """JupyterLab's anchor for a heading: spaces become dashes, the rest is kept."""
    return heading.replace(" ", "-")


def headings(lesson: str) -> list[str]:
    """Every markdown heading of a lesson, without its leading #s."""
    notebook = nbformat.read(ROOT / "notebooks" / f"{lesson}.ipynb", as_version=4)
    return [line.lstrip("#").strip() for cell in notebook.cells if cell.cell_type == "markdown"
            for line in cell.source.splitlines() if re.match(r"#{1,6} ", line)]


def table(prefix: str) -> str:
    """The map as a markdown table; ``prefix`` is the path from the page to the notebooks folder."""
    rows = ["| In the notes | Lesson | Where |", "|---|---|---|"]
    for topic, lesson, heading in MAP:
        rows.append(f"| {topic} | [{lesson}]({prefix}{lesson}.ipynb) | "
                    f"[{heading}]({prefix}{lesson}.ipynb#{anchor(heading)}) |")
    return "\n".join(rows)


def readme_section() -> str:
    return f"{BEGIN}\n{table('notebooks/')}\n{END}"


def index_notebook() -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                                        "name": "python3"}, "language_info": {"name": "python"}}
    intro = ("# dockerlab · course map\n\nEvery topic of the notes this course grew from, and the lesson "
             "section that shows it on a real engine. Start with [00 · Welcome](00-welcome.ipynb). The page that "
             "judges each sentence of the notes is [My notes, checked](../notes-checked.md).")
    notebook.cells = [nbformat.v4.new_markdown_cell(intro), nbformat.v4.new_markdown_cell(table(""))]
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"map{number}"
    return notebook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    if not args.write:
        print(table("notebooks/"))
        return 0
    readme = ROOT / "README.md"
    text = readme.read_text()
    text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: readme_section(), text, flags=re.S)
    readme.write_text(text)
    nbformat.write(index_notebook(), ROOT / "notebooks" / "index.ipynb")
    return 0


if __name__ == "__main__":
    sys.exit(main())
