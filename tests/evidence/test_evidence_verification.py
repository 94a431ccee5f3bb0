"""Berkeley Protocol steps: validated, appended, summarised."""

from __future__ import annotations

from pathlib import Path

import pytest

from tawthiq.errors import EvidenceError
from tawthiq.evidence import verification
from tawthiq.evidence.vault import store_original
from tawthiq.evidence.verification import Step
from tawthiq.store import Store
from tests.evidence.conftest import custody


def item(store: Store, vault: Path) -> str:
    with store.transaction() as conn:
        return store_original(conn, vault, b"clip", custody()).sha256


def test_steps_are_recorded_and_summarised(estore: Store, vault: Path) -> None:
    sha = item(estore, vault)
    with estore.transaction() as conn:
        verification.add_step(conn, sha, Step("source", "A", "account active since 2019, local", "consistent"))
        verification.add_step(conn, sha, Step("chronolocation", "B", "shadows point to late morning", "consistent",
                                              not_before="2025-03-07T09:00:00+02:00",
                                              not_after="2025-03-07T11:30:00Z"))
    summary = verification.summary(estore.conn, sha)
    assert summary["source"] == "consistent" and summary["missing_phases"] == ["technical"]
    assert summary["time"] == {"not_before": "2025-03-07T07:00:00Z", "not_after": "2025-03-07T11:30:00Z"}
    assert [s.analyst for s in verification.steps(estore.conn, sha)] == ["A", "B"]


@pytest.mark.parametrize(("step", "message"), [
    (Step("geolocation", "A", "x", "consistent", latitude=95, longitude=35, precision_m=10), "latitude 95"),
    (Step("geolocation", "A", "x", "consistent", latitude=35, longitude=35), "--precision-m"),
    (Step("chronolocation", "A", "x", "consistent", not_before="2025-03-08T00:00Z", not_after="2025-03-07T00:00Z"),
     "is after"),
    (Step("chronolocation", "A", "x", "consistent", not_before="7 March"), "not an ISO 8601 time"),
    (Step("chronolocation", "A", "x", "consistent", not_before="2025-03-07T10:00"), "time zone"),
    (Step("content", "", "", "maybe"), "--analyst"),
])
def test_bad_steps_get_a_clear_error(estore: Store, vault: Path, step: Step, message: str) -> None:
    sha = item(estore, vault)
    with pytest.raises(EvidenceError, match=message), estore.transaction() as conn:
        verification.add_step(conn, sha, step)
    assert estore.query("SELECT count(*) FROM verification_steps")[0][0] == 0


def test_a_step_for_an_unknown_item_is_refused(estore: Store) -> None:
    with pytest.raises(EvidenceError, match="no such item"), estore.transaction() as conn:
        verification.add_step(conn, "0" * 64, Step("source", "A", "x", "consistent"))
