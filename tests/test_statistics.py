"""Intervals and tests against values known independently: published tables, hand computations, brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from monitor_aoj.figures import statistics as S


@pytest.mark.parametrize("k, n, low, high", [
    # Newcombe (1998), Statistics in Medicine 17:857-872, table II, method 3 (Wilson score, no correction).
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
])
def test_wilson_against_newcombe(k, n, low, high):
    lo, hi = S.wilson(k, n)
    assert float(lo) == pytest.approx(low, abs=5e-5) and float(hi) == pytest.approx(high, abs=5e-5)


def test_wilson_of_4_of_19_by_hand():
    # p = 4/19, z = 1.96: centre = (p + z²/2n) / (1 + z²/n), half = z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n)
    z, p = 1.959963984540054, 4 / 19
    centre = (p + z * z / 38) / (1 + z * z / 19)
    half = z * math.sqrt(p * (1 - p) / 19 + z * z / (4 * 19 * 19)) / (1 + z * z / 19)
    lo, hi = S.wilson(4, 19)
    assert (float(lo), float(hi)) == pytest.approx((centre - half, centre + half))
    assert (round(float(lo), 4), round(float(hi), 4)) == (0.0851, 0.4333)


def test_wilson_with_n_zero_and_one():
    lo, hi = S.wilson([0, 0, 1], [0, 1, 1])
    assert np.isnan(lo[0]) and np.isnan(hi[0])  # nothing to estimate
    z2 = 1.959963984540054 ** 2
    assert (lo[1], hi[1]) == pytest.approx((0.0, 1 / (1 + 1 / z2)))  # 0 of 1: upper bound z²/(1+z²)
    assert (lo[2], hi[2]) == pytest.approx((1 - 1 / (1 + 1 / z2), 1.0))


def test_mean_interval_by_hand():
    # marks 7, 5, 6, 8: mean 6.5, sd sqrt(5/3), t(0.975, 3) = 3.182446
    lo, hi = S.mean_interval(6.5, math.sqrt(5 / 3), 4)
    half = 3.182446305284263 * math.sqrt(5 / 3) / 2
    assert (float(lo), float(hi)) == pytest.approx((6.5 - half, 6.5 + half))
    lo1, hi1 = S.mean_interval(7.0, 0.0, 1)
    assert np.isnan(lo1) and np.isnan(hi1)  # one mark gives no interval


def test_fisher_lady_tasting_tea():
    # Fisher (1935): 3 of 4 cups right; two-sided p = 34/70.
    assert S.fisher_2x2((3, 1), (1, 3)).p == pytest.approx(34 / 70)


def test_fisher_by_hand_hypergeometric():
    # later wave 8 yes / 2 no, earlier 4 yes / 2 no; P(x) = C(12,x)C(4,10-x)/C(16,10) for x = 6..10 is
    # 924, 3168, 2970, 880, 66 over 8008; two-sided: all tables no more likely than x = 8.
    assert S.fisher_2x2((8, 2), (4, 2)).p == pytest.approx((924 + 2970 + 880 + 66) / 8008)


def _freeman_halton_brute_force(a, b):
    totals = [x + y for x, y in zip(a, b)]
    n1 = sum(a)

    def prob(first):
        return math.prod(math.comb(t, f) for t, f in zip(totals, first))

    tables = [f for f in itertools.product(*[range(t + 1) for t in totals]) if sum(f) == n1]
    total = sum(prob(f) for f in tables)
    observed = prob(a)
    return sum(prob(f) for f in tables if prob(f) <= observed) / total


@pytest.mark.parametrize("a, b", [([3, 1, 2], [1, 3, 4]), ([5, 0, 2], [1, 6, 1]), ([9, 4, 3, 2], [4, 8, 2, 6])])
def test_freeman_halton_is_exact(a, b):
    result = S.fisher_rxc(np.array(a), np.array(b))
    assert result.test == S.FREEMAN_HALTON
    assert result.p == pytest.approx(_freeman_halton_brute_force(a, b), rel=1e-9)


def test_rank_test_against_full_enumeration():
    # 3 + 4 respondents on a 3-point scale: every way of choosing group 1 is enumerated by hand.
    a, b = np.array([2, 1, 0]), np.array([0, 1, 3])
    values = [1, 1, 2, 2, 3, 3, 3]  # category of each of the 7 respondents
    ranks = S.midranks(a + b)
    score = [ranks[v - 1] for v in values]
    observed = sum(ranks[:1]) * 2 + ranks[1]
    expected = 3 * sum(score) / 7
    sums = [sum(score[i] for i in combo) for combo in itertools.combinations(range(7), 3)]
    exact = sum(abs(s - expected) >= abs(observed - expected) - 1e-9 for s in sums) / len(sums)
    result = S.rank_test(a, b, seed=1)
    assert result.test == S.RANK
    assert result.p == pytest.approx(exact, abs=0.01)  # 19,999 resamples: Monte Carlo error ~0.003
    assert S.rank_test(a, b, seed=1).p == result.p  # the same seed gives the same p


def test_mean_test_detects_a_clear_difference_and_not_an_absent_one():
    marks = np.arange(1, 11, dtype=float)
    low = np.array([0, 0, 3, 6, 8, 3, 0, 0, 0, 0])
    high = np.array([0, 0, 0, 0, 0, 3, 8, 6, 3, 0])
    assert S.mean_test(low, high, marks, seed=3).p < 0.001
    assert S.mean_test(low, low, marks, seed=3).p == pytest.approx(1.0, abs=0.01)


def test_benjamini_hochberg_by_hand():
    # sorted 0.005, 0.01, 0.03, 0.04 -> x4/1, x4/2, x4/3, x4/4 = 0.02, 0.02, 0.04, 0.04 (already monotone)
    adjusted = S.adjust(np.array([0.01, 0.04, 0.03, 0.005]))
    assert adjusted == pytest.approx([0.02, 0.04, 0.04, 0.02])


def test_the_test_fits_the_scale():
    two, three = np.array([3, 1]), np.array([3, 1, 2])
    assert S.compare_distributions("binair", two, two[::-1], np.array([1.0, 2.0]), 1).test == S.FISHER
    assert S.compare_distributions("nominaal", three, three[::-1], np.arange(3.0), 1).test == S.FREEMAN_HALTON
    assert S.compare_distributions("ordinaal", three, three[::-1], np.arange(3.0), 1).test == S.RANK
    assert S.compare_distributions("cijfer", three, three[::-1], np.arange(3.0), 1).test == S.MEANS
