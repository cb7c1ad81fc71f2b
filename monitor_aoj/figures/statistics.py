"""The statistical formulas, and nothing else: intervals, exact and permutation tests, the FDR correction.

Every function takes counts (how many respondents gave each answer), because that is what the Figures table
holds; no function sees a respondent. Which test fits which scale:
- two answer categories: Fisher's exact test on the 2x2 table;
- more categories without order (ja / nee / weet ik niet): the Fisher-Freeman-Halton exact test;
- ordered categories: the Mann-Whitney rank test, its p-value by permutation;
- the rapportcijfer: a permutation test on the difference in means.
Permutation p-values come from resampling the group-1 counts from the multivariate hypergeometric
distribution, which is exactly what shuffling the respondents over the groups does, with a seed derived
from the figure it belongs to, so the same data always give the same p-value.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import special, stats

Z95 = 1.959963984540054  # standard normal quantile for a 95% interval
ALPHA = 0.05
POWER = 0.80  # the chance to find a real difference that the method note's "smallest difference" assumes
DETECTABLE_SHARE = 0.5  # ... for a share around 50%, where a difference is hardest to detect
RESAMPLES = 19_999
EXACT_TABLES = 250_000  # r x c: enumerate every table up to this many, else RESAMPLES seeded permutations

FISHER = "Fisher exact"
FREEMAN_HALTON = "Fisher-Freeman-Halton exact"
FREEMAN_HALTON_PERMUTATION = "Fisher-Freeman-Halton (permutatie)"
RANK = "Mann-Whitney (permutatie)"
MEANS = "permutatietoets op het gemiddelde"


@dataclass(frozen=True)
class TestResult:
    test: str  # name of the test, shown in the method section
    p: float


def wilson(k: ArrayLike, n: ArrayLike, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval for k of n (vectorised). n = 0 gives NaN."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
        low, high = centre - half, centre + half
    empty = n <= 0
    low = np.where(empty, np.nan, np.clip(low, 0.0, 1.0))
    high = np.where(empty, np.nan, np.clip(high, 0.0, 1.0))
    return low, high


def mean_interval(mean: ArrayLike, sd: ArrayLike, n: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """95% t-interval for a mean (vectorised). Fewer than two values give NaN."""
    mean = np.asarray(mean, dtype=float)
    sd = np.asarray(sd, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = stats.t.ppf(0.975, np.where(n >= 2, n - 1, 1))
        half = t * sd / np.sqrt(n)
    ok = n >= 2
    return np.where(ok, mean - half, np.nan), np.where(ok, mean + half, np.nan)


def mean_from_sums(total: ArrayLike, squares: ArrayLike, n: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, 95% low, 95% high) from the sum of the marks, the sum of their squares and their number."""
    total, squares, n = (np.asarray(x, dtype=float) for x in (total, squares, n))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, total / np.where(n > 0, n, 1), np.nan)
        variance = (squares - n * mean**2) / (n - 1)
    low, high = mean_interval(mean, np.sqrt(np.clip(variance, 0, None)), n)
    return mean, low, high


def detectable_difference(n1: ArrayLike, n2: ArrayLike, alpha: float = ALPHA, power: float = POWER,
                          share: float = DETECTABLE_SHARE) -> np.ndarray:
    """The smallest difference between two shares that two independent groups of n1 and n2 respondents detect
    with the given power in a two-sided test at level alpha (vectorised; a fraction: 0.25 is 25 points).

        d = (z_{1-alpha/2} + z_{power}) * sqrt(p (1 - p) (1/n1 + 1/n2))

    the normal-approximation minimum detectable difference for two proportions, with the same share p in
    both groups (Fleiss, Levin & Paik, Statistical Methods for Rates and Proportions, 3rd ed. 2003, section
    4.2, solved for the difference instead of n; equivalently Lehr's rule n = 16 p(1-p) / d^2 per group for
    alpha 0.05 and power 0.80). p = 0.5 gives the largest d, so the figure holds for every share. It ignores
    the false-discovery correction, which makes the real threshold somewhat larger: a lower bound.
    A group of 0 respondents gives NaN."""
    n1 = np.asarray(n1, dtype=float)
    n2 = np.asarray(n2, dtype=float)
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    with np.errstate(invalid="ignore", divide="ignore"):
        d = z * np.sqrt(share * (1 - share) * (1 / n1 + 1 / n2))
    return np.where((n1 > 0) & (n2 > 0), d, np.nan)


def seed_for(*key: object) -> int:
    """A seed that depends only on what is tested, not on the order in which tests run."""
    return zlib.crc32("|".join(str(k) for k in key).encode("utf-8"))


def fisher_2x2(a: tuple[int, int], b: tuple[int, int]) -> TestResult:
    """Two groups x two answers: (yes, no) counts per group."""
    return TestResult(FISHER, float(stats.fisher_exact([list(a), list(b)]).pvalue))


