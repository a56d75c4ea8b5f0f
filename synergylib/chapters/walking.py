"""Tables, text and named values of the walking chapter (``notebooks/06_walking.py``).

The method, preprocessing the raw walking trial, comparing synergylib's NMF with
musclesyneRgies' and running the study on the walking matrices, is
:mod:`synergylib.walking`. This module turns its results into what the chapter shows:

* :func:`filter_settings_table`: musclesyneRgies' filtering beside synergylib chains,
  one row per step (:data:`MUSCLESYNERGIES_FILTERS` is the package's column);
* :func:`compare_trials`: per-muscle agreement of two processed versions of the same
  EMG, and :func:`package_comparison_table`: one row per participant of
  :func:`synergylib.walking.compare_with_package`;
* the named values of the chapter's text, one function per section, each returning a
  dict for :func:`synergylib.book.glue_values` (:func:`agreement_values`,
  :func:`package_values`, :func:`study_values`, :func:`tradeoff_values`), and the
  generated paragraph on the participant whose synergies agree least with the
  package's (:func:`nmf_disagreement_markdown`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from .._validation import SynergyInputError, check_int
from ..comparison import NMF_LABEL
from ..preprocessing import PreprocessingConfig, emg_to_envelope
from ..santuz import SANTUZ_N_POINTS_STANCE, SANTUZ_N_POINTS_SWING
from ..walking import PackageComparison

__all__ = [
    "GAIT_FUNCTIONS",
    "MUSCLESYNERGIES_FILTERS",
    "agreement_values",
    "centre_of_activity",
    "compare_trials",
    "filter_settings_table",
    "gait_function_counts",
    "gait_function_names",
    "gait_functions",
    "nmf_disagreement_markdown",
    "package_comparison_table",
    "package_values",
    "plot_gait_synergies",
    "study_values",
    "tradeoff_values",
]


# ----------------------------------------------------------------------------
# 1. From raw EMG to gait cycles
# ----------------------------------------------------------------------------

#: musclesyneRgies' ``filtEMG`` / ``normEMG`` defaults, as documented in
#: :mod:`synergylib.santuz` (read from the package's source at the pinned commit).
MUSCLESYNERGIES_FILTERS: dict[str, str] = {
    "demean": "yes",
    "high-pass": "Butterworth (order 4), 50 Hz, zero-phase (filtfilt)",
    "low-pass edge of the band": "none",
    "mains notch": "none",
    "rectification": "full-wave",
    "envelope low-pass": "Butterworth (order 4), 20 Hz, zero-phase (filtfilt)",
    "negative values": "set to the smallest positive value, then the minimum is subtracted",
    "down-sampling": "none (1 kHz)",
    "amplitude normalisation": "each muscle / its maximum over the trial",
    "time normalisation": "stance interpolated to 100 points, swing to 100",
}


def _chain_description(config: PreprocessingConfig, n_stance: int, n_swing: int) -> dict[str, str]:
    bp = config.bandpass
    if config.envelope_method == "butter":
        lp = f"Butterworth (order {config.envelope_order}), {config.envelope_cutoff:g} Hz, zero-phase (sosfiltfilt)"
    else:
        lp = f"{config.envelope_numtaps}-tap FIR, {config.envelope_cutoff:g} Hz, zero-phase (filtfilt)"
    return {
        "demean": "removed by the band-pass" if bp else "no",
        "high-pass": (
            f"Butterworth band-pass (order {config.bandpass_order}) from {config.bandpass_low:g} Hz, "
            "zero-phase (sosfiltfilt)" if bp else "none"
        ),
        "low-pass edge of the band": f"{config.bandpass_high:g} Hz" if bp else "none",
        "mains notch": f"{config.notch_freq:g} Hz, Q = {config.notch_quality:g}" if config.notch else "none",
        "rectification": "full-wave",
        "envelope low-pass": lp,
        "negative values": "clipped to zero (no minimum subtracted)",
        "down-sampling": "none (1 kHz)" if config.fs_out is None else f"to {config.fs_out:g} Hz",
        "amplitude normalisation": (
            "each muscle / its maximum over the trial" if config.normalise_amplitude else "none"
        ),
        "time normalisation": f"stance interpolated to {n_stance} points, swing to {n_swing}",
    }


def filter_settings_table(
    configs: dict[str, PreprocessingConfig],
    *,
    n_stance: int = SANTUZ_N_POINTS_STANCE,
    n_swing: int = SANTUZ_N_POINTS_SWING,
) -> pd.DataFrame:
    """musclesyneRgies' filtering next to synergylib chains, one row per step.

    Parameters
    ----------
    configs : dict of str to PreprocessingConfig
        Column title -> configuration (as used by
        :func:`synergylib.walking.preprocess_walking_trial`).

    Returns
    -------
    pandas.DataFrame
        Index: the steps; first column ``musclesyneRgies``
        (:data:`MUSCLESYNERGIES_FILTERS`), then one column per configuration.
    """
    columns = {"musclesyneRgies": MUSCLESYNERGIES_FILTERS}
    for title, config in configs.items():
        columns[title] = _chain_description(config, n_stance, n_swing)
    frame = pd.DataFrame(columns)
    frame.index.name = "step"
    return frame


def compare_trials(emg, reference, muscles: Sequence[str]) -> pd.DataFrame:
    """Per-muscle agreement of two processed versions of the same EMG.

    Parameters
    ----------
    emg, reference : array-like of shape (n_muscles, n_samples)
    muscles : sequence of str

    Returns
    -------
    pandas.DataFrame
        One row per muscle: ``muscle``, ``correlation`` (Pearson),
        ``max_abs_difference`` and ``rmse`` (in the units of the inputs).
    """
    a = np.asarray(emg, dtype=np.float64)
    b = np.asarray(reference, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 2:
        raise SynergyInputError(f"emg and reference must be 2-D of one shape, got {a.shape} and {b.shape}.")
    if len(muscles) != a.shape[0]:
        raise SynergyInputError(f"{len(muscles)} muscle names for {a.shape[0]} rows.")
    r = [float(np.corrcoef(x, y)[0, 1]) for x, y in zip(a, b)]
    return pd.DataFrame(
        {
            "muscle": list(muscles),
            "correlation": r,
            "max_abs_difference": np.abs(a - b).max(axis=1),
            "rmse": np.sqrt(((a - b) ** 2).mean(axis=1)),
        }
    )


def agreement_values(agreement: pd.DataFrame, raw, config: PreprocessingConfig) -> dict[str, object]:
    """Named values of section 1: how closely synergylib's chain reproduces ``FILT_EMG``.

    Parameters
    ----------
    agreement : DataFrame
        :func:`compare_trials` of the chain set as the package (columns ``muscle``,
        ``correlation``, ``max_abs_difference``, ``rmse``) with two more columns for
        the reaching chain: ``"correlation, reaching chain"`` and
        ``"max. difference, reaching chain"``.
    raw : SantuzRawTrial
        The raw trial, for the envelope's floor.
    config : PreprocessingConfig
        The chain set as the package (:func:`synergylib.walking.santuz_preprocessing_config`).

    Returns
    -------
    dict
        ``corr_min`` and ``corr_min_muscle`` (the lowest per-muscle correlation and its
        muscle), ``diff_max``, ``rmse_max``, the same for the reaching chain
        (``reach_corr_min``, ``reach_corr_min_muscle``, ``reach_diff_max``), and
        ``envelope_floor``: the largest ratio of a muscle's smallest envelope value to
        its largest, over the whole trial.
    """
    worst = agreement.loc[agreement["correlation"].idxmin()]
    worst_reach = agreement.loc[agreement["correlation, reaching chain"].idxmin()]
    envelope = emg_to_envelope(raw.emg, raw.fs, config)
    return {
        "corr_min": worst["correlation"],
        "corr_min_muscle": worst["muscle"],
        "diff_max": agreement["max_abs_difference"].max(),
        "rmse_max": agreement["rmse"].max(),
        "reach_corr_min": worst_reach["correlation, reaching chain"],
        "reach_corr_min_muscle": worst_reach["muscle"],
        "reach_diff_max": agreement["max. difference, reaching chain"].max(),
        "envelope_floor": (envelope.min(axis=1) / envelope.max(axis=1)).max(),
    }


# ----------------------------------------------------------------------------
# 2. synergylib's NMF against musclesyneRgies'
# ----------------------------------------------------------------------------


def package_comparison_table(comparisons: Iterable[PackageComparison]) -> pd.DataFrame:
    """One row per participant (:meth:`synergylib.walking.PackageComparison.row`), as a DataFrame."""
    rows = [c.row() for c in comparisons]
    if not rows:
        raise SynergyInputError("package_comparison_table needs at least one comparison.")
    return pd.DataFrame(rows)


def package_values(package_table: pd.DataFrame, config) -> dict[str, object]:
    """Named values of section 2, read from :func:`package_comparison_table`.

    Returns
    -------
    dict
        ``cos_pkg_mean`` and ``cos_pkg_median`` (matched cosine at the package's N),
        ``cos_thr_mean`` (at ours); the participants for whom our rule picks fewer,
        as many or more synergies than the package (``n_fewer``, ``n_same``,
        ``n_more``) and for whom the grand-mean :math:`R^2` changes our choice
        (``n_gm_differs``); the range of both choices (``n_thr_min``, ``n_thr_max``,
        ``n_pkg_min``, ``n_pkg_max``); and the study's ``nmf_restarts`` and
        ``r2_threshold`` (from ``config``, a :class:`~synergylib.study.StudyConfig`).
    """
    pt = package_table
    return {
        "cos_pkg_mean": pt["cosine_at_package_n"].mean(),
        "cos_pkg_median": pt["cosine_at_package_n"].median(),
        "cos_thr_mean": pt["cosine_threshold"].mean(),
        "n_fewer": int((pt["n_threshold"] < pt["n_package"]).sum()),
        "n_same": int((pt["n_threshold"] == pt["n_package"]).sum()),
        "n_more": int((pt["n_threshold"] > pt["n_package"]).sum()),
        "n_gm_differs": int((pt["n_threshold_grand_mean"] != pt["n_threshold"]).sum()),
        "n_thr_min": pt["n_threshold"].min(),
        "n_thr_max": pt["n_threshold"].max(),
        "n_pkg_min": pt["n_package"].min(),
        "n_pkg_max": pt["n_package"].max(),
        "nmf_restarts": config.nmf_restarts,
        "r2_threshold": config.r2_threshold,
    }


def nmf_disagreement_markdown(package_table: pd.DataFrame, nmf_restarts: int) -> str:
    """The paragraph on the participant with the lowest matched cosine at the package's N.

    It says whether the package's factorisation fits that participant's matrix better
    than our best of ``nmf_restarts`` restarts (centred :math:`R^2` higher by more than
    0.005: our restarts ended in a worse local minimum) or not (two factorisations of
    about equal quality), and for how many participants the package's fit is better.
    """
    pt = package_table
    worst = pt.loc[pt["cosine_at_package_n"].idxmin()]
    gap = pt["package_r2_centred"] - pt["r2_at_package_n"]
    gap_text = (
        f"there the package's factorisation has a centred $R^2$ higher than our best of "
        f"{nmf_restarts} restarts by {gap[worst.name]:.3f}, so our restarts ended in "
        "a worse local minimum of the same objective (the first exercise checks this)"
        if gap[worst.name] > 0.005 else
        f"our best of {nmf_restarts} restarts fits at least as well as the package's "
        f"factorisation (centred $R^2$ {pt.loc[worst.name, 'r2_at_package_n']:.3f} against "
        f"{pt.loc[worst.name, 'package_r2_centred']:.3f}), so the two found different "
        "factorisations of about equal quality"
    )
    return (
        f"The participant with the lowest matched cosine at the package's $N$, "
        f"{worst['participant']} (mean {worst['cosine_at_package_n']:.3f}, worst pair "
        f"{worst['min_cosine_at_package_n']:.2f}), is not a disagreement about the data: "
        f"{gap_text}. Across all participants the package's fit beats ours by more than 0.005 "
        f"in centred $R^2$ for {int((gap > 0.005).sum())} of them. Below, the package's "
        f"{worst['n_package']} synergies (grey) beside ours at the same $N$ (blue), matched, "
        "with the cosine of each pair:"
    )


# ----------------------------------------------------------------------------
# 3. The sixteen pairings on walking
# ----------------------------------------------------------------------------


def study_values(results: Sequence, study_seconds: float) -> dict[str, object]:
    """Named values of the walking study (:func:`synergylib.walking.run_walking_study`).

    Returns
    -------
    dict
        ``n_study`` (participants analysed), ``n_study_min`` and ``n_study_max`` (the
        range of NMF's N), ``study_seconds`` (this build's time, as given),
        ``study_compute_minutes`` (the compute time stored with the results, summed
        over participants) and ``share_converged`` (mean share of the kept autoencoder
        restarts that met the convergence criterion).
    """
    if len(results) == 0:
        raise SynergyInputError("study_values needs at least one result.")
    n_chosen = np.array([r.n_synergies for r in results])
    return {
        "n_study": len(results),
        "n_study_min": n_chosen.min(),
        "n_study_max": n_chosen.max(),
        "study_seconds": study_seconds,
        "study_compute_minutes": sum(r.elapsed_s for r in results) / 60,
        "share_converged": np.mean([r.ae_converged.mean() for r in results]),
    }


def tradeoff_values(points: pd.DataFrame, claimed: str, reverse: str) -> dict[str, object]:
    """Named values of the trade-off on walking, one point per model.

    Parameters
    ----------
    points : DataFrame
        :func:`synergylib.comparison_report.tradeoff_points` (as returned by
        ``plot_model_tradeoff``): one row per model, NMF included, with the means
        ``x_mean`` (reconstruction) and ``y_mean`` (similarity to NMF).
    claimed, reverse : str
        The paper's pairing and its reverse.

    Returns
    -------
    dict
        ``rho_walk`` (Spearman correlation of the pairings' two means),
        ``nmf_r2_walk``, ``n_above_nmf`` (pairings that reconstruct better than NMF),
        ``best_recon_walk`` and ``best_interp_walk`` (the pairings with the largest
        means), ``claimed_rank_walk`` and ``reverse_rank_walk`` (ranks by similarity,
        1 = the closest) and ``n_pairings``.
    """
    pairs = points.drop(index=NMF_LABEL)
    ranks = pairs["y_mean"].rank(ascending=False, method="min").astype(int)
    return {
        "rho_walk": pairs["x_mean"].corr(pairs["y_mean"], method="spearman"),
        "nmf_r2_walk": points.loc[NMF_LABEL, "x_mean"],
        "n_above_nmf": int((pairs["x_mean"] > points.loc[NMF_LABEL, "x_mean"]).sum()),
        "best_recon_walk": pairs["x_mean"].idxmax(),
        "best_interp_walk": pairs["y_mean"].idxmax(),
        "claimed_rank_walk": int(ranks[claimed]),
        "reverse_rank_walk": int(ranks[reverse]),
        "n_pairings": len(pairs),
    }


# ----------------------------------------------------------------------------
# 2b. What the synergies do over the gait cycle
# ----------------------------------------------------------------------------

#: The functions of the walking synergies by the phase of the gait cycle they work in
#: (Ivanenko et al. 2004; Santuz et al. 2020 name theirs the same way): one per half of
#: stance and of swing in the package's normalisation (stance points first, then swing).
GAIT_FUNCTIONS: tuple[str, ...] = ("weight acceptance", "propulsion", "early swing", "late swing")


def centre_of_activity(H) -> np.ndarray:
    r"""The centre of activity of each activation over one cycle, in points.

    The circular mean of the cycle's phase :math:`\theta_t = 2\pi t / T` weighted
    by the activation (as in Santuz et al. 2020):

    .. math::

        \mathrm{CoA}_k = \frac{T}{2\pi} \operatorname{atan2}\Big(\sum_t h_{kt} \sin\theta_t,
        \sum_t h_{kt} \cos\theta_t\Big) \bmod T .

    It treats the cycle as a circle, so a synergy active across touchdown (the end
    and the start of the cycle) is centred there, not in the middle.
    """
    H = np.asarray(H, dtype=float)
    theta = 2 * np.pi * np.arange(H.shape[1]) / H.shape[1]
    angle = np.arctan2(H @ np.sin(theta), H @ np.cos(theta))
    return np.mod(angle, 2 * np.pi) * H.shape[1] / (2 * np.pi)


def gait_functions(H, n_stance: int = SANTUZ_N_POINTS_STANCE,
                   n_swing: int = SANTUZ_N_POINTS_SWING) -> list[str]:
    """The function of each synergy, by the phase of the gait cycle its activation is centred in.

    The :func:`centre_of_activity` of row :math:`k` of ``H`` (one gait cycle,
    ``n_stance`` stance points then ``n_swing`` swing points) falls in the first or
    second half of stance ("weight acceptance", "propulsion") or of swing ("early
    swing", "late swing"), the functions of :data:`GAIT_FUNCTIONS`; an activation
    that is zero throughout is "inactive". Two synergies may get the same function
    (:func:`gait_function_names` numbers them).

    Examples
    --------
    >>> H = np.zeros((3, 200)); H[0, 10] = H[1, 80] = H[2, 190] = 1.0
    >>> gait_functions(H)
    ['weight acceptance', 'propulsion', 'late swing']
    """
    H = np.asarray(H, dtype=float)
    n_stance = check_int(n_stance, "n_stance", low=2)
    n_swing = check_int(n_swing, "n_swing", low=2)
    if H.ndim != 2 or H.shape[1] != n_stance + n_swing or not np.all(np.isfinite(H)) or (H < 0).any():
        raise SynergyInputError(
            f"H must be finite and non-negative, (n_synergies, {n_stance + n_swing}): one gait cycle."
        )
    bounds = np.array([n_stance / 2, n_stance, n_stance + n_swing / 2])
    quarters = np.searchsorted(bounds, centre_of_activity(H), side="right")
    return [GAIT_FUNCTIONS[q] if active else "inactive" for q, active in zip(quarters, H.sum(axis=1) > 0)]


def gait_function_names(H, n_stance: int = SANTUZ_N_POINTS_STANCE,
                        n_swing: int = SANTUZ_N_POINTS_SWING) -> list[str]:
    """Panel names: :func:`gait_functions`, numbered where two synergies share a
    function ("propulsion 1", "propulsion 2").

    Examples
    --------
    >>> H = np.zeros((3, 200)); H[0, 10] = H[1, 20] = H[2, 190] = 1.0
    >>> gait_function_names(H)
    ['weight acceptance 1', 'weight acceptance 2', 'late swing']
    """
    names = gait_functions(H, n_stance, n_swing)
    counts = {n: names.count(n) for n in names}
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(f"{n} {seen[n]}" if counts[n] > 1 else n)
    return out


def gait_function_counts(activations: Mapping[str, np.ndarray], n_stance: int = SANTUZ_N_POINTS_STANCE,
                         n_swing: int = SANTUZ_N_POINTS_SWING) -> tuple[pd.DataFrame, dict[str, object]]:
    """How often each function of :data:`GAIT_FUNCTIONS` appears across walkers.

    Parameters
    ----------
    activations : mapping walker -> (N, n_stance + n_swing) array
        Each walker's activations over one gait cycle.

    Returns
    -------
    counts : DataFrame
        Indexed by function: ``walkers with one or more`` and ``synergies in all``.
    values : dict
        ``n_walkers_all_four`` (walkers with a synergy in every function),
        ``least_function`` and ``n_least_function`` (the function fewest walkers have,
        and how many have it).
    """
    if not isinstance(activations, Mapping) or not activations:
        raise SynergyInputError("activations must be a non-empty mapping walker -> activations.")
    functions = {w: gait_functions(H, n_stance, n_swing) for w, H in activations.items()}
    counts = pd.DataFrame(
        {"walkers with one or more": [sum(f in names for names in functions.values()) for f in GAIT_FUNCTIONS],
         "synergies in all": [sum(names.count(f) for names in functions.values()) for f in GAIT_FUNCTIONS]},
        index=pd.Index(GAIT_FUNCTIONS, name="function"))
    walkers = counts["walkers with one or more"]
    values = {"n_walkers_all_four": sum(set(GAIT_FUNCTIONS) <= set(names) for names in functions.values()),
              "least_function": str(walkers.idxmin()), "n_least_function": int(walkers.min())}
    return counts, values


def plot_gait_synergies(W, H, muscles: Sequence[str], *, names: Sequence[str] | None = None,
                        n_stance: int = SANTUZ_N_POINTS_STANCE, n_swing: int = SANTUZ_N_POINTS_SWING):
    """One row per synergy: its muscle weights (left) and its activation over the
    gait cycle (right), stance shaded, titled by function (:func:`gait_function_names`).

    Returns
    -------
    (Figure, ndarray of Axes of shape (n_synergies, 2))
    """
    import matplotlib.pyplot as plt

    from ..plotting import POSITIVE_COLOR, plot_synergies

    W, H = np.asarray(W, dtype=float), np.asarray(H, dtype=float)
    if W.ndim != 2 or H.ndim != 2 or W.shape[1] != H.shape[0]:
        raise SynergyInputError(f"W {W.shape} and H {H.shape} must hold the same synergies.")
    names = gait_function_names(H, n_stance, n_swing) if names is None else list(names)
    n = W.shape[1]
    fig, axes = plt.subplots(n, 2, figsize=(8.5, 1.55 * n + 0.6), squeeze=False, layout="constrained",
                             gridspec_kw={"width_ratios": [1.1, 1.6]})
    plot_synergies(W, muscles, names=names, axes=axes[:, 0], orientation="horizontal", label="NMF")
    percent = np.arange(n_stance + n_swing) / (n_stance + n_swing) * 100
    stance_end = n_stance / (n_stance + n_swing) * 100
    for k, ax in enumerate(axes[:, 1]):
        ax.axvspan(0, stance_end, color="0.9", linewidth=0)
        ax.plot(percent, H[k], color=POSITIVE_COLOR, linewidth=1.3)
        ax.set_xlim(0, 100)
        ax.set_ylim(bottom=0)
        ax.set_ylabel("Activation (a.u.)", fontsize=8)
        ax.set_title(names[k], fontsize=9, loc="left")
        if k == 0:
            top = ax.get_ylim()[1]
            ax.text(stance_end / 2, top * 0.95, "stance", ha="center", va="top", fontsize=8, color="0.3")
            ax.text((stance_end + 100) / 2, top * 0.95, "swing", ha="center", va="top", fontsize=8, color="0.3")
        if k < n - 1:
            ax.tick_params(labelbottom=False)
    axes[-1, 1].set_xlabel("Gait cycle (% of normalised time: stance, then swing)")
    return fig, axes
