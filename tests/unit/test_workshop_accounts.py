"""Workshop accounts and limits: names, one-time passwords stored hashed, memory sizes (no engine)."""
from __future__ import annotations

import pytest

from dockerlab import errors
from dockerlab.workshop import accounts
from dockerlab.workshop.hub import memory_bytes


def test_a_password_is_stored_only_as_a_salted_hash():
    password = accounts.new_password()
    stored, again = accounts.hashed(password), accounts.hashed(password)
    assert password not in stored and stored != again  # a new salt each time
    assert accounts.matches(stored, password) and accounts.matches(again, password)
    assert not accounts.matches(stored, password.upper())
    assert not accounts.matches("plain$text", password)


def test_passwords_avoid_characters_that_read_alike():
    assert all(len(p) == 10 and not set(p) & set("01lioO") for p in (accounts.new_password() for _ in range(50)))


def test_names_from_a_file(tmp_path):
    names = tmp_path / "room.txt"
    names.write_text("# the morning group\nada\nbrian  # late\n\ngrace2\n")
    assert accounts.from_file(str(names)) == ["ada", "brian", "grace2"]
    names.write_text("ada\nAda Lovelace\ninstructor\n")
    with pytest.raises(errors.CommandRefused) as refused:
        accounts.from_file(str(names))
    assert "Ada Lovelace, instructor" in str(refused.value)
    names.write_text("ada\nada\n")
    with pytest.raises(errors.CommandRefused, match="duplicates"):
        accounts.from_file(str(names))
    with pytest.raises(errors.NotFound, match="one name a line"):
        accounts.from_file(str(tmp_path / "missing.txt"))


def test_numbered_learners():
    assert accounts.numbered(3) == ["learner1", "learner2", "learner3"]
    for count in (0, 201):
        with pytest.raises(errors.CommandRefused, match="1 to 200 learners"):
            accounts.numbered(count)


@pytest.mark.parametrize(("text", "size"), [("1g", 2**30), ("768m", 768 * 2**20), ("1.5G", 3 * 2**29),
                                            ("512MB", 512 * 2**20), (str(2**30), 2**30)])
def test_memory_sizes_read_as_docker_run_reads_them(text, size):
    assert memory_bytes(text) == size


@pytest.mark.parametrize("text", ["lots", "100m", "", "-1g"])
def test_too_little_or_no_memory_is_explained(text):
    with pytest.raises(errors.CommandRefused, match="at least 256 MB"):
        memory_bytes(text)


def test_the_room_reads_check_all_json_as_dockerlab_check_prints_it():
    from dockerlab.workshop.room import _outcomes

    printed = {"learner": "root", "host": "dl-workshop-learner1", "time": "2026-11-28T18:00:00+00:00",
               "tasks": [{"id": "01.1", "title": "t", "outcome": "correct", "reason": "r"},
                         {"id": "01.2", "title": "t", "outcome": "not attempted", "reason": "r"}]}
    assert _outcomes(printed) == {"01.1": "correct", "01.2": "not attempted"}
    assert _outcomes([{"id": "02.1", "outcome": "not yet"}]) == {"02.1": "not yet"}
