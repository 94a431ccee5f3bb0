"""Quality gate: linkage F1 floors pinned in tests/quality/linkage_floors.json on a seeded generated set.

Raising a floor is easy (edit the JSON). Lowering one, or changing the generated data (its hash is pinned too), needs
``TAWTHIQ_REPIN_LINKAGE=1`` and a reason in the commit: a regression must not pass silently.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from tawthiq.link.evaluate import score_clusters
from tawthiq.link.features import PlaceIndex, fully_identified
from tawthiq.link.run import link_records
from tawthiq.link.synth import generate_lists, iter_places

FLOORS = Path(__file__).resolve().parents[1] / "quality" / "linkage_floors.json"


def _data_hash(frame: pd.DataFrame) -> str:
    return hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()


def test_linkage_meets_pinned_floors() -> None:
    spec = json.loads(FLOORS.read_text(encoding="utf-8"))
    data = spec["data"]
    frame = generate_lists(data["records"], n_lists=data["lists"], seed=data["seed"])
    frame["unique_id"] = range(len(frame))
    digest = _data_hash(frame)
    assignments, _, _ = link_records(frame, places=PlaceIndex.from_rows(list(iter_places())), seed=data["seed"])
    truth = frame.set_index("unique_id").loc[assignments["unique_id"], "person_id"].to_numpy()
    persons = assignments["person"].to_numpy()
    measured = score_clusters(persons, truth).as_dict()
    # HRDAG's enumeration: the persons with a fully identifying record (docs/linkage.md, section 4)
    records = frame.set_index("unique_id").loc[assignments["unique_id"]]
    identified = np.array([fully_identified(row) for row in records.to_dict("records")], dtype=bool)
    predicted, true = len(set(persons[identified])), len(set(truth[identified]))
    measured["person_count_error_identified"] = abs(predicted / true - 1)
    measured["f1_identified_records"] = score_clusters(persons[identified], truth[identified]).f1
    if os.environ.get("TAWTHIQ_REPIN_LINKAGE") == "1":
        spec["data"]["sha256"] = digest
        spec["measured"] = {k: round(v, 4) for k, v in measured.items()}
        FLOORS.write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
    assert digest == spec["data"]["sha256"], "the generated gold data changed: re-pin with TAWTHIQ_REPIN_LINKAGE=1"
    for metric, floor in spec["floors"].items():
        assert measured[metric] >= floor, f"{metric} {measured[metric]:.4f} fell below its floor {floor}"
    for metric, ceiling in spec["ceilings"].items():
        assert measured[metric] <= ceiling, f"{metric} {measured[metric]:.4f} rose above its ceiling {ceiling}"