def _log_table_probability(first_rows: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """log of prod C(t_j, a_j): the probability of a table with first row a, up to a constant."""
    a = np.asarray(first_rows, dtype=float)
    t = np.asarray(totals, dtype=float)
    return np.sum(special.gammaln(t + 1) - special.gammaln(a + 1) - special.gammaln(t - a + 1), axis=-1)


def fisher_rxc(a: np.ndarray, b: np.ndarray, seed: int = 0, max_tables: int = EXACT_TABLES) -> TestResult:
    """Two groups x several unordered answers: the Fisher-Freeman-Halton test.

    Exact: every table with the same margins is enumerated and the p-value is the probability of all tables
    no more likely than the observed one. (scipy's r x c fisher_exact samples at random, without a seed.)
    When more than max_tables tables share the margins, RESAMPLES seeded permutations with the same statistic
    are used instead (test name FREEMAN_HALTON_PERMUTATION); the Verantwoording says so from these constants.
    """
    a = np.asarray(a, dtype=np.int64)
    totals = a + np.asarray(b, dtype=np.int64)
    keep = totals > 0
    a, totals = a[keep], totals[keep]
    if len(a) < 2:
        return TestResult(FREEMAN_HALTON, 1.0)
    if len(a) == 2:
        return fisher_2x2((int(a[0]), int(a[1])), (int(totals[0] - a[0]), int(totals[1] - a[1])))
    n1 = int(a.sum())
    observed = _log_table_probability(a, totals)
    tolerance = 1e-7  # tables as likely as the observed one count as extreme (as scipy's 2x2 does)
    if np.prod(totals[:-1] + 1.0) <= max_tables:
        grids = np.meshgrid(*[np.arange(t + 1) for t in totals[:-1]], indexing="ij")
        first = np.stack([g.ravel() for g in grids], axis=1)
        last = n1 - first.sum(axis=1)
        ok = (last >= 0) & (last <= totals[-1])
        tables = np.column_stack([first[ok], last[ok]])
        logp = _log_table_probability(tables, totals)
        p = float(np.exp(logp[logp <= observed + tolerance] - special.logsumexp(logp)).sum())
        return TestResult(FREEMAN_HALTON, min(p, 1.0))
    draws = np.random.default_rng(seed).multivariate_hypergeometric(totals, n1, size=RESAMPLES)
    extreme = np.sum(_log_table_probability(draws, totals) <= observed + tolerance)
    return TestResult(FREEMAN_HALTON_PERMUTATION, float((1 + extreme) / (RESAMPLES + 1)))


def permutation_linear(a: np.ndarray, b: np.ndarray, scores: np.ndarray, seed: int,
                       resamples: int = RESAMPLES) -> float:
    """Two-sided permutation p-value of the statistic sum(a * scores), the margins held fixed.

    Extreme means: at least as far from its expectation as observed.
    """
    a = np.asarray(a, dtype=np.int64)
    totals = a + np.asarray(b, dtype=np.int64)
    n1, n = int(a.sum()), int(totals.sum())
    if n1 == 0 or n1 == n:
        return 1.0
    scores = np.asarray(scores, dtype=float)
    expected = n1 * float(scores @ totals) / n
    observed = abs(float(scores @ a) - expected)
    draws = np.random.default_rng(seed).multivariate_hypergeometric(totals, n1, size=resamples)
    deviation = np.abs(draws @ scores - expected)
    extreme = np.sum(deviation >= observed - 1e-9 * max(1.0, observed))
    return float((1 + extreme) / (resamples + 1))


def midranks(totals: np.ndarray) -> np.ndarray:
    """The rank every respondent in a category gets when ties share the mean of their ranks."""
    totals = np.asarray(totals, dtype=float)
    upper = np.cumsum(totals)
    return upper - (totals - 1) / 2


def rank_test(a: np.ndarray, b: np.ndarray, seed: int) -> TestResult:
    """Mann-Whitney for ordered categories: the rank sum of group a, p by permutation."""
    totals = np.asarray(a) + np.asarray(b)
    return TestResult(RANK, permutation_linear(a, b, midranks(totals), seed))


def mean_test(a: np.ndarray, b: np.ndarray, values: np.ndarray, seed: int) -> TestResult:
    """Difference in mean mark: with the total fixed, the sum of group a is an equivalent statistic."""
    return TestResult(MEANS, permutation_linear(a, b, values, seed))


def compare_distributions(kind: str, a: np.ndarray, b: np.ndarray, values: np.ndarray, seed: int) -> TestResult:
    """The test that fits the scale. kind: 'binair', 'nominaal', 'ordinaal' or 'cijfer'."""
    if kind == "cijfer":
        return mean_test(a, b, values, seed)
    if kind == "ordinaal":
        return rank_test(a, b, seed)
    if kind == "binair" or len(a) == 2:
        return fisher_2x2((int(a[0]), int(a[1])), (int(b[0]), int(b[1])))
    return fisher_rxc(np.asarray(a), np.asarray(b), seed)


def adjust(p_values: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg false-discovery-rate correction over one family of tests."""
    p_values = np.asarray(p_values, dtype=float)
    if p_values.size == 0:
        return p_values
    return np.minimum(stats.false_discovery_control(p_values, method="bh"), 1.0)
