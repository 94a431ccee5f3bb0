"""The published overlap tables and reference results in ../shared/mse, beside the repository."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

MSE = Path(__file__).resolve().parents[2] / ".." / "shared" / "mse"
DATA = Path(__file__).resolve().parent / "data"
DATASETS = ("kosovo", "UKdat", "UKdat_5", "Ned_5", "HIV")


def dataset_path(name: str) -> Path:
    path = MSE / "data" / f"{name}.csv"
    if not path.is_file():
        pytest.fail(f"the shared MSE data are missing at {path.resolve()}: CI clones ../shared beside the repo")
    return path


@pytest.fixture(scope="session")
def reference() -> dict[str, Any]:
    path = MSE / "reference.json"
    if not path.is_file():
        pytest.fail(f"the MSE reference results are missing at {path.resolve()}")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
