"""The course map: every topic of the learner's notes, and the lesson section that shows it live — in both editions.

    python tools/course_map.py          # print the map
    python tools/course_map.py --write  # write it into README.md, notebooks/index.ipynb and ko/notebooks/index.ipynb

Each entry names a lesson and one of its section headings (in English); the Korean map links the same
section by its Korean heading, read from the Korean notebook (the heading in the cell with the same id), so
nothing of the map is translated by hand but what the notes say. The tests check that every heading exists
and that README.md and both index notebooks carry exactly this map.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- course map: begin -->", "<!-- course map: end -->"

# (what the notes say, in English; lesson notebook; its section heading in English; what the notes say, in Korean)
MAP = [
    ("Docker networks connect containers through network drivers", "03-drivers", "7. Which one when?",
     "Docker 네트워크는 네트워크 드라이버로 컨테이너를 연결한다"),
    ("docker0: the default virtual Ethernet bridge", "01-default-bridge", "1. docker0, the default bridge",
     "docker0: 기본 가상 이더넷 브리지"),
    ("docker0 has the address 172.17.0.1", "01-default-bridge", "1. docker0, the default bridge",
     "docker0의 주소는 172.17.0.1"),
    ("172.17.0.0/16 \"CIDER\" range; /16 = 65,536 addresses", "01-default-bridge", "2. How big is the pool?",
     "172.17.0.0/16 \"CIDER\" 범위, /16 = 주소 65,536개"),
    ("every container joins docker0 unless told otherwise", "01-default-bridge", "3. Who hands out the addresses?",
     "따로 지정하지 않으면 모든 컨테이너가 docker0에 연결된다"),
    ("docker0 assigns addresses by DHCP (not so)", "01-default-bridge", "3. Who hands out the addresses?",
     "docker0가 DHCP로 주소를 할당한다(사실이 아님)"),
    ("addresses come in order", "01-default-bridge", "3. Who hands out the addresses?",
     "주소는 순서대로 받는다"),
    ("how many containers one bridge holds", "01-default-bridge", "4. How many containers fit on one bridge?",
     "브리지 하나에 컨테이너가 몇 개 들어가는가"),
    ("docker0 works as a software switch", "02-veth-pairs", "2. The bridge's ports",
     "docker0는 소프트웨어 스위치로 동작한다"),
    ("vethXXXX is paired with the container's eth0 (\"ehe0\")", "02-veth-pairs", "1. Both ends of the cable",
     "vethXXXX는 컨테이너의 eth0(\"ehe0\")와 쌍을 이룬다"),
    ("eth0 uses docker0 as its gateway; the host's network card (enp0s8)", "02-veth-pairs",
     "3. The way out, the picture, and the path of a ping",
     "eth0는 docker0를 게이트웨이로 쓴다. 호스트의 네트워크 카드(enp0s8)"),
    ("drivers are chosen with --net / --network", "03-drivers", "1. bridge (the default)",
     "드라이버는 --net / --network로 고른다"),
    ("bridge driver: containers on one host", "03-drivers", "1. bridge (the default)",
     "bridge 드라이버: 한 호스트 위의 컨테이너"),
    ("host driver: no isolation, the host's ports", "03-drivers", "2. host: no isolation",
     "host 드라이버: 격리 없음, 호스트의 포트"),
    ("none driver: only the \"Io\" (lo) interface", "03-drivers", "3. none: only `lo`",
     "none 드라이버: \"Io\"(lo) 인터페이스만"),
    ("container:NAME shares IP and MAC", "03-drivers", "4. container:NAME — one shared stack",
     "container:NAME은 IP와 MAC을 공유한다"),
    ("macvlan: a container's own MAC on the physical network", "03-drivers",
     "5. macvlan: a MAC address of its own on a parent link",
     "macvlan: 물리 네트워크 위의 컨테이너 자신의 MAC"),
    ("overlay: Docker engines on different servers, swarm", "03-drivers", "6. overlay: a first look",
     "overlay: 서로 다른 서버의 Docker 엔진, 스웜"),
    ("a container's network stack: a network namespace (SandboxKey, nsenter, host mode, container:)", "12-namespaces",
     "1. A container's stack is a namespace",
     "컨테이너의 네트워크 스택: 네트워크 네임스페이스(SandboxKey, nsenter, host 모드, container:)"),
    ("**overlay connects Docker engines on different servers**", "11-overlay", "2. An overlay network across the hosts",
     "**오버레이로 서로 다른 서버의 Docker가 연결된다**"),
    ("overlay without OS-level routing between containers (VXLAN)", "11-overlay", "3. Inside the wire: VXLAN",
     "컨테이너 사이에 운영체제 수준 라우팅이 필요 없는 오버레이(VXLAN)"),
    ("swarm clusters and services across hosts", "11-overlay", "5. A service over the nodes, and its virtual IP",
     "스웜 클러스터와 여러 호스트에 걸친 서비스"),
    ("user-defined networks with docker network create", "04-user-networks", "1. The engine picks a range",
     "docker network create로 만드는 사용자 정의 네트워크"),
    ("subnets, gateways and fixed addresses on your own network", "04-user-networks",
     "2. Choosing the addresses yourself",
     "내 네트워크의 서브넷, 게이트웨이, 고정 주소"),
    ("you can choose an address (--ip needs a network made with --subnet)", "04-user-networks",
     "--ip needs a network created with --subnet",
     "주소를 직접 고를 수 있다(--ip에는 --subnet으로 만든 네트워크가 필요하다)"),
    ("networks are separate (isolation)", "04-user-networks", "4. Networks are isolated",
     "네트워크는 서로 떨어져 있다(격리)"),
    ("\"docker connect\" / \"docker disconnect\" add and remove a network card", "05-connect", "2. Connect",
     "\"docker connect\" / \"docker disconnect\"로 네트워크 카드를 더하고 뺀다"),
    ("no names on the default bridge (only addresses)", "06-dns", "1. No names on the default bridge",
     "기본 브리지에는 이름이 없다(주소만 있다)"),
    ("embedded DNS on user-defined networks", "06-dns", "2. Who answers DNS on a user-defined network?",
     "사용자 정의 네트워크의 내장 DNS"),
    ("--net-alias names", "06-dns", "3. Names and aliases",
     "--net-alias 이름"),
    ("DNS follows changed IPs and new containers", "06-dns", "4. DNS keeps up",
     "DNS는 바뀐 IP와 새 컨테이너를 따라간다"),
    ("--link", "06-dns", "5. `--link`: what it writes, and what follows a restart",
     "--link"),
    ("DNS options: --dns, --dns-search, ndots", "06-dns", "6. DNS options: `--dns`, `--dns-search`, `--dns-option`",
     "DNS 옵션: --dns, --dns-search, ndots"),
    ("reaching the host from a container: host.docker.internal", "06-dns",
     "7. `host.docker.internal`: a name for the host",
     "컨테이너에서 호스트로 가기: host.docker.internal"),
    ("load balancing with --net-alias and DNS", "07-dns-load-balancing", "2. Who served each request?",
     "--net-alias와 DNS를 이용한 부하 분산"),
    ("what DNS balancing cannot do", "07-dns-load-balancing", "4. What DNS round-robin cannot do",
     "DNS 분산이 할 수 없는 것"),
    ("containers reached from outside: ports", "08-ports-and-nat", "1. Publishing a port",
     "바깥에서 컨테이너로: 포트"),
    ("who answers a published port: docker-proxy or the DNAT rule", "08-ports-and-nat", "Who answered the host?",
     "게시한 포트에 누가 답하는가: docker-proxy 또는 DNAT 규칙"),
    ("another machine reaches a published port (DNAT); hairpin", "08-ports-and-nat",
     "4. Another machine visits: the DNAT rule at work",
     "다른 머신이 게시한 포트에 닿는다(DNAT). 헤어핀"),
    ("published ports and the host's firewall (INPUT vs DOCKER-USER)", "08-ports-and-nat",
     "6. Published ports and the host's firewall",
     "게시한 포트와 호스트의 방화벽(INPUT 대 DOCKER-USER)"),
    ("containers reaching the outside: NAT", "08-ports-and-nat", "3. Going out: MASQUERADE",
     "컨테이너에서 바깥으로: NAT"),
    ("putting it together: isolated tiers", "09-three-tier", "Step 6 — check every rule",
     "모두 합치기: 격리된 계층"),
    ("what an --internal network still reaches", "09-three-tier", "Step 7 — what an internal network still reaches",
     "--internal 네트워크가 그래도 닿는 곳"),
    ("the loose statements, corrected", "10-myths-and-facts", "10 · Myths and facts",
     "부정확한 문장들, 바로잡기"),
    ("IPv6 on a user-defined network", "13-ipv6", "2. A network with both: `--ipv6 --subnet`",
     "사용자 정의 네트워크의 IPv6"),
]


def anchor(heading: str) -> str:
    """JupyterLab's anchor for a heading: spaces become dashes, the rest is kept."""
    return heading.replace(" ", "-")


