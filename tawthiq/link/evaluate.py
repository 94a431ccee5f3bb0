"""Linkage quality against ground truth: pairwise precision/recall/F1, B-cubed F1, person counts, blocking recall."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True, slots=True)
class Quality:
    precision: float
    recall: float
    f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    predicted_persons: int
    true_persons: int

    @property
    def person_count_error(self) -> float:
        """Relative error of the predicted number of persons (0.01 = 1 %)."""
        return abs(self.predicted_persons - self.true_persons) / max(self.true_persons, 1)

    def as_dict(self) -> dict[str, float]:
        return {**asdict(self), "person_count_error": self.person_count_error}


def _pairs_within(labels: np.ndarray) -> int:
    _, counts = np.unique(labels, return_counts=True)
    return int((counts * (counts - 1) // 2).sum())


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_clusters(predicted: np.ndarray, truth: np.ndarray) -> Quality:
    """Compare two labelings of the same records (arrays aligned by position)."""
    predicted = np.asarray(predicted)
    truth = np.asarray(truth)
    joint = pd.DataFrame({"p": predicted, "t": truth}).groupby(["p", "t"]).size().to_numpy()
    tp = int((joint * (joint - 1) // 2).sum())
    pred_pairs, true_pairs = _pairs_within(predicted), _pairs_within(truth)
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    frame = pd.DataFrame({"p": predicted, "t": truth})
    both = frame.groupby(["p", "t"])["p"].transform("size")
    p_size = frame.groupby("p")["p"].transform("size")
    t_size = frame.groupby("t")["t"].transform("size")
    b_p = float((both / p_size).mean())
    b_r = float((both / t_size).mean())
    return Quality(
        precision=precision, recall=recall, f1=_f1(precision, recall),
        bcubed_precision=b_p, bcubed_recall=b_r, bcubed_f1=_f1(b_p, b_r),
        predicted_persons=len(np.unique(predicted)), true_persons=len(np.unique(truth)),
    )  # fmt: skip


def blocking_recall(candidates: pd.DataFrame, ids: np.ndarray, truth: np.ndarray) -> float:
    """Share of true pairs (records of one person) that are among the candidate pairs ``unique_id_l/_r``."""
    frame = pd.DataFrame({"id": ids, "t": truth})
    merged = frame.merge(frame, on="t", suffixes=("_l", "_r"))
    true = merged[merged["id_l"] < merged["id_r"]]
    if true.empty:
        return 1.0
    lo = np.minimum(candidates["unique_id_l"].to_numpy(), candidates["unique_id_r"].to_numpy())
    hi = np.maximum(candidates["unique_id_l"].to_numpy(), candidates["unique_id_r"].to_numpy())
    found = pd.DataFrame({"id_l": lo, "id_r": hi}).drop_duplicates()
    hit = true.merge(found, on=["id_l", "id_r"], how="inner")
    return len(hit) / len(true)
