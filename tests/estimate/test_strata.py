"""Stratified estimation: totals add up, thin strata are warned."""

from __future__ import annotations

from functools import partial

import pytest

from tawthiq.errors import EstimationError
from tawthiq.estimate.chapman import chapman
from tawthiq.estimate.lcmcr import lcmcr
from tawthiq.estimate.loglinear import loglinear
from tawthiq.estimate.strata import estimate_by
from tawthiq.estimate.table import parse_overlap_csv, read_overlap_csv
from tests.estimate.conftest import DATA


def test_loglinear_totals_add_up_and_thin_stratum_is_warned() -> None:
    data = read_overlap_csv(DATA / "strata.csv")
    result = estimate_by(data, "governorate", partial(loglinear, model="independence"))
    assert list(result.strata) == ["Latakia", "Tartus", "Hama"]
    assert result.total.observed == data.table().observed
    assert result.total.estimate == pytest.approx(sum(r.estimate for r in result.strata.values()))
    lo, hi = result.total.ci_95
    assert lo is not None and hi is not None and lo <= result.total.estimate <= hi
    assert any("governorate=Hama has only" in w for w in result.strata["Hama"].warnings)
    assert not any("has only" in w for w in result.strata["Latakia"].warnings)
    payload = result.to_json()
    assert payload["by"] == "governorate" and len(payload["strata"]) == 3


def test_lcmcr_total_interval_comes_from_summed_draws() -> None:
    data = read_overlap_csv(DATA / "strata.csv")
    run = partial(lcmcr, seed=2, chains=2, burnin=500, iterations=5000)
    result = estimate_by(data, "period", run)
    assert result.total.estimate == pytest.approx(sum(r.estimate for r in result.strata.values()))
    assert "summed posterior draws" in result.total.details["interval"]


def test_a_stratum_that_cannot_be_estimated_is_reported_not_dropped_silently() -> None:
    data = parse_overlap_csv("a,b,zone,count\n1,0,x,30\n0,1,x,20\n1,1,x,10\n1,0,y,4\n0,1,y,3\n1,1,y,1\n", "z.csv")
    result = estimate_by(data, "zone", chapman)
    assert set(result.strata) == {"x", "y"}
    with pytest.raises(EstimationError, match="no stratum of 'zone' could be estimated"):
        estimate_by(data, "zone", partial(loglinear, model="all-pairs"))