def _heading_lines(source: str) -> list[str]:
    return [line.lstrip("#").strip() for line in source.splitlines() if re.match(r"#{1,6} ", line)]


def headings(lesson: str, folder: Path = ROOT / "notebooks") -> list[str]:
    """Every markdown heading of a lesson, without its leading #s."""
    notebook = nbformat.read(folder / f"{lesson}.ipynb", as_version=4)
    return [line for cell in notebook.cells if cell.cell_type == "markdown" for line in _heading_lines(cell.source)]


def korean_heading(lesson: str, heading: str) -> str:
    """The Korean notebook's heading for ``heading``: the same place in the cell with the same id."""
    english = nbformat.read(ROOT / "notebooks" / f"{lesson}.ipynb", as_version=4)
    korean = {cell.id: cell for cell in nbformat.read(KOREAN / f"{lesson}.ipynb", as_version=4).cells}
    for cell in english.cells:
        found = _heading_lines(cell.source) if cell.cell_type == "markdown" else []
        if heading in found and cell.id in korean:
            translated = _heading_lines(korean[cell.id].source)
            if len(translated) == len(found):
                return translated[found.index(heading)]
    raise SystemExit(f"ko/notebooks/{lesson}.ipynb has no heading for {heading!r}: "
                     "build the Korean edition first (python tools/translate.py build)")


