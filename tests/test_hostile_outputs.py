"""Outputs never clobber: inputs, other outputs, symlinks, existing files (without --force)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from geo._outputs import OutputError, atomic_path, check_outputs, write_text


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text("Kharkiv was struck.", encoding="utf-8")
    return path


def test_a_new_file_in_an_existing_folder_is_accepted(tmp_path: Path) -> None:
    assert check_outputs({"--png": tmp_path / "m.png", "--svg": None}) == {
        "--png": tmp_path / "m.png"
    }


@pytest.mark.parametrize("force", [True, False])
def test_the_input_itself_is_refused_even_with_force(article: Path, force: bool) -> None:
    with pytest.raises(OutputError, match=r"--geojson .* is the input"):
        check_outputs({"--geojson": article}, inputs=[article], force=force)


def test_the_input_through_another_spelling_or_a_hard_link_is_refused(
    article: Path, tmp_path: Path
) -> None:
    os.link(article, tmp_path / "hard.txt")
    for alias in (tmp_path / "." / "article.txt", tmp_path / "hard.txt"):
        with pytest.raises(OutputError, match="is the input"):
            check_outputs({"--html": alias}, inputs=[article], force=True)


def test_one_path_for_two_outputs_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="--png and --svg name the same file"):
        check_outputs({"--png": tmp_path / "x", "--svg": tmp_path / "x"})


def test_an_existing_file_needs_force(article: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.html"
    old.write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputError, match="already exists; add --force"):
        check_outputs({"--html": old})
    assert check_outputs({"--html": old}, force=True) == {"--html": old}


def test_a_symlink_is_never_followed_even_with_force(article: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.html"
    link.symlink_to(article)
    with pytest.raises(OutputError, match="symbolic link"):
        check_outputs({"--html": link}, force=True)
    with pytest.raises(OutputError, match="symbolic link"):
        write_text(link, "clobbered", force=True)
    assert article.read_text(encoding="utf-8") == "Kharkiv was struck."


@pytest.mark.parametrize(
    ("where", "message"),
    [("/dev/null", "not a regular file"), ("/tmp", "is a folder"), ("/nope/x.png", "does not")],
)
def test_devices_folders_and_missing_folders_are_refused(where: str, message: str) -> None:
    with pytest.raises(OutputError, match=message):
        check_outputs({"--png": Path(where)}, force=True)


def test_write_text_creates_and_refuses_to_replace_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.geojson"
    write_text(target, "one")
    with pytest.raises(OutputError, match="already exists"):
        write_text(target, "two")
    write_text(target, "three", force=True)
    assert target.read_text(encoding="utf-8") == "three"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.geojson"]


def test_a_failing_writer_leaves_the_old_file_and_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "map.png"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target, force=True) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("renderer crashed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]


def test_the_temporary_path_keeps_the_suffix_for_format_guessing(tmp_path: Path) -> None:
    with atomic_path(tmp_path / "layers.gpkg") as tmp:
        assert tmp.suffix == ".gpkg" and tmp.parent.parent == tmp_path
        tmp.write_bytes(b"x")
    assert (tmp_path / "layers.gpkg").read_bytes() == b"x"


def test_a_file_appearing_during_the_write_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "race.txt"
    with pytest.raises(OutputError, match="appeared while writing"), atomic_path(target) as tmp:
        tmp.write_text("ours", encoding="utf-8")
        target.write_text("theirs", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "theirs"


def test_an_unwritable_folder_is_a_message_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**_: object) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkdtemp", refuse)  # what a read-only folder does
    with pytest.raises(OutputError, match=r"cannot write .*x\.txt: Permission denied"):
        write_text(tmp_path / "x.txt", "x")
