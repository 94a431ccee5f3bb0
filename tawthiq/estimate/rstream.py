"""R's random stream: ``set.seed(seed)`` with R's default generator, ``runif`` and ``rmultinom``, draw for draw.

SparseMSE (the reference for the stepwise method) draws its 1,000 bootstrap resamples with R's ``rmultinom`` after
``set.seed(1234)``. Its interval ends on the UK tables are read from the two or three lowest of those resamples, so any
other stream gives other ends (by 5-8% on UKdat and UKdat_5; docs/estimation.md). Drawing the same numbers as R makes
Tawthiq's stepwise interval SparseMSE's own, to the cent, on any table given in the same row order.

What R does, and this module repeats (R 3.6 and later; the generator has not changed since R 1.7):

* ``set.seed(s)``: the 32-bit seed is scrambled by 50 steps of the congruential map s ← 69069·s + 1 (mod 2³²); the
  next 625 values of the map fill the Mersenne-Twister's state (the first is overwritten by the position, 624, so the
  624 that follow are the key and the first draw regenerates the whole state).
* ``unif_rand()``: one 32-bit Mersenne-Twister output (MT19937, the same as NumPy's) times 2.3283064365386963e-10,
  moved off 0 and 1 by half of 2⁻³²'s step.
* ``rbinom(n, p)``: for n·min(p, 1−p) < 30, inversion from 0 with one uniform per try; otherwise Kachitvichyanukul and
  Schmeiser's BTPE (1988, Communications of the ACM 31:216), two uniforms per try; on min(p, 1−p) and mirrored back.
* ``rmultinom(1, size, prob)``: the probabilities divided by their sum, then one ``rbinom`` per category on the
  conditional probability of that category among those left (a category of probability 0 draws nothing), the last
  category taking the rest; the running total is kept in extended precision, as R's ``long double``.

Checked in ``tests/estimate/test_rstream.py`` against R's own output (``runif``, ``rbinom``) and the resamples of
SparseMSE's runs on the reference tables.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

_LCG = 69069
_MASK = 0xFFFFFFFF
_TO_UNIT = 2.3283064365386963e-10  # 1 / 2^32
_EDGE = 0.5 * 2.328306437080797e-10  # half of 1 / (2^32 - 1): R keeps a uniform strictly inside (0, 1)
_INVERSION_BELOW = 30.0  # n·min(p, 1 − p) under this: inversion, else BTPE
_INVERSION_LAST = 111  # inversion tries 0 … 111, then starts again with a new uniform (R's guard)


class RStream:
    """The numbers R's default generator gives after ``set.seed(seed)``."""

    def __init__(self, seed: int) -> None:
        s = seed & _MASK
        for _ in range(50):
            s = (_LCG * s + 1) & _MASK
        state = []
        for _ in range(625):
            s = (_LCG * s + 1) & _MASK
            state.append(s)
        self._mt = np.random.MT19937()
        self._mt.state = {"bit_generator": "MT19937",
                          "state": {"key": np.array(state[1:], dtype=np.uint32), "pos": 624}}

    def unif(self) -> float:
        """``unif_rand()``: a uniform in (0, 1)."""
        value = float(self._mt.random_raw()) * _TO_UNIT
        if value <= 0.0:
            return _EDGE
        if 1.0 - value <= 0.0:
            return 1.0 - _EDGE
        return value

    def runif(self, n: int) -> np.ndarray:
        return np.array([self.unif() for _ in range(n)])

    def binomial(self, n: int, prob: float) -> int:
        """``rbinom(1, n, prob)``."""
        if n == 0 or prob == 0.0:
            return 0
        if prob == 1.0:
            return n
        p = min(prob, 1.0 - prob)
        draw = self._inversion(n, p) if n * p < _INVERSION_BELOW else self._btpe(n, p)
        return n - draw if prob > 0.5 else draw

    def _inversion(self, n: int, p: float) -> int:
        q = 1.0 - p
        r = p / q
        g = r * (n + 1)
        first = q**n
        while True:
            u = self.unif()
            f = first
            for x in range(_INVERSION_LAST + 1):
                if u < f:
                    return x
                u -= f
                f *= g / (x + 1) - r
            # past the guard: start again with a new uniform

    def _btpe(self, n: int, p: float) -> int:
        """Kachitvichyanukul and Schmeiser's algorithm BTPE (their notation), as R runs it."""
        q = 1.0 - p
        r = p / q
        g = r * (n + 1)
        mode_real = n * p + p
        m = int(mode_real)
        npq = n * p * q
        p1 = int(2.195 * math.sqrt(npq) - 4.6 * q) + 0.5
        xm = m + 0.5
        xl = xm - p1
        xr = xm + p1
        c = 0.134 + 20.5 / (15.3 + m)
        al = (mode_real - xl) / (mode_real - xl * p)
        xll = al * (1.0 + 0.5 * al)
        al = (xr - mode_real) / (xr * q)
        xlr = al * (1.0 + 0.5 * al)
        p2 = p1 * (1.0 + c + c)
        p3 = p2 + c / xll
        p4 = p3 + c / xlr
        while True:
            u = self.unif() * p4
            v = self.unif()
            if u <= p1:  # the triangle: accepted at once
                return int(xm - p1 * v + u)
            if u <= p2:  # the parallelograms
                x = xl + (u - p1) / c
                v = v * c + 1.0 - abs(xm - x) / p1
                if v > 1.0 or v <= 0.0:
                    continue
                ix = int(x)
            elif u > p3:  # the right exponential tail
                ix = int(xr - math.log(v) / xlr)
                if ix > n:
                    continue
                v = v * (u - p3) * xlr
            else:  # the left exponential tail
                ix = int(xl + math.log(v) / xll)
                if ix < 0:
                    continue
                v = v * (u - p2) * xll
            if self._accept(n, p, q, r, g, m, npq, xm, ix, v):
                return ix

    @staticmethod
    def _accept(n: int, p: float, q: float, r: float, g: float, m: int, npq: float, xm: float, ix: int,
                v: float) -> bool:
        k = abs(ix - m)
        if k <= 20 or k >= npq / 2 - 1:  # explicit ratio f(ix) / f(m)
            f = 1.0
            if m < ix:
                for i in range(m + 1, ix + 1):
                    f *= g / i - r
            elif m > ix:
                for i in range(ix + 1, m + 1):
                    f /= g / i - r
            return v <= f
        # squeeze on log f, then Stirling's series for the bound
        amaxp = (k / npq) * ((k * (k / 3.0 + 0.625) + 0.1666666666666) / npq + 0.5)
        ynorm = -k * k / (2.0 * npq)
        alv = math.log(v)
        if alv < ynorm - amaxp:
            return True
        if alv > ynorm + amaxp:
            return False
        x1 = ix + 1.0
        f1 = m + 1.0
        z = n + 1.0 - m
        w = n - ix + 1.0
        bound = (xm * math.log(f1 / x1) + (n - m + 0.5) * math.log(z / w) + (ix - m) * math.log(w * p / (x1 * q))
                 + _stirling(f1) + _stirling(z) + _stirling(x1) + _stirling(w))
        return alv <= bound

    def multinomial(self, size: int, prob: Sequence[float] | np.ndarray) -> np.ndarray:
        """``rmultinom(1, size, prob)`` as a vector."""
        weights = np.asarray(prob, dtype=float)
        weights = weights / weights.sum()
        out = np.zeros(weights.size, dtype=np.int64)
        left_prob = np.longdouble(0)
        for w in weights:
            left_prob += np.longdouble(w)
        left = size
        for j in range(weights.size - 1):
            if weights[j] != 0.0:
                share = float(np.longdouble(weights[j]) / left_prob)
                out[j] = self.binomial(left, share) if share < 1.0 else left
                left -= int(out[j])
            if left <= 0:
                return out
            left_prob -= np.longdouble(weights[j])
        out[-1] = left
        return out


def _stirling(a: float) -> float:
    """The correction term of Stirling's series at ``a`` used in BTPE's final test."""
    a2 = a * a
    return (13860.0 - (462.0 - (132.0 - (99.0 - 140.0 / a2) / a2) / a2) / a2) / a / 166320.0
