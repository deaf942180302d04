"""Schema: migrations from every earlier version reach the same schema and keep the data;
newer or foreign files are refused."""

from __future__ import annotations

import sqlite3

import pytest
from libdata import make_block, make_rep

from desktop.library import Library, LibraryVersionError, Recorder, schema
from sensors.events import RepCompleted


def _layout(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        objects = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
        return [*sorted(objects, key=repr), conn.execute("PRAGMA user_version").fetchone()]
    finally:
        conn.close()


def _library_at(path, version: int) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        schema.migrate(conn, target=version)
    finally:
        conn.close()


@pytest.mark.parametrize("start", range(schema.VERSION))
def test_every_earlier_version_migrates_to_the_current_schema(tmp_path, start):
    _library_at(tmp_path / "fresh.sqlite3", schema.VERSION)
    _library_at(tmp_path / "old.sqlite3", start)
    with Library.open(tmp_path / "old.sqlite3") as library:
        sid = library.create_session(athlete="Ada")
        with Recorder(library, sid) as rec:
            rec.add_block(make_block(0, 50))
            rec.add_events([RepCompleted(4.0, make_rep(1))])
    assert _layout(tmp_path / "old.sqlite3") == _layout(tmp_path / "fresh.sqlite3")


def test_every_rep_metric_has_a_column(tmp_path):
    from sensors.metrics import RepMetrics

    _library_at(tmp_path / "l.sqlite3", schema.VERSION)
    conn = sqlite3.connect(tmp_path / "l.sqlite3")
    columns = {row[1] for row in conn.execute("PRAGMA table_info(reps)")}
    conn.close()
    assert set(RepMetrics.field_names()) <= columns


def test_a_library_from_a_newer_hipthrust_is_refused(tmp_path):
    path = tmp_path / "l.sqlite3"
    Library.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.VERSION + 1}")
    conn.close()
    with pytest.raises(LibraryVersionError, match="newer than this hipthrust"):
        Library.open(path)


@pytest.mark.parametrize("content", ["foreign database", "text file"])
def test_a_file_that_is_not_a_library_is_refused_untouched(tmp_path, content):
    path = tmp_path / "l.sqlite3"
    if content == "text file":
        path.write_text("t,ax,ay,az\n" * 200)
    else:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.commit()
        conn.close()
    before = path.read_bytes()
    with pytest.raises(LibraryVersionError, match="not a hipthrust library"):
        Library.open(path)
    assert path.read_bytes() == before