def table(prefix: str, language: str = "en") -> str:
    """The map as a markdown table; ``prefix`` is the path from the page to the notebooks folder."""
    rows = [TEXT[language]["columns"], "|---|---|---|"]
    for topic, lesson, heading, korean in MAP:
        shown = korean_heading(lesson, heading) if language == "ko" else heading
        rows.append(f"| {korean if language == 'ko' else topic} | [{lesson}]({prefix}{lesson}.ipynb) | "
                    f"[{shown}]({prefix}{lesson}.ipynb#{anchor(shown)}) |")
    return "\n".join(rows)


def readme_section() -> str:
    return f"{BEGIN}\n{table('notebooks/')}\n{END}"


TEXT = {
    "en": {"columns": "| In the notes | Lesson | Where |",
           "intro": "# dockerlab · course map\n\nEvery topic of the notes this course grew from, and the lesson "
                    "section that shows it on a real engine. Start with [00 · Welcome](00-welcome.ipynb). The page "
                    "that judges each sentence of the notes is [My notes, checked](../notes-checked.md). At the end, "
                    "the [course check](course-check.ipynb) shows what you answered before the course beside what "
                    "you answer after it."},
    "ko": {"columns": "| 노트에서 | 레슨 | 어디서 |",
           "intro": "# dockerlab · 코스 지도\n\n이 코스가 시작된 노트의 모든 주제와, 그것을 실제 엔진에서 "
                    "보여 주는 레슨의 절입니다. [00 · 환영합니다](00-welcome.ipynb)에서 시작하세요. 노트의 "
                    "문장 하나하나를 판정한 페이지는 [노트 검증하기](../notes-checked.md)입니다. 코스를 마치면 "
                    "[코스 점검](course-check.ipynb)이 코스를 시작하기 전의 답과 마친 뒤의 답을 나란히 보여 줍니다."},
}
KOREAN = ROOT / "ko" / "notebooks"


def index_notebook(language: str = "en") -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                                        "name": "python3"}, "language_info": {"name": "python"}}
    notebook.cells = [nbformat.v4.new_markdown_cell(TEXT[language]["intro"]),
                      nbformat.v4.new_markdown_cell(table("", language))]
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"map{number}"
    if language != "en":
        notebook.metadata["dockerlab"] = {"english": "notebooks/index.ipynb", "language": language}
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
    nbformat.write(index_notebook("en"), ROOT / "notebooks" / "index.ipynb")
    nbformat.write(index_notebook("ko"), KOREAN / "index.ipynb")
    return 0


if __name__ == "__main__":
    sys.exit(main())
