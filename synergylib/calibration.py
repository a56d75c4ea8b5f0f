r"""Calibration measures of a synthetic generator: the data and NMF alone.

Protocol v2 (section 2.1) asks the synthetic reaching data to look like published
reaching EMG *as NMF sees it*, and states four targets. This module computes them
for any participant generator (:func:`synergylib.reaching.make_realistic_participant`,
or the clean :func:`synergylib.datasets.make_reaching_participant`), on the
preprocessed **phasic** training matrices
(:func:`synergylib.preprocessing.preprocess_participant`, protocol defaults) with
the protocol's NMF (:class:`synergylib.nmf.SynergyNMF`, centred :math:`R^2`,
:math:`N = 1..10`, rule: the smallest :math:`N` with :math:`R^2 \ge 0.80`). No
autoencoder is involved anywhere.

Measures, for participants :math:`p = 1..P` with true number of synergies :math:`K`:

(a) **the rule's N**: :math:`N^\ast_p = \min\{N : R^2_p(N) \ge 0.80\}`; target
    :math:`|N^\ast_p - K| \le 1` for at least 80 % of the participants (12 of 15);
(b) **the R2 curve**: the mean curve :math:`\bar R^2(N) = \frac1P \sum_p R^2_p(N)`;
    target :math:`0.85 \le \bar R^2(K) \le 0.93` (d'Avella et al. 2006, J
    Neurosci 26:7791: 4-5 synergies explain 73-82 % of reaching EMG), and no
    knee: the knee ratio

    .. math::

       \kappa = \max_{3 \le N \le 9} \frac{\Delta(N)}{\max(\Delta(N + 1), 10^{-3})},
       \qquad \Delta(N) = \bar R^2(N) - \bar R^2(N - 1),

    at most 3 (our choice: a knee is an increment that collapses more than
    three-fold from one N to the next; the clean generator's is about 40);
(c) **participants differ**: NMF synergies at :math:`N = K`, matched one to one
    (:func:`synergylib.metrics.match_synergies`) between every pair of
    participants, mean cosine over the :math:`P(P-1)/2` pairs; target 0.75-0.90
    (Scano et al. 2019, Front Physiol 10:1231: synergies are shared across subjects
    "at a lower extent than previously reported");
(d) **recovery stays possible**: NMF at :math:`N = K` against the participant's
    true synergies mapped to the amplitude-normalised space,
    :math:`\operatorname{diag}(1/s)\,W` with unit-norm columns, matched mean
    cosine averaged over participants; target :math:`\ge 0.85`.

Descriptive figures (no target): the largest correlation between two true
activations (phasic truth where the generator provides it, and total), the
muscle-specific share of the envelopes
:math:`\sum (e - W h)^2 / \sum e^2` (time-normalised training averages), the
:math:`R^2` that the true synergies reach on the analysed matrix with
non-negative least-squares activations (the true model's ceiling), and the
number of NMF fits that stopped at ``max_iter``.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from ._validation import SynergyInputError, check_emg_matrix, check_int, check_real
from .metrics import cross_participant_consistency, match_synergies, r2_score
from .nmf import SynergyNMF, nmf_r2_curve, select_n_synergies
from .preprocessing import PreprocessingConfig, average_repetitions, preprocess_participant
from .preprocessing import _concatenate, _movement_order, time_normalise

__all__ = [
    "CALIBRATION_TARGETS",
    "CalibrationResult",
    "CalibrationTarget",
    "calibration_table",
    "evaluate_generator",
    "knee_ratio",
    "matrix_measures",
    "max_offdiagonal_correlation",
    "measure_participant",
    "summarise",
]


@dataclass(frozen=True)
class CalibrationTarget:
    """One calibration target: ``low <= value <= high`` (None leaves a side open).

    Attributes
    ----------
    key : str
        Key of the value in :func:`summarise`'s output.
    description : str
        What is measured.
    source : str
        Where the target comes from.
    low, high : float or None
        Inclusive bounds.
    """

    key: str
    description: str
    source: str
    low: float | None = None
    high: float | None = None

    def met(self, value: float) -> bool:
        """Whether ``value`` lies within the bounds (NaN never does)."""
        value = float(value)
        if not np.isfinite(value):
            return False
        return ((self.low is None or value >= self.low)
                and (self.high is None or value <= self.high))

    @property
    def text(self) -> str:
        """The target as text, e.g. ``"0.85 - 0.93"`` or ``">= 0.85"``."""
        if self.low is not None and self.high is not None:
            return f"{self.low:g} - {self.high:g}"
        if self.low is not None:
            return f">= {self.low:g}"
        if self.high is not None:
            return f"<= {self.high:g}"
        return "any"


#: Protocol v2's targets (section 2.1), plus the knee criterion (our choice).
CALIBRATION_TARGETS: tuple[CalibrationTarget, ...] = (
    CalibrationTarget(
        "share_rule_within_1",
        "share of participants whose rule N (R2 >= 0.80) is within +-1 of the true N",
        "protocol v2 (at least 12 of 15 participants)", low=0.8),
    CalibrationTarget(
        "r2_at_true_n",
        "mean centred R2 of NMF at the true N (phasic training matrix)",
        "d'Avella et al. 2006, J Neurosci 26:7791 (4-5 synergies explain 73-82 %)",
        low=0.85, high=0.93),
    CalibrationTarget(
        "knee_ratio",
        "largest ratio of successive increments of the mean R2 curve (N = 3..9)",
        "choice: a smooth curve without a knee (published reaching curves rise smoothly)",
        high=3.0),
    CalibrationTarget(
        "cross_participant_cosine",
        "NMF synergies at the true N matched across participants, mean cosine over pairs",
        "Scano et al. 2019, Front Physiol 10:1231 (shared 'at a lower extent than "
        "previously reported')", low=0.75, high=0.90),
    CalibrationTarget(
        "recovery_cosine",
        "NMF at the true N against the participant's true synergies, matched mean cosine",
        "protocol v2 (recovery remains possible)", low=0.85),
)


def knee_ratio(r2, floor: float = 1e-3) -> float:
    r"""Largest ratio of successive increments of an :math:`R^2` curve.

    .. math::

       \kappa = \max_{3 \le N \le N_\text{max} - 1}
                \frac{\Delta(N)}{\max(\Delta(N + 1), \text{floor})},
       \qquad \Delta(N) = R^2(N) - R^2(N - 1),

    for ``r2[i]`` the :math:`R^2` at :math:`N = i + 1`. A curve that rises smoothly
    has :math:`\kappa` near 1-2; a curve with a knee (steep, then flat) has a large
    :math:`\kappa` at the knee.

    Parameters
    ----------
    r2 : array-like of shape (n,), n >= 4
        :math:`R^2` at :math:`N = 1..n`.
    floor : float
        Smallest denominator (an increment below it counts as flat).
    """
    r2 = np.asarray(r2, dtype=float)
    if r2.ndim != 1 or r2.size < 4 or not np.all(np.isfinite(r2)):
        raise SynergyInputError(
            f"r2 must be a finite 1-D curve at N = 1..n with n >= 4, got shape {r2.shape}.")
    floor = check_real(floor, "floor", low=0.0, include_low=False)
    delta = np.diff(r2)  # delta[i] = R2(N = i + 2) - R2(N = i + 1)
    # N = 3..n-1: Delta(N) = delta[N - 2], Delta(N + 1) = delta[N - 1]
    ratios = delta[1:-1] / np.maximum(delta[2:], floor)
    return float(ratios.max())


def max_offdiagonal_correlation(H) -> float:
    """Largest Pearson correlation between two rows of ``H`` (K x T), K >= 2.

    Constant rows (a synergy that is never active) are ignored.
    """
    H = np.asarray(H, dtype=float)
    if H.ndim != 2 or H.shape[0] < 2 or H.shape[1] < 2:
        raise SynergyInputError(
            f"H must have shape (n_synergies >= 2, n_samples >= 2), got {H.shape}.")
    keep = H.std(axis=1) > 0
    if keep.sum() < 2:
        return float("nan")
    c = np.corrcoef(H[keep])
    np.fill_diagonal(c, -np.inf)
    return float(c.max())


def matrix_measures(X, W_true, *, n_range: Iterable[int] = range(1, 11),
                    threshold: float = 0.80, n_restarts: int = 10, random_state=0,
                    **nmf_kwargs) -> dict[str, Any]:
    """NMF measures of one synergy matrix against its true synergies.

    Parameters
    ----------
    X : array-like of shape (n_muscles, n_samples)
        The analysed matrix (physiology layout; non-negative).
    W_true : array-like of shape (n_muscles, K)
        The true synergies **in the space of X** (for amplitude-normalised data:
        ``diag(1 / scale) @ W``); K must be in ``n_range``.
    n_range : iterable of int
        Numbers of synergies of the R2 curve (protocol: 1..10).
    threshold : float
        The rule's threshold (protocol: 0.80).
    n_restarts, random_state, **nmf_kwargs
        Passed to :func:`synergylib.nmf.nmf_r2_curve`.

    Returns
    -------
    dict
        ``n_values``, ``r2`` (the curve), ``n_rule`` (with ``if_none="largest"``),
        ``r2_at_true_n``, ``synergies_true_n`` (NMF synergies at N = K, unit-norm),
        ``recovery_cosine``, ``true_model_r2`` (the true synergies with NNLS
        activations), ``n_unconverged`` (NMF fits that reached ``max_iter``).
    """
    X = check_emg_matrix(np.asarray(X, dtype=float).T, name="X", nonnegative=True).T
    W_true = np.asarray(W_true, dtype=float)
    if W_true.ndim != 2 or W_true.shape[0] != X.shape[0]:
        raise SynergyInputError(
            f"W_true must have shape (n_muscles={X.shape[0]}, K), got {W_true.shape}.")
    n_true = W_true.shape[1]
    n_values = sorted({int(n) for n in n_range})
    if n_true not in n_values:
        raise SynergyInputError(
            f"the true number of synergies K={n_true} must be in n_range {n_values}.")
    threshold = check_real(threshold, "threshold", low=0.0, high=1.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        n_values, r2, models = nmf_r2_curve(
            X.T, n_values, n_restarts=n_restarts, random_state=random_state,
            return_models=True, **nmf_kwargs)
    n_unconverged = sum(m.n_restarts - m.n_converged_ for m in models)
    for w in caught:
        if not issubclass(w.category, ConvergenceWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        n_rule = select_n_synergies(n_values, r2, threshold, if_none="largest")
    k = int(np.flatnonzero(n_values == n_true)[0])
    W_nmf = models[k].synergies_
    W_unit = W_true / np.maximum(np.linalg.norm(W_true, axis=0, keepdims=True), 1e-300)
    A = SynergyNMF.nnls_activations(X.T, W_unit)
    return {
        "n_values": n_values.tolist(),
        "r2": r2.tolist(),
        "n_rule": int(n_rule),
        "r2_at_true_n": float(r2[k]),
        "synergies_true_n": W_nmf,
        "recovery_cosine": match_synergies(W_unit, W_nmf).mean_cosine,
        "true_model_r2": r2_score(X.T, A @ W_unit.T),
        "n_unconverged": int(n_unconverged),
    }


def _train_average(participant, array, config: PreprocessingConfig) -> np.ndarray:
    """``array`` (movements, repetitions, rows, samples) time-normalised and averaged over
    the training repetitions, movements concatenated in the preprocessing's order:
    what :func:`~synergylib.preprocessing.preprocess_participant` does to the true
    activations, applied to another part of the truth."""
    order = _movement_order(participant)
    n_rep = participant.n_repetitions
    test = config.test_repetition
    train_idx = [r for r in range(n_rep) if test is None or r != test % n_rep]
    trials = time_normalise(np.asarray(array)[order], np.asarray(participant.onset, float)[order],
                            np.asarray(participant.offset, float)[order], config.n_points)
    return _concatenate(average_repetitions(trials, train_idx, axis=1))


def measure_participant(participant, *, config: PreprocessingConfig | None = None,
                        **kwargs) -> dict[str, Any]:
    """Preprocess a synthetic participant and compute its calibration measures.

    Parameters
    ----------
    participant : ReachingParticipant
        From either generator; ``tonic_activations`` is used when present.
    config : PreprocessingConfig, optional
        Protocol defaults (phasic EMG) if None.
    **kwargs
        Passed to :func:`matrix_measures` (``n_restarts``, ``random_state``, ...).

    Returns
    -------
    dict
        :func:`matrix_measures`'s keys plus ``index``, ``n_true``,
        ``max_activation_correlation`` (phasic truth if the generator gives its tonic
        part, else total), ``max_activation_correlation_total``,
        ``specific_share`` and ``seconds_preprocessing``.
    """
    config = PreprocessingConfig() if config is None else config
    start = time.perf_counter()
    matrices = preprocess_participant(participant, config)
    seconds = time.perf_counter() - start
    W_true = participant.synergies / np.asarray(matrices.amplitude_scale)[:, None]
    result = matrix_measures(matrices.train, W_true, **kwargs)

    # the truth as the preprocessing averages it (same order, onsets and repetitions)
    H_truth = matrices.true_activations_train  # (K, n_movements * n_points), phasic if config.phasic
    tonic = getattr(participant, "tonic_activations", None)
    H_phasic = H_total = H_truth
    if tonic is not None and config.phasic:
        H_total = H_truth + _train_average(participant, tonic, config)
    elif tonic is not None:
        H_phasic = H_truth - _train_average(participant, tonic, config)
    env = _train_average(participant, participant.envelopes, config)
    drive = participant.synergies @ H_total
    result.update(
        index=int(participant.index),
        n_true=int(participant.n_synergies),
        max_activation_correlation=max_offdiagonal_correlation(H_phasic),
        max_activation_correlation_total=max_offdiagonal_correlation(H_total),
        specific_share=float(np.sum((env - drive) ** 2) / np.sum(env**2)),
        seconds_preprocessing=seconds,
    )
    return result


@dataclass
class CalibrationResult:
    """Per-participant calibration measures of one generator parameter set.

    Attributes
    ----------
    parameters : dict
        The generator parameters evaluated (as given; JSON-able).
    participants : list of dict
        :func:`measure_participant` for each participant (without the synergy arrays).
    synergies : list of ndarray
        NMF synergies at the true N, one (n_muscles, K) array per participant.
    n_restarts : int
    seconds_generation, seconds_total : float
    """

    parameters: dict
    participants: list[dict]
    synergies: list[np.ndarray] = field(repr=False)
    n_restarts: int
    seconds_generation: float
    seconds_total: float

    def summary(self) -> dict[str, Any]:
        """See :func:`summarise`."""
        return summarise(self.participants, self.synergies)


def summarise(participants: Sequence[dict], synergies: Sequence[np.ndarray]) -> dict[str, Any]:
    """The calibration values across participants.

    Parameters
    ----------
    participants : sequence of dict
        :func:`measure_participant` (or :func:`matrix_measures` plus ``n_true``) per
        participant, all with the same ``n_values``.
    synergies : sequence of ndarray
        NMF synergies at the true N of each participant (at least 2).

    Returns
    -------
    dict
        ``n_participants``, ``n_rule`` (list), ``rule_histogram`` ({N: count}),
        ``n_rule_within_1`` (count), ``share_rule_within_1``, ``mean_r2_curve``,
        ``r2_at_true_n``, ``knee_ratio``, ``cross_participant_cosine``,
        ``recovery_cosine`` (mean), ``recovery_cosine_min`` and the means of the
        descriptive figures present.
    """
    if len(participants) < 2 or len(participants) != len(synergies):
        raise SynergyInputError(
            f"summarise needs at least 2 participants and one synergy matrix each, got "
            f"{len(participants)} and {len(synergies)}.")
    n_values = participants[0]["n_values"]
    if any(p["n_values"] != n_values for p in participants):
        raise SynergyInputError("every participant must have the same n_values.")
    n_true = {int(p["n_true"]) for p in participants}
    if len(n_true) != 1:
        raise SynergyInputError(f"participants have different true N: {sorted(n_true)}.")
    n_true = n_true.pop()
    n_rule = [int(p["n_rule"]) for p in participants]
    within = int(sum(abs(n - n_true) <= 1 for n in n_rule))
    curve = np.mean([p["r2"] for p in participants], axis=0)
    k = n_values.index(n_true)
    out: dict[str, Any] = {
        "n_participants": len(participants),
        "n_true": n_true,
        "n_values": list(n_values),
        "n_rule": n_rule,
        "rule_histogram": {str(n): n_rule.count(n) for n in sorted(set(n_rule))},
        "n_rule_within_1": within,
        "share_rule_within_1": within / len(participants),
        "mean_r2_curve": curve.tolist(),
        "r2_at_true_n": float(curve[k]),
        "r2_at_true_n_range": [float(min(p["r2"][k] for p in participants)),
                               float(max(p["r2"][k] for p in participants))],
        "knee_ratio": knee_ratio(curve) if len(n_values) >= 4 and n_values == list(
            range(1, len(n_values) + 1)) else float("nan"),
        "cross_participant_cosine": float(np.mean(cross_participant_consistency(synergies))),
        "recovery_cosine": float(np.mean([p["recovery_cosine"] for p in participants])),
        "recovery_cosine_min": float(np.min([p["recovery_cosine"] for p in participants])),
    }
    for key in ("max_activation_correlation", "max_activation_correlation_total",
                "specific_share", "true_model_r2"):
        if all(key in p for p in participants):
            out[key] = float(np.mean([p[key] for p in participants]))
    if all("max_activation_correlation" in p for p in participants):
        out["max_activation_correlation_max"] = float(
            np.max([p["max_activation_correlation"] for p in participants]))
    if all("n_unconverged" in p for p in participants):
        out["n_unconverged"] = int(sum(p["n_unconverged"] for p in participants))
    return out


def calibration_table(summary: dict[str, Any],
                      targets: Sequence[CalibrationTarget] = CALIBRATION_TARGETS
                      ) -> list[dict[str, Any]]:
    """One row per target: what, target, source, value reached, met.

    Parameters
    ----------
    summary : dict
        :func:`summarise`'s output.
    targets : sequence of CalibrationTarget

    Returns
    -------
    list of dict
        Keys ``"key"``, ``"measure"``, ``"target"``, ``"source"``, ``"value"``, ``"met"``.
    """
    rows = []
    for target in targets:
        if target.key not in summary:
            raise SynergyInputError(f"summary has no value {target.key!r} for a target.")
        value = float(summary[target.key])
        rows.append({
            "key": target.key,
            "measure": target.description,
            "target": target.text,
            "source": target.source,
            "value": value,
            "met": bool(target.met(value)),
        })
    return rows


def evaluate_generator(make_participant: Callable[..., Any], parameters: dict | None = None,
                       *, n_participants: int = 15, random_state=0, n_restarts: int = 10,
                       nmf_random_state=0, config: PreprocessingConfig | None = None,
                       progress: Callable[[str], None] | None = None,
                       **kwargs) -> CalibrationResult:
    """Generate participants ``0..n_participants-1`` and measure each one.

    Parameters
    ----------
    make_participant : callable
        ``make_participant(index, random_state=..., **parameters)``, e.g.
        :func:`synergylib.reaching.make_realistic_participant`.
    parameters : dict, optional
        Generator parameters (its defaults for the others).
    n_participants : int
        At least 2 (protocol: 15).
    random_state : int
        The data seed.
    n_restarts, nmf_random_state : int
        NMF restarts (protocol: 10) and their root seed: participant ``i`` uses
        ``SeedSequence([nmf_random_state, i]).generate_state(1)[0]``, the NMF seed
        that :mod:`synergylib.study` gives it.
    config : PreprocessingConfig, optional
    progress : callable, optional
        Called with one line of text per participant.
    **kwargs
        Passed to :func:`matrix_measures` (``n_range``, ``threshold``, ...).
    """
    n_participants = check_int(n_participants, "n_participants", low=2)
    n_restarts = check_int(n_restarts, "n_restarts", low=1)
    parameters = dict(parameters or {})
    start = time.perf_counter()
    generation = 0.0
    rows, synergies = [], []
    for index in range(n_participants):
        t0 = time.perf_counter()
        participant = make_participant(index, random_state=random_state, **parameters)
        generation += time.perf_counter() - t0
        seed = int(np.random.SeedSequence([int(nmf_random_state), index]).generate_state(1)[0])
        result = measure_participant(participant, config=config, n_restarts=n_restarts,
                                     random_state=seed, **kwargs)
        del participant
        synergies.append(result.pop("synergies_true_n"))
        rows.append(result)
        if progress is not None:
            progress(f"participant {index}: rule N = {result['n_rule']}, R2(true N) = "
                     f"{result['r2_at_true_n']:.3f}, recovery = {result['recovery_cosine']:.3f}")
    return CalibrationResult(parameters=parameters, participants=rows, synergies=synergies,
                             n_restarts=n_restarts, seconds_generation=generation,
                             seconds_total=time.perf_counter() - start)
