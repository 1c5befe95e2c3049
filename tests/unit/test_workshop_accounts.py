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


def test_a_password_opens_its_account_once_and_a_new_one_replaces_it(tmp_path):
    first = accounts.issue(tmp_path, ["ada", "instructor"])
    assert (tmp_path / "roster.csv").stat().st_mode & 0o777 == 0o600
    assert {row["name"]: row["password"] for row in accounts.roster(tmp_path)} == first
    assert not accounts.use(tmp_path, "ada", first["instructor"]) and not accounts.use(tmp_path, "bob", "x")
    assert accounts.use(tmp_path, "ada", first["ada"])
    assert not accounts.use(tmp_path, "ada", first["ada"])  # used up
    assert {row["name"]: row["password"] for row in accounts.roster(tmp_path)}["ada"] == ""
    again = accounts.issue(tmp_path, ["ada"])["ada"]
    assert again != first["ada"] and accounts.use(tmp_path, "ada", again)


def test_an_unused_password_expires(tmp_path, monkeypatch):
    password = accounts.issue(tmp_path, ["ada"])["ada"]
    later = accounts.time.time() + accounts.VALID_HOURS * 3600 + 1
    monkeypatch.setattr(accounts.time, "time", lambda: later)
    assert not accounts.use(tmp_path, "ada", password)
