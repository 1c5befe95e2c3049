"""The room's pages as HTML and CSV: every value escaped, outcomes, task ids and the course check's answers
allow-listed, no script at all.

Served by ``view.py`` with a Content-Security-Policy that allows no script, no frame and no form target but
itself (``CSP``), so even a value that slipped through could not run. Readable at 1280 px: the tasks are
narrow columns grouped by lesson.
"""
from __future__ import annotations

import csv
import html
import io
import time

from ..lessons import coursecheck
from ..text import say
from . import reading
from .room import Learner, course_check

CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
           "X-Frame-Options": "DENY", "Cache-Control": "no-store"}
"""The room's response headers. ``same-origin``: no address of the room reaches another site, and a form posted
from the room carries its Origin, which the view checks (``no-referrer`` makes a browser send ``Origin: null``
with every form, so the room refused its own reset, password and restart buttons)."""
SYMBOL = {"correct": "✓", "not yet": "…", "not attempted": "·"}
CLASS = {"correct": "ok", "not yet": "nyet", "not attempted": "na"}
STYLE = """body{font-family:sans-serif;margin:12px;max-width:1260px}
table{border-collapse:collapse;font-size:13px}td,th{padding:2px 4px;text-align:center;border-bottom:1px solid #ddd}
th.name,td.name{text-align:left;white-space:nowrap}.ok{background:#b7e4b0}.nyet{background:#fde9a9}.na{color:#999}
.stuck{background:#f7c1c1;font-weight:bold}.t{width:18px;font-size:11px}.small{font-size:11px;color:#555}
form{display:inline;margin:0}button{font-size:11px;padding:1px 4px}
.big{font-size:40px}meter{width:600px;height:36px}a.act{font-size:11px;margin-right:4px}
.bars td{font-size:28px;text-align:left;padding:6px}
.done{font-size:18px;padding:16px;border:2px solid #888;margin:12px 0}"""


def e(value: object) -> str:
    """Escaped for HTML text and attributes (quotes too)."""
    return html.escape(str(value), quote=True)


def ago(when: float, now: float) -> str:
    if not when:
        return "—"
    minutes = int((now - when) // 60)
    return "now" if minutes < 1 else f"{minutes} min ago"


def _page(title: str, body: str, base: str, refresh: int | None = None) -> str:
    again = f'<meta http-equiv="refresh" content="{int(refresh)}">' if refresh else ""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>{again}'
            f'<link rel="stylesheet" href="{e(base)}room.css"></head><body>{body}</body></html>')


def room(learners: dict[str, Learner], read_at: float, base: str, xsrf: str, now: float | None = None) -> str:
    """The room: one row per learner (environment, lesson, task, done, last activity, stuck), one narrow column
    per task grouped by lesson, and each learner's actions (reset their engine, a new password)."""
    now = now or time.time()
    tasks = reading.known_tasks()
    lessons: dict[str, int] = {}
    for task in tasks:
        lessons[task.split(".")[0]] = lessons.get(task.split(".")[0], 0) + 1
    groups = "".join(f'<th colspan="{count}">{e(lesson)}</th>' for lesson, count in lessons.items())
    numbers = "".join(f'<th class="t" title="{e(task)} {e(reading.titles().get(task, ""))}">'
                      f'{e(task.split(".")[1])}</th>' for task in tasks)
    rows = []
    for learner in learners.values():
        cells = "".join(_cell(task, learner.tasks.get(task, "")) for task in tasks)
        stuck = f'<td class="stuck">{e(learner.stuck)}</td>' if learner.stuck else "<td></td>"
        actions = "".join(f'<a class="act" href="{e(base)}{verb}/{e(learner.name)}">{label}</a>'
                          for verb, label in (("reset", "reset engine"), ("password", "new password"),
                                              ("restart", "restart")))
        rows.append(f'<tr><td class="name">{e(learner.name)}</td><td>{e(learner.environment)}</td>'
                    f'<td>{e(learner.lesson)}</td><td>{e(learner.task)}</td><td>{learner.done}/{len(tasks)}</td>'
                    f'<td>{_score(learner, "before")}</td><td>{_score(learner, "after")}</td>'
                    f'<td>{e(ago(learner.activity, now))}</td>{stuck}{cells}<td class="name">{actions}</td></tr>')
    stamp = time.strftime("%H:%M:%S", time.localtime(read_at)) if read_at else "—"
    stuck_count = sum(bool(learner.stuck) for learner in learners.values())
    body = (f'<h1>The room</h1><p>{len(learners)} learner(s), {stuck_count} stuck; read at {e(stamp)}. '
            f'✓ correct, … not yet, · not attempted. <a href="{e(base)}projector">Projector</a> · '
            f'<a href="{e(base)}grades.csv">Gradebook (CSV)</a> · <a href="{e(base)}api">JSON</a></p>'
            f'<table><tr><th rowspan="2" class="name">learner</th><th rowspan="2">environment</th>'
            f'<th rowspan="2">lesson</th><th rowspan="2">task</th><th rowspan="2">done</th>'
            f'<th colspan="2">course check</th>'
            f'<th rowspan="2">last activity</th><th rowspan="2">stuck</th>{groups}<th rowspan="2"></th></tr>'
            f'<tr><th class="t">before</th><th class="t">after</th>{numbers}</tr>{"".join(rows)}</table>'
            f'{check_table(learners)}')
    return _page("The room", body, base, refresh=15)


