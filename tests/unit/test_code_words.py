"""A Korean code cell may change only its words: the commands, assertions and comparisons stay the English ones."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import code_words

CELL = '''lab.docker("run -d --name c1 dockerlab/busybox sleep 1d")  # one container
assert "no lease" in dhcp.output, "the lease"
print(f"{pool} holds {pool.num_addresses:,} addresses")
lab.draw(title="Three containers on docker0")
'''


def translated(*pairs: tuple[str, str]) -> str:
    return code_words.korean_source(CELL, list(pairs))


def test_titles_printed_lines_and_comments_may_be_translated():
    korean = translated(("# one container", "# 컨테이너 하나"),
                        ('f"{pool} holds {pool.num_addresses:,} addresses"',
                         'f"{pool}의 주소: {pool.num_addresses:,}개"'),
                        ('title="Three containers on docker0"', 'title="docker0 위의 컨테이너 세 개"'))
    assert code_words.only_words_differ(CELL, korean) == []


def test_a_command_an_assertion_or_the_code_itself_may_not():
    assert code_words.only_words_differ(CELL, translated(("sleep 1d", "sleep 2d")))
    assert code_words.only_words_differ(CELL, translated(('"no lease"', '"임대 없음"')))
    assert code_words.only_words_differ(CELL, translated(("pool.num_addresses:,", "pool.num_addresses")))
    assert code_words.only_words_differ(CELL, translated(("lab.draw(", "lab.snapshot(")))
    assert code_words.only_words_differ(CELL, translated(("  # one container", "")))


def test_a_fragment_no_longer_in_the_english_cell_is_stale():
    assert code_words.stale(CELL, [("title=\"Two containers\"", "x"), ("# one container", "y")]) == [
        'title="Two containers"']


def test_a_key_the_notebook_names_itself_may_be_translated_alike_everywhere():
    first = 'counts = {"c1 sent": 1}\nprint(f"{name} before")\n'
    second = 'assert counts["c1 sent"] == 1\n'
    korean = [(source, source.replace('"c1 sent"', '"c1이 보낸 것"')) for source in (first, second)]
    renamed = code_words.renamed_keys(korean)
    assert renamed == {"c1 sent": {"c1이 보낸 것"}}
    assert all(code_words.only_words_differ(english, ko, renamed) == [] for english, ko in korean)
    halfway = [korean[0], (second, second)]  # the assertion still asks for the English key: a KeyError
    assert code_words.only_words_differ(*korean[0], code_words.renamed_keys(halfway))
    engine = 'lab.container("c1")["NetworkSettings"]\n'  # a key of the engine's JSON is no name of the notebook's
    assert code_words.only_words_differ(engine, engine.replace("NetworkSettings", "네트워크"),
                                        code_words.renamed_keys([(engine, engine)]))
