"""`tawthiq db copy`: every table moved between engines, verified by content hashes; copying again adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tawthiq import pipeline
from tawthiq.cli import main
from tawthiq.errors import StoreError
from tawthiq.evidence import audit
from tawthiq.store import Store, open_store
from tawthiq.store.copy import copy_store
from tawthiq.store.digest import content_digests
from tawthiq.web.auth import Role, add_user
from tests.store.test_store import DEMO


def filled(path: Path) -> Path:
    with open_store(path) as store:
        pipeline.ingest_paths(store, [DEMO])
        pipeline.regroup(store)
        with store.transaction() as conn:
            add_user(conn, "amira", "long enough password", Role.ADMIN)
    return path


def test_a_store_copies_to_the_other_engine_and_back(engine_store: Store, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    source = filled(tmp_path / "source.db")
    with open_store(source) as src:
        report = copy_store(src, engine_store)
        assert report.verified and report.inserted > 0
        assert copy_store(src, engine_store).inserted == 0  # again: a no-op
        expected = content_digests(src.conn)
    assert content_digests(engine_store.conn) == expected
    assert audit.verify(engine_store.conn).broken is None
    with engine_store.transaction() as conn:  # ids continue after the copied ones
        user = add_user(conn, "sami", "long enough password", Role.VIEWER)
    assert user.id == 2
    back = tmp_path / "back.db"
    result = CliRunner().invoke(main, ["db", "copy", "--from", engine_store.path if engine_store.dialect == "sqlite"
                                       else str(engine_store.url.render_as_string(False)), "--to", str(back)])
    assert result.exit_code == 0, result.output
    assert "every table verified" in result.output
    with open_store(back) as restored:
        assert restored.conn.scalar("SELECT count(*) FROM users") == 2
        assert content_digests(restored.conn)["claims"] == expected["claims"]


def test_a_copy_into_a_store_holding_other_data_is_refused_and_leaves_it_as_it_was(
        engine_store: Store, tmp_path: Path) -> None:
    with engine_store.transaction() as conn:
        add_user(conn, "someone", "long enough password", Role.VIEWER)
    before = content_digests(engine_store.conn)
    with open_store(filled(tmp_path / "source.db")) as src, pytest.raises(StoreError, match="nothing was written"):
        copy_store(src, engine_store)
    assert content_digests(engine_store.conn) == before


def test_a_copy_leaves_the_planner_statistics_of_the_target_fresh(engine_store: Store, tmp_path: Path) -> None:
    with open_store(filled(tmp_path / "source.db")) as src:
        copy_store(src, engine_store)
    if engine_store.dialect == "postgresql":  # analysed by the copy itself, not by autovacuum some time later
        analysed = engine_store.conn.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL").fetchall()
        assert {"claims", "documents", "incidents"} <= {r[0] for r in analysed}
    else:  # SQLite: no statistics table is written into the copy
        assert engine_store.conn.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'") == 0