def _score(learner: Learner, when: str) -> str:
    """A learner's course check ``when`` as right/asked, titled with how many they answered; — if none."""
    score = learner.score(when)
    if not score["answered"]:
        return "—"
    return (f'<span title="{score["answered"]} answered">{score["right"]}/{len(coursecheck.QUESTIONS)}'
            f'</span>')


def check_table(learners: dict[str, Learner]) -> str:
    """The room's course check: per question, how many learners got it right before and after the course
    (of how many answered). No names."""
    rows = []
    for number, (name, counts) in enumerate(course_check(learners).items(), start=1):
        cells = "".join(f'<td>{counts[when]["right"]} of {counts[when]["answered"]}</td>' for when in coursecheck.WHEN)
        rows.append(f'<tr><td class="name">{number}. {e(say(f"check-{name}"))}</td>{cells}</tr>')
    return (f'<h2>Course check: right before and after the course</h2><table><tr><th class="name">question</th>'
            f'<th>before (right of answered)</th><th>after (right of answered)</th></tr>{"".join(rows)}</table>')


def _cell(task: str, outcome: str) -> str:
    if outcome not in SYMBOL:
        return '<td class="t"></td>'
    return f'<td class="t {CLASS[outcome]}" title="{e(task)}: {e(outcome)}">{SYMBOL[outcome]}</td>'


def projector(learners: dict[str, Learner], base: str) -> str:
    """For the wall: per lesson, how many learners have finished its tasks; how many are stuck; the course check
    per question, before and after. No names."""
    tasks = reading.known_tasks()
    lessons = sorted({task.split(".")[0] for task in tasks})
    total = max(len(learners), 1)
    rows = []
    for lesson in lessons:
        mine = [task for task in tasks if task.startswith(lesson + ".")]
        finished = sum(all(learner.tasks.get(task) == "correct" for task in mine) for learner in learners.values())
        rows.append(f'<tr><td>{e(lesson)}</td><td><meter value="{finished}" min="0" max="{total}"></meter></td>'
                    f'<td>{finished}/{len(learners)}</td></tr>')
    stuck = sum(bool(learner.stuck) for learner in learners.values())
    body = (f'<p class="big">The room: {len(learners)} learners, {stuck} need a hand</p>'
            f'<table class="bars">{"".join(rows)}</table>{check_table(learners)}')
    return _page("The room", body, base, refresh=15)


def gradebook(learners: dict[str, Learner]) -> str:
    """One row per learner: name, tasks correct, tasks counted, then each task's outcome (the same outcomes as
    ``dockerlab check --all``, from each learner's own report), then the course check's questions right before
    and after the course (empty when not answered)."""
    tasks = reading.known_tasks()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["learner", "correct", "tasks", *tasks, "check before", "check after"])
    for learner in learners.values():
        checked = [learner.score(when) for when in coursecheck.WHEN]
        writer.writerow([_csv_safe(learner.name), learner.done, len(tasks),
                         *(learner.tasks.get(task, "not attempted") for task in tasks),
                         *(score["right"] if score["answered"] else "" for score in checked)])
    return out.getvalue()


def _csv_safe(text: str) -> str:
    """A cell a spreadsheet will not read as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def confirm(question: str, action: str, button: str, base: str, xsrf: str) -> str:
    """A page asking before an action: the button posts, the other link goes back."""
    body = (f'<h1>{e(question)}</h1><form method="post" action="{e(action)}">{xsrf}'
            f'<button class="big">{e(button)}</button></form> <a href="{e(base)}">Cancel</a>')
    return _page(question, body, base)


def done(message: str, base: str, detail: str = "") -> str:
    """The result of an action, at once."""
    body = (f'<div class="done">{e(message)}</div>' + (f"<pre>{e(detail)}</pre>" if detail else "")
            + f'<p><a href="{e(base)}">Back to the room</a></p>')
    return _page(message, body, base)
