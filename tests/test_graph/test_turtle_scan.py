"""The one-pass reading of N-Triples into Turtle blocks, shared with a helper process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from graph import vocabulary as V
from graph.store import turtle_scan
from graph.store.oxigraph import Store
from graph.store.turtle import _ORDER, write_turtle
from graph.store.turtle_scan import LineScan, PrefixedNames, SpreadScan, subject_boundary
from tests.test_graph import test_turtle
from tests.test_graph.test_turtle import AWKWARD, _DescribeOnly


@pytest.fixture
def helper_from_the_first_byte(monkeypatch) -> list[subprocess.Popen[bytes]]:
    """Every export starts its helper at once; the helpers started, and the pieces sent, are
    recorded."""
    started: list[subprocess.Popen[bytes]] = []
    popen = subprocess.Popen

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        started.append(popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(turtle_scan, "SPREAD_FROM", 0)
    monkeypatch.setattr(turtle_scan.subprocess, "Popen", recording)
    return started


def test_a_piece_ends_where_the_last_whole_lines_subject_begins() -> None:
    lines = b"<a> <p> 1 .\n<b> <p> 1 .\n<b> <p> 2 .\n"
    assert subject_boundary(lines + b"<b> <p> 3") == 12  # <b>'s run may go on
    assert subject_boundary(lines + b"<c> <p> 1 .\n") == 36
    assert subject_boundary(b"_:x <p> 1 .\n_:x <p> 2 .\n_:y <p> 1 .\n") == 24
    assert subject_boundary(b"<b> <p> 1 .\n<b> <p> 2 .\n") == 0  # one subject: wait for more
    assert subject_boundary(b"<b> <p> 1 .\n<bc> <p> 2 .\n") == 12  # <bc> is another subject
    assert subject_boundary(b"<a> <p> 1") == 0  # no whole line yet


def test_a_long_run_of_one_subject_is_read_once_and_still_cut_where_it_ends() -> None:
    run = b"<b> <p> 1 .\n" * 1000
    known = len(run)
    assert subject_boundary(run + b"<b> <p> 2 .\n", known) == 0
    assert subject_boundary(run + b"<b> <p> 2 .\n<c> <p> 1 .\n", known) == known + 12
    # The known lines are taken as one subject's without reading them: the cut is after them.
    assert subject_boundary(b"<a> <p> 1 .\n" + run[12:] + b"<a> <p> 2 .\n", known) == 0


@pytest.mark.parametrize("seed", [1, 2])
def test_with_the_helper_process_the_bytes_are_those_of_the_subject_by_subject_writer(
    tmp_path: Path, bundled, seed, helper_from_the_first_byte
) -> None:
    """The one-pass writer's own specification, with a helper process from the first byte."""
    test_turtle.test_the_one_pass_writer_gives_the_bytes_of_the_subject_by_subject_writer(
        tmp_path, bundled, seed
    )
    assert helper_from_the_first_byte  # helpers did read pieces
    assert len(helper_from_the_first_byte) == 6
    assert all(helper.returncode == 0 for helper in helper_from_the_first_byte)


NTRIPLES = [
    b"<http://e/a> <http://e/p> _:x .\n",
    b"<http://e/b> <http://e/p> _:x .\n",
    b'_:x <http://e/p> "v" .\n',
    b'<http://e/c> <http://e/p> "1" .\n',
    b'<http://e/a> <http://e/q> "2" .\n',  # <a> again, apart from its first line
    b"<http://e/d> <http://e/p> <http://e/c> .\n",
]


def test_blank_nodes_and_subjects_split_between_the_processes_merge_as_in_one(
    helper_from_the_first_byte,
) -> None:
    prefixes = {"e": "http://e/"}
    alone = LineScan(PrefixedNames(prefixes), _ORDER)
    with SpreadScan(prefixes, _ORDER) as spread:
        for line in NTRIPLES:  # one line a piece: the pieces alternate between the processes
            alone.write(line)
            spread.write(line)
        merged = spread.finish()
    blocks, blanks, references = alone.finish()
    assert merged == (blocks, blanks, references)
    assert blocks == {
        "http://e/a": None,  # met twice: described again
        "http://e/b": None,  # a blank-node object: described again
        "http://e/c": '\ne:c\n    e:p "1" .\n',
        "http://e/d": "\ne:d\n    e:p e:c .\n",
    }
    assert (blanks, references) == (["_:x"], {"_:x": 2})
    assert len(helper_from_the_first_byte) == 1


def test_a_failing_helper_stops_the_export_with_a_clear_error(
    tmp_path: Path, monkeypatch, helper_from_the_first_byte
) -> None:
    from graph.store.turtle import export_turtle

    broken = [sys.executable, "-c", "import sys; sys.exit('the helper broke')"]
    monkeypatch.setattr(turtle_scan, "HELPER_COMMAND", broken)
    source = tmp_path / "awkward.ttl"
    source.write_text(AWKWARD, encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"helper process failed .*the helper broke"):
        export_turtle(Store.from_files([source]))
    assert helper_from_the_first_byte[0].returncode == 1


def test_a_failing_export_stops_its_helper(helper_from_the_first_byte) -> None:
    with pytest.raises(OSError, match="the store failed"), SpreadScan({}, _ORDER) as scan:
        scan.write(b"".join(NTRIPLES))
        scan.write(b"".join(NTRIPLES))
        raise OSError("the store failed")
    assert helper_from_the_first_byte[0].poll() is not None


def test_without_a_helper_process_to_start_the_export_is_read_in_this_one(
    tmp_path: Path, monkeypatch, helper_from_the_first_byte
) -> None:
    from graph.store.turtle import export_turtle

    monkeypatch.setattr(turtle_scan, "HELPER_COMMAND", [str(tmp_path / "no-such-python")])
    source = tmp_path / "awkward.ttl"
    source.write_text(AWKWARD, encoding="utf-8")
    store = Store.from_files([source])
    prefixes = {**store.prefixes, **V.PREFIXES}
    assert export_turtle(store) == "".join(write_turtle(_DescribeOnly(store), prefixes))
    assert helper_from_the_first_byte == []
