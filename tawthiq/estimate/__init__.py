"""Multiple systems estimation: how many persons did no list record?

    from tawthiq.estimate import read_overlap_csv, loglinear, lcmcr, chapman, bma, stepwise, estimate_by

Read an overlap table (one 0/1 column per list plus `count`, optional stratum columns), then estimate the total with
Chapman (two lists), log-linear models (Rcapture-compatible, with AIC/BIC selection and model averaging; SparseMSE's
stepwise method), Bayesian model averaging over decomposable graphs (dga) or LCMCR (Manrique-Vallier 2016). Every
estimator returns an `Estimate` with an interval, diagnostics and warnings.
"""

from __future__ import annotations

from tawthiq.estimate.bma import bma, bma_posterior, decomposable_graphs
from tawthiq.estimate.chapman import chapman
from tawthiq.estimate.lcmcr import lcmcr, sample_lcmcr
from tawthiq.estimate.loglinear import loglinear
from tawthiq.estimate.result import Estimate
from tawthiq.estimate.stepwise import stepwise
from tawthiq.estimate.strata import StratifiedEstimate, estimate_by
from tawthiq.estimate.table import OverlapData, OverlapTable, parse_overlap_csv, read_overlap_csv

__all__ = [
    "Estimate",
    "OverlapData",
    "OverlapTable",
    "StratifiedEstimate",
    "bma",
    "bma_posterior",
    "chapman",
    "decomposable_graphs",
    "estimate_by",
    "lcmcr",
    "loglinear",
    "parse_overlap_csv",
    "read_overlap_csv",
    "sample_lcmcr",
    "stepwise",
]
