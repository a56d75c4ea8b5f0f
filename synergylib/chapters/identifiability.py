r"""Tables, figures and named values of the chapter "Are autoencoder synergies identifiable?".

A trained autoencoder
:math:`\hat x = f_\mathrm{dec}(W_d\, f_\mathrm{enc}(W_e x + b_e) + b_d)` gives its
synergies as the unit-norm columns of :math:`W_d`. For an invertible
:math:`N \times N` matrix :math:`A`, the *mixed network*
:math:`(A W_e,\ A b_e,\ W_d A^{-1},\ b_d)`
(:func:`synergylib.identifiability.mixed_network`) feeds its decoder

.. math::

    W_d A^{-1} f_\mathrm{enc}(A z) + b_d, \qquad z = W_e x + b_e ,

which is the original network's :math:`W_d f_\mathrm{enc}(z) + b_d` whenever
:math:`f_\mathrm{enc}(A z) = A f_\mathrm{enc}(z)` on the data. This module builds the
mixings the chapter applies (:func:`random_mixing`, :func:`shear_mixing`,
:func:`sign_flip`, :func:`nonnegative_mixing`), the mixed network of an encoder
whose rest level :math:`f_\mathrm{enc}(0)` is not zero (:func:`centred_mixed_network`:
the sigmoid), what a mixing changes (:func:`mixing_table`, :func:`mixing_path`,
:func:`unit_states`), how far apart the equal-loss restarts of the study are
(:func:`equal_loss_table`, :func:`equal_loss_summary`, :func:`chance_distance`), the
chapter's figures (:func:`plot_mixed_synergies`, :func:`plot_mixing_paths`,
:func:`plot_within_set_distance`) and the named values of its text (the
``*_values`` functions, one per section).

It never trains a model: every network is rebuilt from the parameters a study
stored (:meth:`synergylib.study.ParticipantResult.model`).

Distances between synergy sets are :func:`synergylib.claims.synergy_set_dissimilarity`,
one minus the mean matched :math:`|\cos|`, the measure of claim 1: a sign flip or a
permutation of the units is no change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .._validation import SynergyInputError, check_emg_matrix, check_int, check_real
from ..autoencoder import SynergyAutoencoder
from ..claims import (
    CLAIMED_BEST,
    kept_restart_typicality,
    participant_restart_synergies,
    restart_score,
    synergy_set_dissimilarity,
)
from ..comparison_report import N_LABELS
from ..identifiability import mixed_network, mixing_effect, network_weights
from ..plotting import _LINE_COLORS, _MARKERS, _grid, _given_axes, _single_axes, plot_synergies
from ..similarity import chance_level, match_abs, random_synergies, subspace_similarity

__all__ = [
    "MIXING_COLUMNS",
    "SUMMARY_COLUMNS",
    "UNIT_STATES",
    "centred_mixed_network",
    "chance_distance",
    "equal_loss_summary",
    "equal_loss_table",
    "mixing_path",
    "mixing_table",
    "nonnegative_mixing",
    "plot_mixed_synergies",
    "plot_mixing_paths",
    "plot_within_set_distance",
    "random_mixing",
    "shear_mixing",
    "sign_flip",
    "style_mixing_table",
    "unit_states",
]

#: What a ReLU unit does on the data: its input :math:`z_k` is positive on every
#: sample, on some, or on none.
UNIT_STATES: tuple[str, ...] = ("always on", "sometimes on", "never on")


# --------------------------------------------------------------------------- #
# Mixings
# --------------------------------------------------------------------------- #
def _check_n(n) -> int:
    return check_int(n, "n (number of synergies)", low=1)


def random_mixing(n: int, *, random_state: int = 0, max_condition: float = 100.0) -> np.ndarray:
    r"""A random invertible :math:`n \times n` mixing with standard normal entries.

    Matrices are drawn from one seeded generator until one has a condition number
    :math:`\kappa(A) = \sigma_\max / \sigma_\min \le` ``max_condition`` (a well
    invertible matrix, so that :math:`A^{-1}` is computed accurately).

    Examples
    --------
    >>> A = random_mixing(3, random_state=1)
    >>> A.shape, bool(np.linalg.cond(A) <= 100)
    ((3, 3), True)
    """
    n = _check_n(n)
    max_condition = check_real(max_condition, "max_condition", low=1.0, include_low=False)
    rng = np.random.default_rng(check_int(random_state, "random_state", low=0))
    for _ in range(1000):
        A = rng.standard_normal((n, n))
        if np.linalg.cond(A) <= max_condition:
            return A
    raise SynergyInputError(  # pragma: no cover - needs max_condition close to 1
        f"no random {n} x {n} matrix with condition number <= {max_condition} in 1000 draws.")


def shear_mixing(n: int, i: int, j: int, amount: float = 1.0) -> np.ndarray:
    r"""The elementary mixing :math:`A = I + a\, e_i e_j^\top` (:math:`i \ne j`).

    Its inverse is :math:`A^{-1} = I - a\, e_i e_j^\top`, so in the mixed network

    .. math::

        h_i' = h_i + a\, h_j, \qquad w_j' = w_j - a\, w_i

    (raw encoder outputs and decoder columns; every other unit is unchanged), and
    :math:`w_i h_i' + w_j' h_j = w_i h_i + w_j h_j`: synergy :math:`j` becomes
    itself minus :math:`a` times synergy :math:`i`.

    Examples
    --------
    >>> shear_mixing(3, 0, 2, 0.5)
    array([[1. , 0. , 0.5],
           [0. , 1. , 0. ],
           [0. , 0. , 1. ]])
    """
    n = _check_n(n)
    i = check_int(i, "i", low=0, high=n - 1)
    j = check_int(j, "j", low=0, high=n - 1)
    if i == j:
        raise SynergyInputError(f"a shear mixes two different units; got i = j = {i}.")
    A = np.eye(n)
    A[i, j] = check_real(amount, "amount")
    return A


def sign_flip(n: int, k: int) -> np.ndarray:
    r"""The mixing that flips unit :math:`k`: :math:`A = I - 2 e_k e_k^\top`.

    Examples
    --------
    >>> sign_flip(3, 1)
    array([[ 1.,  0.,  0.],
           [ 0., -1.,  0.],
           [ 0.,  0.,  1.]])
    """
    n = _check_n(n)
    k = check_int(k, "k", low=0, high=n - 1)
    A = np.eye(n)
    A[k, k] = -1.0
    return A


def nonnegative_mixing(n: int, *, strength: float, units=None, random_state: int = 0) -> np.ndarray:
    r"""A non-negative mixing :math:`A = I + s P` among ``units``.

    :math:`P_{ij}` is uniform on :math:`[0, 1)` where :math:`i \ne j` are both in
    ``units`` (a boolean mask, default all), zero elsewhere. The draws are those of
    :func:`synergylib.identifiability.sign_preserving_mixing` with the same seed:
    with ``units`` the always-on units of a ReLU encoder
    (:func:`synergylib.identifiability.always_on_units`) the two give the same
    matrix, and with all units the same draws mix units that switch off too.

    Examples
    --------
    >>> A = nonnegative_mixing(3, strength=0.5, units=[True, False, True])
    >>> bool(A[1, 0] == A[0, 1] == 0.0 and A[0, 2] > 0 and np.all(np.diag(A) == 1))
    True
    """
    n = _check_n(n)
    strength = check_real(strength, "strength", low=0.0)
    if units is None:
        mask = np.ones(n, dtype=bool)
    else:
        mask = np.asarray(units)
        if mask.dtype != bool or mask.shape != (n,):
            raise SynergyInputError(f"units must be a boolean mask of length {n}, got {mask!r}.")
    rng = np.random.default_rng(check_int(random_state, "random_state", low=0))
    P = rng.random((n, n)) * np.outer(mask, mask)
    np.fill_diagonal(P, 0.0)
    return np.eye(n) + strength * P


def _check_model(model) -> SynergyAutoencoder:
    network_weights(model)  # a fitted SynergyAutoencoder, or SynergyInputError
    return model


def centred_mixed_network(model: SynergyAutoencoder, A) -> SynergyAutoencoder:
    """The mixed network with the encoder's rest level in the decoder bias:
    :func:`synergylib.identifiability.mixed_network` with ``centred=True``."""
    return mixed_network(_check_model(model), A, centred=True)


def _mix(model, X, A, *, centred: bool, W_true=None) -> dict[str, float]:
    """What the mixing ``A`` changes (the columns of :func:`mixing_table`), from
    :func:`synergylib.identifiability.mixing_effect`."""
    effect = mixing_effect(model, X, A, centred=centred)
    row = {
        "r2_before": effect.r2_before,
        "r2_after": effect.r2_after,
        "max_output_change": effect.max_output_change,
        "loss_change": effect.loss_change,
        "abs_cos_original": effect.abs_synergy_cosine,
        "cos_original": effect.synergy_cosine,
    }
    if W_true is not None:
        mixed = mixed_network(model, A, centred=centred)
        row["abs_cos_true_before"] = float(match_abs(W_true, model.synergies_).mean_cosine)
        row["abs_cos_true_after"] = float(match_abs(W_true, mixed.synergies_).mean_cosine)
    return row


def mixing_table(model: SynergyAutoencoder, X, mixings: Mapping[str, np.ndarray], *, W_true=None,
                 centred: bool = False) -> pd.DataFrame:
    r"""What each mixing changes in the network and in its synergies.

    Parameters
    ----------
    model : SynergyAutoencoder
        A fitted network (e.g. ``result.model("linear+linear")``).
    X : array-like of shape (n_samples, n_muscles)
        The data the network is judged on (``result.train.T``).
    mixings : mapping name -> (N, N) array
        The mixings :math:`A`.
    W_true : array-like of shape (n_muscles, n_true), optional
        Ground-truth synergies: adds the matched :math:`|\cos|` to them before and
        after the mixing.
    centred : bool, default False
        Mix with :func:`centred_mixed_network` (the rest level in the decoder bias)
        instead of :func:`synergylib.identifiability.mixed_network`.

    Returns
    -------
    DataFrame indexed by mixing name
        ``r2_before``, ``r2_after`` (centred :math:`R^2` of the reconstruction),
        ``max_output_change`` (largest :math:`|\hat x' - \hat x|`), ``loss_change``
        (:math:`L'/L - 1` with :math:`L` the mean squared error, the training loss),
        ``abs_cos_original`` and ``cos_original`` (mean matched :math:`|\cos|`,
        :func:`synergylib.similarity.match_abs`, and signed cosine,
        :func:`synergylib.metrics.match_synergies`, between the original and the
        mixed synergies), and with ``W_true`` ``abs_cos_true_before`` and
        ``abs_cos_true_after``.
    """
    _check_model(model)
    X = check_emg_matrix(X)
    if not isinstance(mixings, Mapping) or not mixings:
        raise SynergyInputError("mixings must be a non-empty mapping name -> (N, N) matrix.")
    rows = {str(name): _mix(model, X, A, centred=centred, W_true=W_true) for name, A in mixings.items()}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "mixing"
    return table


#: How :func:`style_mixing_table` writes each column.
_MIXING_FORMATS: dict[str, str] = {
    "r2_before": "{:.4f}", "r2_after": "{:.4f}", "max_output_change": "{:.1e}", "loss_change": "{:+.2%}",
    "abs_cos_original": "{:.3f}", "cos_original": "{:.3f}", "abs_cos_true_before": "{:.3f}",
    "abs_cos_true_after": "{:.3f}",
}

#: Column headers of :func:`style_mixing_table`.
MIXING_COLUMNS: dict[str, str] = {
    "r2_before": "R² before", "r2_after": "R² after", "max_output_change": "largest output change",
    "loss_change": "loss change", "abs_cos_original": "|cos| to original", "cos_original": "cos to original",
    "abs_cos_true_before": "|cos| to truth, before", "abs_cos_true_after": "|cos| to truth, after",
}


def style_mixing_table(table: pd.DataFrame):
    """:func:`mixing_table` for display: readable headers, the output change in
    scientific notation (so that 1e-15 does not read as 0) and the loss change in %."""
    if not isinstance(table, pd.DataFrame) or not set(table.columns) <= set(_MIXING_FORMATS):
        raise SynergyInputError("style_mixing_table expects a mixing_table (or a concatenation of them).")
    formats = {MIXING_COLUMNS[c]: _MIXING_FORMATS[c] for c in table.columns}
    return table.rename(columns=MIXING_COLUMNS).style.format(formats)


def mixing_path(model: SynergyAutoencoder, X, direction, strengths, *, centred: bool = False) -> pd.DataFrame:
    r"""The network mixed by :math:`A(s) = I + s D` for a range of strengths :math:`s`.

    Parameters
    ----------
    model : SynergyAutoencoder
    X : array-like of shape (n_samples, n_muscles)
    direction : array-like of shape (N, N)
        :math:`D`, e.g. ``nonnegative_mixing(N, strength=1.0) - np.eye(N)``.
    strengths : sequence of float
        Non-negative values of :math:`s`.
    centred : bool, default False
        Mix with :func:`centred_mixed_network`.

    Returns
    -------
    DataFrame
        One row per strength: ``strength``, ``loss_change`` (:math:`L(s)/L(0) - 1`),
        ``r2_after``, ``max_output_change`` and ``synergy_distance``, the
        :func:`synergylib.claims.synergy_set_dissimilarity` between the original
        and the mixed synergies (0: the same up to order and sign).
    """
    _check_model(model)
    X = check_emg_matrix(X)
    n = model.synergies_.shape[1]
    D = np.asarray(direction, dtype=float)
    if D.shape != (n, n) or not np.all(np.isfinite(D)):
        raise SynergyInputError(f"direction must be a finite {n} x {n} matrix, got shape {D.shape}.")
    s = np.asarray(strengths, dtype=float).ravel()
    if s.size == 0 or not np.all(np.isfinite(s)) or (s < 0).any():
        raise SynergyInputError("strengths must be a non-empty sequence of non-negative numbers.")
    rows = []
    for value in s:
        effect = mixing_effect(model, X, np.eye(n) + value * D, centred=centred)
        rows.append({
            "strength": float(value),
            "loss_change": effect.loss_change,
            "r2_after": effect.r2_after,
            "max_output_change": effect.max_output_change,
            # synergylib.claims.synergy_set_dissimilarity: one minus the matched |cos|
            "synergy_distance": 1.0 - effect.abs_synergy_cosine,
        })
    return pd.DataFrame(rows)


def unit_states(model: SynergyAutoencoder, X) -> pd.DataFrame:
    r"""Each encoder unit's input on the data: how often :math:`z_k = (W_e x + b_e)_k > 0`.

    A ReLU unit that is on for every sample is linear there (the units
    :func:`synergylib.identifiability.always_on_units` finds); one that is never on
    outputs 0 for every sample (a *dead* unit), so its decoder column never reaches
    the output and can be replaced by any vector without changing the network.

    Returns
    -------
    DataFrame indexed by unit (``S1``, ``S2``, ...)
        ``share_on`` (share of samples with :math:`z_k > 0`) and ``state``, one of
        :data:`UNIT_STATES`.

    Examples
    --------
    >>> ae = SynergyAutoencoder.from_weights(np.eye(2), np.array([1.0, -5.0]), np.eye(2),
    ...                                      np.zeros(2), encoder="relu", decoder="linear")
    >>> unit_states(ae, np.array([[0.2, 0.1], [0.5, 0.4]]))["state"].tolist()
    ['always on', 'never on']
    """
    W_e, b_e, _, _ = network_weights(_check_model(model))
    X = check_emg_matrix(X, min_samples=1)
    on = X @ W_e.T + b_e > 0
    share = on.mean(axis=0)
    state = np.where(on.all(axis=0), UNIT_STATES[0], np.where(on.any(axis=0), UNIT_STATES[1], UNIT_STATES[2]))
    return pd.DataFrame({"share_on": share, "state": state},
                        index=pd.Index([f"S{k + 1}" for k in range(share.size)], name="unit"))


# --------------------------------------------------------------------------- #
# Equal-loss restarts of a study
# --------------------------------------------------------------------------- #
def _check_results(results) -> list:
    results = list(results) if isinstance(results, Sequence) else None
    if not results:
        raise SynergyInputError("results must be a non-empty sequence of ParticipantResult.")
    for r in results:
        if getattr(r, "ae_restart_encoder_weights", None) is None:
            raise SynergyInputError(
                f"participant {getattr(r, 'index', '?')}: the result holds no restarts' parameters "
                "(use results computed by synergylib.study.run_study).")
    return results


def _pairwise(values: Sequence[np.ndarray], f) -> np.ndarray:
    return np.array([f(values[a], values[b]) for a in range(len(values)) for b in range(a + 1, len(values))])


def equal_loss_table(results: Sequence, *, tolerance: float = 0.01,
                     score: str = "true_mean_cosine") -> pd.DataFrame:
    r"""The equal-loss restarts of every participant and pairing, and how far apart they are.

    A pairing's equal-loss set holds its restarts whose final loss is within
    ``tolerance`` of its best (:func:`synergylib.claims.equal_loss_restarts`);
    their networks are rebuilt from the stored parameters
    (:func:`synergylib.claims.participant_restart_synergies`). For a set
    :math:`W^{(1)}, \dots, W^{(m)}` (kept restart first) with :math:`m \ge 2`,

    .. math::

        \bar d = \binom{m}{2}^{-1} \sum_{a < b} d\bigl(W^{(a)}, W^{(b)}\bigr),

    with :math:`d` the :func:`synergylib.claims.synergy_set_dissimilarity`
    (one minus the mean matched :math:`|\cos|`), and likewise the mean pairwise
    :func:`synergylib.similarity.subspace_similarity` (1 when the restarts span the
    same space, whatever their basis).

    Parameters
    ----------
    results : sequence of ParticipantResult
    tolerance : float, default 0.01
    score : str, default "true_mean_cosine"
        A column of :data:`synergylib.similarity.SIMILARITY_COLUMNS`, the score of every
        restart (by default claim 3's: signed matched cosine to the truth).

    Returns
    -------
    DataFrame
        One row per participant and pairing: ``participant``, ``pairing``,
        ``n_restarts``, ``set_size``, ``within_distance`` and ``max_distance``
        (mean and largest pairwise :math:`d`), ``within_subspace``, and the set's
        scores ``score_kept``, ``score_min``, ``score_max``; the pairwise columns
        are NaN for a set of one.
    """
    results = _check_results(results)
    tolerance = check_real(tolerance, "tolerance", low=0.0)
    scorer = restart_score(score)
    rows = []
    for res in results:
        sets = participant_restart_synergies(res, tolerance=tolerance)
        for name, Ws in sets.items():
            scores = np.array([scorer(res, W) for W in Ws])
            d = _pairwise(Ws, synergy_set_dissimilarity) if len(Ws) > 1 else np.array([np.nan])
            sub = _pairwise(Ws, subspace_similarity) if len(Ws) > 1 else np.array([np.nan])
            rows.append({
                "participant": int(res.index),
                "pairing": name,
                "n_restarts": int(res.ae_restart_losses.shape[1]),
                "set_size": len(Ws),
                "within_distance": float(d.mean()),
                "max_distance": float(d.max()),
                "within_subspace": float(sub.mean()),
                "score_kept": float(scores[0]),
                "score_min": float(scores.min()),
                "score_max": float(scores.max()),
            })
    return pd.DataFrame(rows)


_TABLE_COLUMNS = ("participant", "pairing", "set_size", "within_distance", "within_subspace",
                  "score_kept", "score_min", "score_max")


def _check_table(table) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise SynergyInputError(f"expected the DataFrame of equal_loss_table, got {type(table).__name__}.")
    missing = [c for c in _TABLE_COLUMNS if c not in table.columns]
    if missing:
        raise SynergyInputError(f"table lacks the columns {missing}; use equal_loss_table(results).")
    if table.empty:
        raise SynergyInputError("the table is empty.")
    return table


#: Column headers of :func:`equal_loss_summary` for display.
SUMMARY_COLUMNS: dict[str, str] = {
    "mean_set_size": "restarts per set", "n_sets": "sets of 2 or more", "within_distance": "synergy distance",
    "within_subspace": "subspace similarity", "score_range": "score range",
}


def equal_loss_summary(table: pd.DataFrame) -> pd.DataFrame:
    r"""Per pairing, over participants: the size of the equal-loss sets and their spread.

    Parameters
    ----------
    table : DataFrame
        :func:`equal_loss_table`.

    Returns
    -------
    DataFrame indexed by pairing (in the table's order)
        ``mean_set_size``; ``n_sets`` (participants whose set has two or more
        restarts); over those sets the means of ``within_distance``,
        ``within_subspace`` and ``score_range`` (:math:`\max - \min` of the set's
        scores); NaN where no participant has such a set.
    """
    t = _check_table(table).copy()
    t["score_range"] = t["score_max"] - t["score_min"]
    t["multi"] = t["set_size"] >= 2
    order = list(dict.fromkeys(t["pairing"]))
    multi = t[t["multi"]].groupby("pairing")[["within_distance", "within_subspace", "score_range"]].mean()
    out = pd.DataFrame({
        "mean_set_size": t.groupby("pairing")["set_size"].mean(),
        "n_sets": t.groupby("pairing")["multi"].sum().astype(int),
    }).join(multi).reindex(order)
    out.index.name = "pairing"
    return out


def chance_distance(results: Sequence, *, n_draws: int = 200, random_state: int = 0) -> float:
    r"""How far apart two sets of random signed synergies are, at the study's :math:`N`.

    For each distinct :math:`N` among ``results`` (with :math:`M` muscles), one set
    of :math:`N` random signed unit vectors (:func:`synergylib.similarity.random_synergies`)
    is the reference and :func:`synergylib.similarity.chance_level` scores
    ``n_draws`` other random sets against it with the matched :math:`|\cos|`; the
    distance is one minus their mean. The result is the mean over participants
    (each at its own :math:`N`): the :func:`synergylib.claims.synergy_set_dissimilarity`
    of two restarts whose synergies had nothing in common.
    """
    results = list(results)
    if not results:
        raise SynergyInputError("results is empty.")
    n_draws = check_int(n_draws, "n_draws", low=2)
    random_state = check_int(random_state, "random_state", low=0)
    by_n: dict[tuple[int, int], float] = {}
    values = []
    for r in results:
        key = (len(r.muscles), int(r.n_synergies))
        if key not in by_n:
            ref = random_synergies(key[0], key[1], kind="signed", random_state=random_state)
            level = chance_level(ref, metric="abs_cosine", kind="signed", n_draws=n_draws,
                                 random_state=random_state + 1)
            by_n[key] = 1.0 - level.mean
        values.append(by_n[key])
    return float(np.mean(values))


# --------------------------------------------------------------------------- #
# Figures
# --------------------------------------------------------------------------- #
def plot_mixed_synergies(W, W_mixed, muscles: Sequence[str], *, axes=None, ncols: int = 3,
                         labels: tuple[str, str] = ("mixed", "original"), title: str | None = None):
    r"""The synergies of a mixed network beside the original ones, muscle by muscle.

    The mixed synergies are matched one to one to the original ones on
    :math:`|\cos|` (:func:`synergylib.similarity.match_abs`) and their signs turned
    to agree with their partner's (a sign is no change), then drawn as bars per
    muscle with :func:`synergylib.plotting.plot_synergies` (muscles on the x axis,
    weights on the y axis), the original in grey; each panel's title holds the
    pair's :math:`|\cos|`.

    Parameters
    ----------
    W, W_mixed : array-like of shape (n_muscles, N)
    muscles : sequence of str
    axes : sequence of N Axes, optional
        A new figure (``ncols`` panels per row) when omitted.
    labels : (str, str)
        Legend entries of the mixed and the original synergies.

    Returns
    -------
    fig, axes, match
        ``match`` is the :class:`~synergylib.metrics.SynergyMatch` used.
    """
    W = np.asarray(W, dtype=float)
    W_mixed = np.asarray(W_mixed, dtype=float)
    if W.ndim != 2 or W.shape != W_mixed.shape:
        raise SynergyInputError(f"W and W_mixed must have the same 2-D shape, got {W.shape} and {W_mixed.shape}.")
    match = match_abs(W, W_mixed)
    n = W.shape[1]
    signs = np.sign(match.similarity[np.arange(n), match.permutation])
    signs[signs == 0] = 1.0
    aligned = W_mixed[:, match.permutation] * signs
    if axes is None:
        fig, axes = _grid(n, ncols, width=4.4, height=2.5, sharey=True)
    else:
        fig, axes = _given_axes(axes, n, "synergies")
    names = [f"S{k + 1}: |cos| {c:.2f}" for k, c in enumerate(match.cosine[np.argsort(match.ref_index)])]
    plot_synergies(aligned, muscles, W_ref=W, label=labels[0], ref_label=labels[1], axes=axes,
                   orientation="vertical", names=names, xlabel="Weight", ylabel="Muscle")
    legend = axes[-1].get_legend()
    if legend is not None:  # one legend for the figure, below the panels
        handles, texts = legend.legend_handles, [t.get_text() for t in legend.get_texts()]
        legend.remove()
        fig.legend(handles, texts, loc="outside lower center", ncols=len(texts), fontsize=8, frameon=False)
    for ax in axes:
        ax.tick_params(axis="x", labelsize=7)
        spec = ax.get_subplotspec()
        if spec is not None and spec.colspan.start != 0:
            ax.set_ylabel("")
    if title:
        fig.suptitle(title, fontsize=11)
    return fig, axes, match


def plot_mixing_paths(paths: Mapping[str, pd.DataFrame], *, tolerance: float = 0.01, floor: float = 1e-9,
                      ax=None, title: str | None = None):
    r"""How far a mixing moves the synergies against how much it changes the loss.

    One line per path (:func:`mixing_path`), through its strengths: x is the
    relative change of the training loss :math:`|L(s)/L(0) - 1|` (log scale;
    values below ``floor``, i.e. exact invariances, are drawn at ``floor``),
    y the synergy distance to the original network. The dashed line marks
    ``tolerance``, the equal-loss criterion: every point left of it is a network
    that would count as an equal-loss restart.

    Returns
    -------
    fig, ax
    """
    if not isinstance(paths, Mapping) or not paths:
        raise SynergyInputError("paths must be a non-empty mapping label -> mixing_path table.")
    tolerance = check_real(tolerance, "tolerance", low=0.0, include_low=False)
    floor = check_real(floor, "floor", low=0.0, include_low=False)
    fig, ax = _single_axes(ax, (7.5, 4.2))
    for i, (label, path) in enumerate(paths.items()):
        if not isinstance(path, pd.DataFrame) or not {"loss_change", "synergy_distance"} <= set(path.columns):
            raise SynergyInputError(f"paths[{label!r}] is not a mixing_path table.")
        x = np.maximum(np.abs(path["loss_change"].to_numpy(dtype=float)), floor)
        ax.plot(x, path["synergy_distance"], marker=_MARKERS[i % len(_MARKERS)], markersize=4,
                color=_LINE_COLORS[i % len(_LINE_COLORS)], label=str(label))
    ax.set_xscale("log")
    ax.axvline(tolerance, color="black", linestyle="--", linewidth=1.0,
               label=f"{tolerance:.0%} of the loss (equal-loss tolerance)")
    ax.axvspan(floor / 3, tolerance, color="0.85", alpha=0.5, linewidth=0)
    ax.set_xlim(floor / 3, None)
    ax.set_ylim(bottom=0.0)
    ax.text(floor * 1.5, ax.get_ylim()[1] * 0.98, f"exact\n(< {floor:.0e})", fontsize=7, va="top", ha="left")
    ax.set_xlabel("Relative change of the training loss |L(s)/L(0) − 1|")
    ax.set_ylabel("Synergy change (1 − matched |cos|)")
    ax.grid(alpha=0.3, which="major")
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    if title:
        ax.set_title(title)
    return fig, ax


def plot_within_set_distance(tables: Mapping[str, pd.DataFrame], *, chance: float | None = None,
                             ax=None, title: str | None = None):
    r"""How far apart the equal-loss restarts of each pairing are, at each :math:`N`.

    For every key of ``tables`` (``"rule"``, ``"true"``: :math:`N`), one small point
    per participant whose equal-loss set has two or more restarts, at its mean
    pairwise synergy distance (:func:`equal_loss_table`), and a bar at the mean
    over those participants. ``chance`` (:func:`chance_distance`) is drawn as a
    dotted line: two sets of random signed synergies.

    Returns
    -------
    fig, ax
    """
    if not isinstance(tables, Mapping) or not tables:
        raise SynergyInputError("tables must be a non-empty mapping N label -> equal_loss_table.")
    tables = {k: _check_table(t) for k, t in tables.items()}
    pairings = list(dict.fromkeys(next(iter(tables.values()))["pairing"]))
    pos = {p: k for k, p in enumerate(pairings)}
    fig, ax = _single_axes(ax, (11.0, 4.2))
    width = 0.7 / len(tables)
    rng = np.random.default_rng(0)
    for i, (key, t) in enumerate(tables.items()):
        color = _LINE_COLORS[i % len(_LINE_COLORS)]
        label = N_LABELS.get(key, str(key))
        t = t[(t["set_size"] >= 2) & t["pairing"].isin(pos)]
        shift = (i - (len(tables) - 1) / 2) * width
        x = t["pairing"].map(pos).to_numpy(dtype=float) + shift
        ax.scatter(x + rng.uniform(-0.25, 0.25, x.size) * width, t["within_distance"], s=9, color=color,
                   alpha=0.5, linewidth=0, label=f"{label}: one participant")
        means = t.groupby("pairing")["within_distance"].mean()
        for j, (name, value) in enumerate(means.items()):
            k = pos[name] + shift
            ax.plot([k - 0.4 * width, k + 0.4 * width], [value, value], color=color, linewidth=2.2,
                    label=f"{label}: mean" if j == 0 else None)
    if chance is not None:
        ax.axhline(float(chance), color="0.3", linestyle=":", linewidth=1.2,
                   label="two sets of random signed synergies")
    ax.set_xticks(range(len(pairings)), pairings, rotation=60, ha="right", fontsize=8)
    ax.set_xlim(-0.6, len(pairings) - 0.4)
    top = max([float(chance) if chance is not None else 0.0]
              + [float(t["within_distance"].max()) for t in tables.values() if t["within_distance"].notna().any()])
    ax.set_ylim(0.0, max(top * 1.08, 0.05))
    ax.set_xlabel("Pairing (encoder+decoder)")
    ax.set_ylabel("Synergy distance within the\nequal-loss set (1 − matched |cos|)")
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    if title:
        ax.set_title(title)
    return fig, ax


# --------------------------------------------------------------------------- #
# The named values of the chapter's text, one function per section
# --------------------------------------------------------------------------- #
__all__ += [
    "RANK_ROWS",
    "claim3_values",
    "claimed_ranks",
    "equal_loss_values",
    "linear_values",
    "path_values",
    "relu_values",
    "saturating_values",
]


def _row(table: pd.DataFrame, label, what: str) -> pd.Series:
    if label not in table.index:
        raise SynergyInputError(f"{what}: no row {label!r}; rows: {list(table.index)}.")
    return table.loc[label]


def linear_values(table: pd.DataFrame, *, random: str, shear: str) -> dict[str, float]:
    """Section "A linear encoder": the rows ``random`` and ``shear`` of :func:`mixing_table`.

    ``lin_max_change`` is the largest output change over every row; the other
    values are those of the random mixing (R² before and after, matched
    :math:`|\\cos|` to the original synergies and to the truth before and after)
    and the shear's matched :math:`|\\cos|` to the original synergies.
    """
    r = _row(table, random, "linear_values")
    s = _row(table, shear, "linear_values")
    return {
        "lin_max_change": float(table["max_output_change"].max()),
        "lin_r2_before": float(r["r2_before"]),
        "lin_r2_after": float(r["r2_after"]),
        "lin_random_cos": float(r["abs_cos_original"]),
        "lin_true_before": float(r["abs_cos_true_before"]),
        "lin_true_after": float(r["abs_cos_true_after"]),
        "lin_shear_cos": float(s["abs_cos_original"]),
    }


_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _units(n: int) -> str:
    """``"one unit"``, ``"two units"``, ... (digits above ten)."""
    word = _WORDS[n] if 0 <= n < len(_WORDS) else str(n)
    return f"{word} unit" if n == 1 else f"{word} units"


def _share(x: float) -> str:
    """A share in percent that never rounds a part to the whole: "99.9%", "more than 99.9%"."""
    x = float(x)
    if 0.9995 <= x < 1.0:
        return "more than 99.9%"
    if 0.0 < x < 0.0005:
        return "less than 0.1%"
    return f"{x:.1%}"


def relu_values(states: Mapping[str, pd.DataFrame], tables: Mapping[str, pd.DataFrame], *,
                on_row: str, all_row: str, tolerance: float = 0.01) -> dict[str, str | int | float]:
    """Section "A ReLU encoder": one sentence per pairing, generated from its numbers.

    ``states`` maps a pairing to its :func:`unit_states`, ``tables`` to its
    :func:`mixing_table` with the rows ``on_row`` (a mixing among the always-on
    units) and ``all_row`` (the same kind of mixing among all units). For a
    pairing ``p`` (``+`` written ``_``) the values are ``{p}_n_on``,
    ``{p}_n_dead``, ``{p}_all_loss_change`` and ``{p}_sentence`` (plain text: it
    is glued as text). The sentence says whether the mixing among all units stays
    within ``tolerance`` of the loss (the equal-loss criterion).
    """
    tolerance = check_real(tolerance, "tolerance", low=0.0)
    out: dict[str, str | int | float] = {}
    for name, st in states.items():
        if name not in tables:
            raise SynergyInputError(f"relu_values: no mixing table for {name!r}.")
        if not isinstance(st, pd.DataFrame) or not {"share_on", "state"} <= set(st.columns):
            raise SynergyInputError(f"relu_values: states[{name!r}] is not a unit_states table.")
        on = _row(tables[name], on_row, f"relu_values[{name!r}]")
        everything = _row(tables[name], all_row, f"relu_values[{name!r}]")
        n_on = int((st["state"] == UNIT_STATES[0]).sum())
        n_dead = int((st["state"] == UNIT_STATES[2]).sum())
        some = st.loc[st["state"] == UNIT_STATES[1], "share_on"]
        n = len(st)
        if n_on >= 2:
            text = (f"In {name}, {n_on} of the {n} units are on for every training sample. Mixing "
                    f"them leaves the reconstruction as it was (largest change "
                    f"{on['max_output_change']:.1e}; R² {on['r2_before']:.4f} before, "
                    f"{on['r2_after']:.4f} after) and moves the synergies to a mean matched "
                    f"|cos| of {on['abs_cos_original']:.2f} with the original ones")
        else:
            text = (f"In {name}, {'only one' if n_on == 1 else 'none'} of the {n} units "
                    f"{'is' if n_on == 1 else 'are'} on for every training sample: there is "
                    "nothing to mix, and on these data its encoder admits no exact mixing that "
                    "changes the synergies (permutations and positive scalings change none)")
        if not some.empty:
            text += (f". {_units(some.size).capitalize()} {'is' if some.size == 1 else 'are'} on for only "
                     "part of the samples ("
                     + (_share(some.min()) if _share(some.min()) == _share(some.max())
                        else f"{_share(some.min())} to {_share(some.max())}")
                     + ")")
        change = float(everything["loss_change"])
        text += (f". The same kind of mixing among all {n} units is not exact: R² goes from "
                 f"{everything['r2_before']:.4f} to {everything['r2_after']:.4f}, the loss changes "
                 + (f"by {change:+.2%}" if abs(change) >= 5e-5 else "by less than 0.01%"))
        text += (f", within the {tolerance:.0%} of an equal-loss restart, while the synergies move to a "
                 f"mean matched |cos| of {everything['abs_cos_original']:.2f}"
                 if abs(change) <= tolerance else
                 f", more than the {tolerance:.0%} of an equal-loss restart")
        if n_dead:
            text += (f". {_units(n_dead).capitalize()} never {'turns' if n_dead == 1 else 'turn'} on: "
                     f"{'its synergy' if n_dead == 1 else 'their synergies'} could be replaced by any "
                     "vector without changing the network")
        key = name.replace("+", "_")
        out[f"{key}_n_on"] = n_on
        out[f"{key}_n_dead"] = n_dead
        out[f"{key}_all_loss_change"] = change
        out[f"{key}_sentence"] = text + "."
    return out


def saturating_values(table: pd.DataFrame, *, tanh: str, sigmoid: str, sigmoid_centred: str,
                      flip: str, small: str) -> dict[str, float]:
    """Section "tanh and sigmoid encoders": the flip and the small mixing of each network.

    ``table`` is the concatenation (``pd.concat({network: mixing_table(...)})``)
    of the mixing tables of the tanh network, the sigmoid network mixed plainly
    and the sigmoid network mixed with :func:`centred_mixed_network`; ``flip`` and
    ``small`` are the rows of the sign flip and of the small mixing. R² changes are
    after minus before; loss changes are relative (:func:`mixing_table`).
    """
    def get(network, mixing, column):
        return float(_row(table, (network, mixing), "saturating_values")[column])

    return {
        "tanh_flip_change": get(tanh, flip, "max_output_change"),
        "tanh_flip_cos": get(tanh, flip, "cos_original"),
        "sigmoid_flip_r2_before": get(sigmoid, flip, "r2_before"),
        "sigmoid_flip_r2_plain": get(sigmoid, flip, "r2_after"),
        "sigmoid_flip_change_centred": get(sigmoid_centred, flip, "max_output_change"),
        "tanh_small_r2_change": get(tanh, small, "r2_after") - get(tanh, small, "r2_before"),
        "tanh_small_loss_change": get(tanh, small, "loss_change"),
        "tanh_small_cos": get(tanh, small, "abs_cos_original"),
        "sigmoid_small_r2_change": (get(sigmoid_centred, small, "r2_after")
                                    - get(sigmoid_centred, small, "r2_before")),
        "sigmoid_small_loss_change": get(sigmoid_centred, small, "loss_change"),
        "sigmoid_small_cos": get(sigmoid_centred, small, "abs_cos_original"),
    }


def _within(path: pd.DataFrame, tolerance: float) -> float:
    ok = np.abs(path["loss_change"].to_numpy(dtype=float)) <= tolerance
    return float(path["synergy_distance"][ok].max()) if ok.any() else 0.0


def path_values(paths: Mapping[str, pd.DataFrame], *, tolerance: float = 0.01) -> dict[str, str | float]:
    """Section "How far can the synergies move at equal loss?".

    For each path (:func:`mixing_path`), the largest synergy distance among its
    strengths whose loss change stays within ``tolerance``: ``paths_sentence``
    lists them all ("label: value"), ``path_max_distance`` is the largest and
    ``path_max_label`` its label.
    """
    if not isinstance(paths, Mapping) or not paths:
        raise SynergyInputError("paths must be a non-empty mapping label -> mixing_path table.")
    tolerance = check_real(tolerance, "tolerance", low=0.0)
    within = {str(k): _within(p, tolerance) for k, p in paths.items()}
    best = max(within, key=within.get)
    return {
        "paths_sentence": "; ".join(f"{k}: {v:.2g}" for k, v in within.items()),
        "path_max_distance": within[best],
        "path_max_label": best,
    }


def _sets(n) -> str:
    return "one set" if int(n) == 1 else f"{int(n)} sets"


def equal_loss_values(tables: Mapping[str, pd.DataFrame], *, chance: float, tolerance: float = 0.01,
                      same_span: float = 0.95) -> dict[str, float | int | str]:
    """Section "Equal-loss restarts": per :math:`N` (keys of ``tables``, suffix ``_{key}``).

    Numbers: ``share_multi`` (participant-pairing cells whose equal-loss set has two
    or more restarts), ``mean_set_size``, ``n_restarts``, ``mean_distance`` and
    ``mean_subspace`` (means over those sets; NaN without any), the pairing with the
    largest mean within-set distance (``most_spread_pairing``,
    ``most_spread_distance``) and the one with the lowest mean subspace similarity
    (``least_subspace_pairing``, ``least_subspace``); and ``sets_sentence``, these
    in plain text ("no set" when there is none; the restarts "span nearly the same
    space" when the mean subspace similarity is at least ``same_span``). Plus
    ``chance_distance``. ``tolerance`` only names the criterion in the sentence.
    """
    tolerance = check_real(tolerance, "tolerance", low=0.0)
    same_span = check_real(same_span, "same_span", low=0.0, high=1.0)
    out: dict[str, float | int | str] = {"chance_distance": float(chance)}
    for key, table in tables.items():
        t = _check_table(table)
        s = equal_loss_summary(t)
        multi = t[t["set_size"] >= 2]
        spread = s["within_distance"].dropna()
        span = s["within_subspace"].dropna()
        n_restarts = int(t["n_restarts"].max()) if "n_restarts" in t else int(t["set_size"].max())
        values = {
            "share_multi": float(np.mean(t["set_size"] >= 2)),
            "mean_set_size": float(t["set_size"].mean()),
            "n_restarts": n_restarts,
            "mean_distance": float(multi["within_distance"].mean()) if len(multi) else float("nan"),
            "mean_subspace": float(multi["within_subspace"].mean()) if len(multi) else float("nan"),
            "most_spread_pairing": str(spread.idxmax()) if len(spread) else "none",
            "most_spread_distance": float(spread.max()) if len(spread) else float("nan"),
            "least_subspace_pairing": str(span.idxmin()) if len(span) else "none",
            "least_subspace": float(span.min()) if len(span) else float("nan"),
        }
        where = N_LABELS.get(key, str(key))
        text = (f"At {where}, {values['share_multi']:.0%} of the {len(t)} participant-pairing cells "
                f"have two or more restarts within {tolerance:.0%} of the best loss (a set holds "
                f"{values['mean_set_size']:.1f} of the {n_restarts} restarts on average).")
        if len(multi):
            same = values["mean_subspace"] >= same_span
            text += (f" Within such a set, the synergies of two restarts are {values['mean_distance']:.2f} "
                     f"apart on average (two sets of random signed synergies: {chance:.2f}), most in "
                     f"{values['most_spread_pairing']} ({values['most_spread_distance']:.2f}, "
                     f"{_sets(s.loc[values['most_spread_pairing'], 'n_sets'])}), "
                     + ("and yet they span nearly the same space" if same else
                        "and their spans differ too")
                     + f": mean subspace similarity {values['mean_subspace']:.3f} (lowest: "
                     f"{values['least_subspace_pairing']}, {values['least_subspace']:.3f}, "
                     f"{_sets(s.loc[values['least_subspace_pairing'], 'n_sets'])}).")
        else:
            text += " No pairing has such a set in this run, so there is no distance to measure."
        values["sets_sentence"] = text
        out.update({f"{name}_{key}": value for name, value in values.items()})
    return out


def _ordinal(k: int) -> str:
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def _check_scores(scores, pairings: Sequence[str], claimed: str) -> tuple[list[str], int]:
    pairings = [str(p) for p in pairings]
    if claimed not in pairings:
        raise SynergyInputError(f"{claimed!r} is not among the pairings.")
    if not isinstance(scores, Mapping) or not scores:
        raise SynergyInputError("scores must be a non-empty mapping N label -> restart_scores array.")
    for key, S in scores.items():
        S = np.asarray(S, dtype=float)
        if S.ndim != 3 or S.shape[1] != len(pairings):
            raise SynergyInputError(f"scores[{key!r}] must be (participants, {len(pairings)}, restarts), "
                                    f"got shape {S.shape}.")
    return pairings, pairings.index(claimed)


#: The rows of :func:`claimed_ranks`: which restart of the claimed pairing is scored.
RANK_ROWS: tuple[str, ...] = ("kept restart", "best equal-loss restart", "worst equal-loss restart")


def claimed_ranks(scores: Mapping[str, np.ndarray], pairings: Sequence[str], *,
                  claimed: str = CLAIMED_BEST) -> pd.DataFrame:
    r"""The claimed pairing's mean score and rank, as kept and at the ends of its equal-loss sets.

    For each :math:`N` label of ``scores`` (:func:`synergylib.claims.restart_scores`:
    participants x pairings x restarts, kept restart first, NaN outside a set), every
    pairing's score is its kept restarts' mean over participants. The claimed
    pairing's score is then computed three ways: with its kept restarts, with every
    participant's best equal-loss restart and with the worst (the other pairings
    keep their kept restarts); its rank is 1 + the number of pairings with a higher
    mean.

    Returns
    -------
    DataFrame
        Index :data:`RANK_ROWS`; columns ``(N label, "mean score")`` and
        ``(N label, "rank")``.
    """
    pairings, j = _check_scores(scores, pairings, claimed)
    columns = {}
    for key, S in scores.items():
        S = np.asarray(S, dtype=float)
        kept = pd.Series(np.nanmean(S[:, :, 0], axis=0), index=pairings)
        means, ranks = [], []
        for pick in (lambda a: a[:, 0], lambda a: np.nanmax(a, axis=1), lambda a: np.nanmin(a, axis=1)):
            variant = kept.copy()
            variant[claimed] = float(np.mean(pick(S[:, j, :])))
            means.append(float(variant[claimed]))
            ranks.append(int((variant > variant[claimed]).sum()) + 1)
        columns[(str(key), "mean score")] = means
        columns[(str(key), "rank")] = ranks
    return pd.DataFrame(columns, index=pd.Index(RANK_ROWS, name=claimed))


def claim3_values(scores: Mapping[str, np.ndarray], pairings: Sequence[str], *,
                  claimed: str = CLAIMED_BEST) -> dict[str, float | int | str]:
    r"""Section "What it means for claim 3": the claimed pairing's equal-loss sets, per :math:`N`.

    ``n_pairings`` is the number of pairings; for each label of ``scores`` (suffix ``_{key}``):

    * ``kept_mean``, ``kept_rank``, ``best_mean``, ``best_rank``, ``worst_mean``,
      ``worst_rank``: :func:`claimed_ranks` (ranks as ordinals, "1st", "2nd", ...);
    * ``leader`` and ``leader_mean``: the highest other pairing (kept restarts);
    * ``n_sets``, ``mean_range``, ``share_typical``: from
      :func:`synergylib.claims.kept_restart_typicality` (sets of two or more);
    * ``sentence``: the typicality as a plain-text sentence, or that there is no set.
    """
    pairings, _ = _check_scores(scores, pairings, claimed)
    ranks = claimed_ranks(scores, pairings, claimed=claimed)
    out: dict[str, float | int | str] = {"n_pairings": len(pairings)}
    for key, S in scores.items():
        S = np.asarray(S, dtype=float)
        typical = kept_restart_typicality(S, pairings).loc[claimed]
        kept = pd.Series(np.nanmean(S[:, :, 0], axis=0), index=pairings).drop(index=claimed)
        for row, which in zip(RANK_ROWS, ("kept", "best", "worst")):
            out[f"{which}_mean_{key}"] = float(ranks.loc[row, (str(key), "mean score")])
            out[f"{which}_rank_{key}"] = _ordinal(int(ranks.loc[row, (str(key), "rank")]))
        out[f"leader_{key}"] = str(kept.idxmax())
        out[f"leader_mean_{key}"] = float(kept.max())
        n_sets = int(typical["n_sets"])
        out[f"n_sets_{key}"] = n_sets
        out[f"mean_range_{key}"] = float(typical["mean_range"])
        out[f"share_typical_{key}"] = float(typical["share_typical"])
        if n_sets == 0:
            sentence = (f"No participant has two {claimed} restarts within 1 % of the best loss, so "
                        "there is no set to judge the kept restart against.")
        else:
            sentence = (f"For {n_sets} participant{'s' if n_sets != 1 else ''}, "
                        f"{claimed} has two or more equal-loss restarts ({typical['mean_set_size']:.1f} on "
                        f"average), whose scores span {typical['mean_range']:.2f} on average; the kept "
                        f"restart lies within its set's interquartile range in "
                        f"{typical['share_typical']:.0%} of them.")
        out[f"sentence_{key}"] = sentence
    return out
