r"""A realistic synthetic reaching data set, calibrated on the data and NMF alone.

The first generator (:mod:`synergylib.datasets`, the variant ``"clean"``) is
identifiable but too clean to be EMG: the R2-vs-N curve has a sharp knee at the
true N, participants are near clones, every reach goes up from the thigh. This
module's :func:`make_realistic_participant` keeps its shapes, muscles, targets
and the six synergy templates (:data:`synergylib.datasets.GROUND_TRUTH_SYNERGIES`)
and adds the mechanisms that protocol v2 (section 2.1) asks for. Its defaults were
chosen by ``scripts/calibrate_generator.py`` against published NMF figures of
reaching EMG only (never against any autoencoder result); the search, every
candidate tried and the final table are in ``results/calibration/realistic.json``
(see :mod:`synergylib.calibration` for the measures and their sources).

Generative model
----------------
Participant :math:`i`, movement :math:`j` (plane :math:`P(j)`, target
:math:`\mathbf{g}_j`), repetition :math:`r`, synergy :math:`k = 1..K` (:math:`K = 6`),
muscle :math:`m = 1..16`. Every symbol below is a parameter of
:func:`make_realistic_participant` (its name in brackets).

1. **Participant-specific synergies around shared ones.** With :math:`W^0` the
   unit-norm templates,

   .. math::

      \tilde w_{mk} = W^0_{mk}\, e^{\sigma_W \varepsilon_{mk}}
                    + [W^0_{mk} = 0]\; B_{mk}\, \omega\, U_{mk}, \qquad
      W_{\cdot k} = \tilde w_{\cdot k} / \lVert \tilde w_{\cdot k} \rVert,

   :math:`\varepsilon \sim \mathcal N(0, 1)` (``weight_jitter`` :math:`\sigma_W`),
   :math:`B_{mk} \sim \text{Bernoulli}(p_\text{extra})`
   (``extra_muscle_probability``) and :math:`U_{mk} \sim U(0, 1)` times
   ``extra_muscle_weight`` :math:`\omega`: a muscle outside the template is
   recruited a little by some participants. Preferred directions
   (``direction_jitter``) and burst / tonic gains (``gain_jitter``) are jittered per
   participant as in the clean generator.

2. **Centre-out and return movements from a posture per plane.** The hand starts
   at the plane's start posture :math:`\mathbf{s}_{P}` (``start_postures``, one per
   plane, plus a per-participant Gaussian jitter of SD ``posture_jitter`` metres),
   reaches the target in :math:`T_1`, holds it for :math:`T_h`, and returns in
   :math:`T_2`, with minimum-jerk profiles :math:`\mu(\tau) = 10\tau^3 - 15\tau^4 + 6\tau^5`:

   .. math::

      \mathbf{p}(t) = \mathbf{s} + (\mathbf{g} - \mathbf{s})
          \bigl[\mu(\tau_1) - \mu(\tau_2)\bigr], \quad
      \tau_1 = \frac{t - t_\text{on}}{T_1}, \quad
      \tau_2 = \frac{t - t_\text{on} - T_1 - T_h}{T_2},

   (:math:`\mu` clipped to [0, 1]), so :math:`t_\text{on}` (``onset``) and
   :math:`t_\text{off} = t_\text{on} + T_1 + T_h + T_2` (``offset``) are the kinematic
   start and end, and the posture before and after is the same.
   :math:`T_1, T_2 \sim U(\texttt{reach\_duration})`,
   :math:`T_h \sim U(\texttt{hold\_duration})` per trial. The default start postures
   lie 0.20-0.25 m in front of (or below, or beside) the centre of each plane's
   target grid, so that reaches point forward, up, left and right and returns the
   other way (in the clean generator every reach goes up from the thigh).

3. **Activations.** With :math:`\mathbf{d} = (\mathbf{g} - \mathbf{s}) /
   \lVert \mathbf{g} - \mathbf{s} \rVert` and the raised-cosine bump
   :math:`b(\tau; c)` of :mod:`synergylib.datasets` (support ``burst_width``), the
   reach has an acceleration burst for synergies along :math:`\mathbf{d}` and a
   deceleration burst for those against it; the return, along :math:`-\mathbf{d}`,
   mirrors it:

   .. math::

      h^\text{mech}_k(t) =
          a_k\eta_1[\mathbf{d}\cdot\mathbf{u}_k]_+ b(\tau_1; c_1)
        + b_k\eta_2[-\mathbf{d}\cdot\mathbf{u}_k]_+ b(\tau_1; c_2)
        + a_k\eta_3[-\mathbf{d}\cdot\mathbf{u}_k]_+ b(\tau_2; c_3)
        + b_k\eta_4[\mathbf{d}\cdot\mathbf{u}_k]_+ b(\tau_2; c_4)
        + \gamma_k\,\eta_5\,\phi_k(\mathbf{p}(t)),

   burst centres :math:`c_{1,3} = 0.25 + U(-\delta, \delta)`,
   :math:`c_{2,4} = 0.75 + U(-\delta, \delta)` (``timing_jitter`` :math:`\delta`),
   gains :math:`\eta_s = \nu_{jks}\,\epsilon_{jrks}`: a per-participant tuning factor
   :math:`\nu_{jks} \sim \text{LogNormal}(0, \sigma_\nu^2)` fixed for each movement,
   synergy and burst (``tuning_jitter``: directional tuning is not a pure cosine, so
   the six activations are less predictable from one another) times a trial gain
   :math:`\epsilon \sim \text{LogNormal}(0, \sigma_a^2)` (``amplitude_jitter``;
   the tonic gain :math:`\eta_5` has the trial gain only), and the tonic
   (anti-gravity) features :math:`\phi_k` of the clean generator. Both bursts of each
   segment lie inside it (:math:`w/2 + \delta \le 1/4`).

4. **EMG before movement.** Muscle activity leads the movement by the
   electromechanical delay :math:`\Delta \sim U(\texttt{emg\_lead})` per trial:

   .. math:: h_k(t) = h^\text{mech}_k(t + \Delta),

   so the first burst starts :math:`\Delta` before the kinematic onset used for
   segmentation (typical delays 30-100 ms: Cavanagh & Komi 1979, Eur J Appl Physiol
   42:159; in reaching, EMG precedes movement onset by about 50-100 ms).

5. **Muscle-specific activity and trial-to-trial variability.** The envelope of
   muscle :math:`m` adds to its synergy drive a non-negative smooth component not
   explained by the synergies, and a muscle- and trial-specific gain:

   .. math::

      e_m(t) = g_{mjr}\,(W\mathbf{h}(t))_m + \rho_m \sum_{q} A_{q}\,
               b_s\!\left(\frac{t + \Delta - t_\text{on}}{t_\text{off} - t_\text{on}}; c_q\right),
      \qquad g_{mjr} \sim \text{LogNormal}(0, \sigma_g^2),

   with :math:`\rho_m` = ``specific_level`` times the muscle's largest synergy
   drive over the participant, raised-cosine bumps :math:`b_s` of support
   ``specific_width`` at centres :math:`c_q \sim U(0.15, 0.85)`, and amplitudes
   :math:`A_q \sim \text{Exp}(1)`: ``specific_bumps`` of them are fixed per
   (muscle, movement) (the same in every repetition, up to the trial gain
   :math:`\eta \sim \text{LogNormal}(0, \sigma_a^2)`) and ``specific_trial_bumps``
   more are drawn afresh in every trial with amplitudes scaled by
   ``specific_trial_level / specific_level``. ``muscle_gain_jitter`` is
   :math:`\sigma_g`. An optional saturating mixing of strength ``nonlinearity``
   acts on :math:`e_m` exactly as in the clean generator (:math:`s = 0`: linear).

6. **Raw EMG with crosstalk and muscle-specific noise.** Each envelope modulates
   its own unit-RMS band-limited Gaussian carrier; neighbouring electrodes pick up
   each other's signal through a mixing matrix near the identity,

   .. math::

      \mathbf{x}(t) = C\,\bigl(\mathbf{e}(t) \odot \mathbf{c}(t)\bigr)
        + \lambda\bigl(\sigma_m n_m(t) + \text{mains} + \text{motion artefacts}\bigr),
      \qquad C = I + \bigl[\kappa\, e^{\sigma_\kappa \xi_{mn}}\bigr]_{(m, n) \in \mathcal N},

   with :math:`\mathcal N` the anatomical neighbours :data:`CROSSTALK_PAIRS` (both
   directions), :math:`\kappa` = ``crosstalk`` (our choice: surface electrodes
   over adjacent muscles record a sizeable share of each other's signal, De Luca et
   al. 2012, J Biomech 45:555), :math:`\xi \sim \mathcal N(0,1)` per
   participant and pair (``crosstalk_jitter``), and muscle-specific baseline noise
   :math:`\sigma_m = \sigma_0 e^{\sigma_n \zeta_m}` (``baseline_noise_rms``,
   ``noise_jitter``). Mains interference and motion artefacts are those of the
   clean generator (``noise_level`` :math:`\lambda` scales all additive noise).

Switching every realism mechanism off (:func:`ideal_parameters`) leaves a
noise-free linear model: ``envelopes == synergies @ activations`` exactly and the
raw EMG is each envelope times its carrier.

Returned ground truth: ``synergies`` (16 x 6, unit-norm), ``activations`` (the
led activations :math:`h_k(t)`, tonic included) and, in the extra fields of
:class:`RealisticParticipant`, their tonic part ``tonic_activations`` (so the
phasic truth is ``activations - tonic_activations``), the lead, the hold and
return times and the crosstalk matrix.

Seeding
-------
Participant ``i`` of seed ``e`` draws from the streams
``np.random.SeedSequence(e, spawn_key=(i, 1000 + s))``, ``s = 0..5`` (structure,
trial timing and gains, muscle-specific activity, carriers, noise, crosstalk): it
does not depend on the number of participants, and its streams differ from the
clean generator's (``spawn_key=(i, s)``, ``s = 0..3``). The same ``(index,
random_state)`` gives bit-identical data.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import signal

from ._random import seed_entropy
from ._validation import SynergyInputError, check_int, check_real
from .datasets import (
    GROUND_TRUTH_SYNERGIES,
    MUSCLES,
    N_TARGETS,
    PLANES,
    ReachingParticipant,
    _minimum_jerk,
    _raised_cosine,
    _tonic_feature,
    ground_truth_synergies,
    target_positions,
)

__all__ = [
    "CROSSTALK_PAIRS",
    "START_POSTURES",
    "RealisticParticipant",
    "crosstalk_matrix",
    "generator_parameters",
    "ideal_parameters",
    "make_realistic_participant",
    "parameter_table",
]

#: Hand start posture of each plane (metres, shoulder-centred, x right, y forward,
#: z up; aligned with :data:`synergylib.datasets.PLANES`): 0.20-0.25 m from the
#: centre of the plane's 3 x 3 target grid, on the side of the body (frontal:
#: behind it; horizontal: below; sagittal left: to its right; sagittal right: to
#: its left; up: below).
START_POSTURES: tuple[tuple[float, float, float], ...] = (
    (0.05, 0.20, -0.05),   # f: grid at y = 0.45, centre (0.05, 0.45, 0.00)
    (0.05, 0.35, -0.35),   # h: grid at z = -0.15, centre (0.05, 0.35, -0.15)
    (-0.05, 0.30, -0.05),  # l: grid at x = -0.30, centre (-0.30, 0.30, 0.00)
    (0.20, 0.15, -0.05),   # r: grid at x = 0.45, centre (0.45, 0.15, 0.00)
    (0.10, 0.20, 0.10),    # u: grid at z = 0.35, centre (0.10, 0.20, 0.35)
)

#: Anatomically adjacent muscle pairs whose surface electrodes pick up each other
#: (crosstalk is applied in both directions).
CROSSTALK_PAIRS: tuple[tuple[str, str], ...] = (
    ("DeltA", "DeltM"),
    ("DeltM", "DeltP"),
    ("DeltA", "PecMaj"),
    ("DeltP", "INF"),
    ("INF", "TMaj"),
    ("TrapU", "TrapM"),
    ("TrapM", "TrapL"),
    ("TrapL", "ES"),
    ("TriLong", "TriLat"),
    ("BicLong", "BicShort"),
    ("PronT", "Brach"),
)


def crosstalk_matrix(crosstalk: float, factors: np.ndarray | None = None) -> np.ndarray:
    r"""The crosstalk mixing matrix :math:`C = I + [\kappa f_{mn}]_{(m,n) \in \mathcal N}`.

    Parameters
    ----------
    crosstalk : float
        :math:`\kappa \ge 0`, the share of a neighbour's signal each channel picks up.
    factors : ndarray of shape (2 * len(CROSSTALK_PAIRS),), optional
        Per-direction multiplicative factors :math:`f` (pair ``q`` gives entries
        ``2q`` for ``(a, b)`` and ``2q + 1`` for ``(b, a)``); ones if None.

    Returns
    -------
    ndarray of shape (16, 16)
        Row ``m`` says how much of each muscle's own signal channel ``m`` records.
    """
    crosstalk = check_real(crosstalk, "crosstalk", low=0.0)
    n_pairs = len(CROSSTALK_PAIRS)
    factors = np.ones(2 * n_pairs) if factors is None else np.asarray(factors, dtype=float)
    if factors.shape != (2 * n_pairs,):
        raise SynergyInputError(
            f"factors must have shape ({2 * n_pairs},), got {factors.shape}."
        )
    C = np.eye(len(MUSCLES))
    for q, (a, b) in enumerate(CROSSTALK_PAIRS):
        ia, ib = MUSCLES.index(a), MUSCLES.index(b)
        C[ia, ib] = crosstalk * factors[2 * q]
        C[ib, ia] = crosstalk * factors[2 * q + 1]
    return C


# ---------------------------------------------------------------------------
# Participant container
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class RealisticParticipant(ReachingParticipant):
    """A :class:`~synergylib.datasets.ReachingParticipant` with the realistic generator's extras.

    Every field of the parent has the same meaning and shape; ``onset`` and
    ``offset`` are the kinematic start of the reach and end of the return.
    ``start_position`` is the (5, 3) array of this participant's start postures
    per plane, ``movement_direction`` the reach directions (the return goes the
    other way).

    Extra attributes
    ----------------
    emg_lead : ndarray of shape (n_movements, n_repetitions)
        :math:`\\Delta`, how long (s) muscle activity leads the kinematics.
    hold_onset, return_onset : ndarray of int, shape (n_movements, n_repetitions)
        Samples where the hold and the return movement start.
    crosstalk : ndarray of shape (16, 16)
        The mixing matrix :math:`C` applied to the raw signals.
    baseline_noise : ndarray of shape (16,)
        Each channel's baseline-noise RMS :math:`\\sigma_m` (mV, at ``noise_level=1``).
    parameters : dict
        The generator parameters used.
    """

    emg_lead: np.ndarray | None = None
    hold_onset: np.ndarray | None = None
    return_onset: np.ndarray | None = None
    crosstalk: np.ndarray | None = None
    baseline_noise: np.ndarray | None = None
    parameters: dict | None = None

    def __repr__(self) -> str:
        return "Realistic" + super().__repr__()


# ---------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------

#: Description, unit and source of every parameter (for :func:`parameter_table`).
_PARAMETER_DOCS: dict[str, tuple[str, str, str]] = {
    "n_repetitions": ("repetitions per target", "", "protocol (9 train + 1 test)"),
    "fs": ("sampling rate of the raw EMG", "Hz", "protocol"),
    "weight_jitter": ("SD of the log of each template weight's per-participant factor",
                      "", "choice (starting value kept: not varied in the search; "
                      "checked against Scano et al. 2019)"),
    "extra_muscle_probability": ("probability that a muscle outside a template is "
                                 "recruited by it in a participant", "",
                                 "choice (as weight_jitter)"),
    "extra_muscle_weight": ("largest weight of such a recruitment (uniform 0..value, "
                            "relative to template weights of unit norm)", "",
                            "choice (as weight_jitter)"),
    "direction_jitter": ("SD of the per-participant jitter of each preferred direction",
                         "", "choice (clean generator's value)"),
    "gain_jitter": ("SD of the log of the per-participant factor on burst and tonic gains",
                    "", "choice (clean generator's value)"),
    "start_postures": ("hand start posture of each plane (x right, y forward, z up)",
                       "m", "choice (centre-out and return from a posture per plane)"),
    "posture_jitter": ("SD of the per-participant jitter of each start posture", "m",
                       "choice"),
    "rest_duration": ("least rest before onset and after offset", "s",
                      "choice (tonic windows are 0.2-0.4 s)"),
    "onset_jitter": ("onset = rest_duration + U(0, onset_jitter)", "s", "choice"),
    "reach_duration": ("duration of the reach and of the return, uniform per trial", "s",
                       "choice (reaching movements of 0.5-1 s)"),
    "hold_duration": ("time at the target between reach and return, uniform per trial",
                      "s", "choice"),
    "burst_width": ("support of a burst, share of its segment's duration", "",
                    "choice (clean generator's value)"),
    "timing_jitter": ("trial jitter of burst centres, share of the segment's duration",
                      "", "choice (starting value kept: not varied in the search)"),
    "amplitude_jitter": ("SD of the log of every trial gain (bursts, tonic, specific bumps)",
                         "", "choice (starting value kept: not varied in the search)"),
    "tuning_jitter": ("SD of the log of a per-participant factor on each burst of each "
                      "movement (tuning that is not a pure cosine)", "",
                      "calibrated (gap between R2(4) and R2(6): the rule's N)"),
    "emg_lead": ("EMG onset before movement onset (electromechanical delay), uniform "
                 "per trial", "s", "Cavanagh & Komi 1979 (30-100 ms)"),
    "tonic_scale": ("multiplier of the templates' tonic (anti-gravity) gains", "",
                    "choice"),
    "muscle_gain_jitter": ("SD of the log of a per-trial, per-muscle gain on the "
                           "synergy drive", "",
                           "choice (starting value kept: not varied in the search)"),
    "specific_level": ("muscle-specific activity fixed per movement, relative to the "
                       "muscle's largest synergy drive", "",
                       "calibrated (R2 at the true N, rule's N)"),
    "specific_trial_level": ("muscle-specific activity drawn afresh every trial, same "
                             "scale", "", "calibrated (with specific_level)"),
    "specific_bumps": ("bumps of the per-movement muscle-specific activity", "",
                       "choice"),
    "specific_trial_bumps": ("bumps of the per-trial muscle-specific activity", "",
                             "choice"),
    "specific_width": ("support of a muscle-specific bump, share of the movement", "",
                       "choice"),
    "nonlinearity": ("strength s of the saturating mixing (0: linear)", "",
                     "choice (protocol: linear by default)"),
    "crosstalk": ("share of each anatomical neighbour's raw signal a channel records",
                  "", "choice (crosstalk between adjacent muscles: De Luca et al. 2012, "
                  "J Biomech 45:555)"),
    "crosstalk_jitter": ("SD of the log of the per-participant factor of each "
                         "crosstalk coefficient", "", "choice"),
    "noise_level": ("scale of all additive noise (baseline, mains, motion)", "",
                    "choice (clean generator's value)"),
    "baseline_noise_rms": ("median RMS of the white baseline noise", "mV",
                           "choice (clean generator's value)"),
    "noise_jitter": ("SD of the log of each channel's baseline-noise factor", "",
                     "choice (muscle-specific noise levels)"),
    "carrier_band": ("pass band of the EMG carrier", "Hz", "choice (surface EMG band)"),
    "mains_frequency": ("mains frequency", "Hz", "choice (Europe)"),
    "mains_amplitude": ("mains amplitude", "mV", "choice (clean generator's value)"),
    "motion_artifact_amplitude": ("RMS of a motion artefact", "mV",
                                  "choice (clean generator's value)"),
    "motion_artifact_probability": ("probability of a motion artefact per (trial, muscle)",
                                    "", "choice (clean generator's value)"),
    "motion_artifact_cutoff": ("motion artefacts are noise low-passed at this frequency",
                               "Hz", "choice (clean generator's value)"),
}


def make_realistic_participant(
    index: int = 0,
    *,
    random_state=0,
    n_repetitions: int = 10,
    fs: float = 1000.0,
    weight_jitter: float = 0.5,
    extra_muscle_probability: float = 0.25,
    extra_muscle_weight: float = 0.3,
    direction_jitter: float = 0.15,
    gain_jitter: float = 0.2,
    start_postures: tuple[tuple[float, float, float], ...] = START_POSTURES,
    posture_jitter: float = 0.02,
    rest_duration: float = 0.5,
    onset_jitter: float = 0.1,
    reach_duration: tuple[float, float] = (0.5, 0.8),
    hold_duration: tuple[float, float] = (0.2, 0.4),
    burst_width: float = 0.44,
    timing_jitter: float = 0.03,
    amplitude_jitter: float = 0.25,
    tuning_jitter: float = 0.6,
    emg_lead: tuple[float, float] = (0.03, 0.10),
    tonic_scale: float = 1.0,
    muscle_gain_jitter: float = 0.2,
    specific_level: float = 0.04,
    specific_trial_level: float = 0.04,
    specific_bumps: int = 2,
    specific_trial_bumps: int = 2,
    specific_width: float = 0.3,
    nonlinearity: float = 0.0,
    crosstalk: float = 0.1,
    crosstalk_jitter: float = 0.3,
    noise_level: float = 1.0,
    baseline_noise_rms: float = 0.005,
    noise_jitter: float = 0.3,
    carrier_band: tuple[float, float] = (20.0, 450.0),
    mains_frequency: float = 50.0,
    mains_amplitude: float = 0.01,
    motion_artifact_amplitude: float = 0.05,
    motion_artifact_probability: float = 0.1,
    motion_artifact_cutoff: float = 5.0,
) -> RealisticParticipant:
    r"""Generate one participant of the realistic reaching data set.

    See the module docstring for the model and :func:`parameter_table` for what each
    parameter means and where its default comes from (the realism parameters were
    calibrated by ``scripts/calibrate_generator.py``). The arrays have the shapes of
    :func:`synergylib.datasets.make_reaching_participant` (45 movements in the same
    order, 16 muscles, 6 synergies with the same names), so
    :func:`synergylib.preprocessing.preprocess_participant` works unchanged.

    Parameters
    ----------
    index : int
        Participant number (>= 0); selects the per-participant random streams.
    random_state : int, numpy SeedSequence or None
        Root seed; the same ``(index, random_state)`` gives bit-identical data.
    **parameters
        The generator parameters (see :func:`parameter_table`).

    Returns
    -------
    RealisticParticipant

    Raises
    ------
    SynergyInputError
        If a parameter is out of range (negative jitter, a burst that leaves its
        segment, an EMG lead longer than the rest before the tonic window, ...).
    """
    index = check_int(index, "index", low=0)
    entropy = seed_entropy(random_state)
    params = _check_parameters(
        {name: value for name, value in locals().items() if name in _PARAMETER_NAMES}
    )
    return _generate(index, entropy, params)


_PARAMETER_NAMES = tuple(
    name
    for name in inspect.signature(make_realistic_participant).parameters
    if name not in ("index", "random_state")
)


def generator_parameters() -> dict[str, Any]:
    """Default value of every generator parameter (the calibrated set), by name."""
    signature = inspect.signature(make_realistic_participant)
    return {name: signature.parameters[name].default for name in _PARAMETER_NAMES}


def parameter_table() -> list[dict[str, Any]]:
    """One row per generator parameter: name, default, unit, meaning, source.

    Returns
    -------
    list of dict
        Keys ``"parameter"``, ``"default"``, ``"unit"``, ``"description"``, ``"source"``.
    """
    return [
        {
            "parameter": name,
            "default": value,
            "unit": _PARAMETER_DOCS[name][1],
            "description": _PARAMETER_DOCS[name][0],
            "source": _PARAMETER_DOCS[name][2],
        }
        for name, value in generator_parameters().items()
    ]


def ideal_parameters() -> dict[str, Any]:
    """Parameters that switch every realism mechanism off.

    No participant or trial variability, no muscle-specific activity, no EMG lead,
    no crosstalk, no additive noise and linear mixing: the envelopes are exactly
    ``synergies @ activations``. Start postures, durations and the tonic part stay.
    """
    return {
        "weight_jitter": 0.0,
        "extra_muscle_probability": 0.0,
        "direction_jitter": 0.0,
        "gain_jitter": 0.0,
        "posture_jitter": 0.0,
        "timing_jitter": 0.0,
        "amplitude_jitter": 0.0,
        "emg_lead": (0.0, 0.0),
        "muscle_gain_jitter": 0.0,
        "tuning_jitter": 0.0,
        "specific_level": 0.0,
        "specific_trial_level": 0.0,
        "nonlinearity": 0.0,
        "crosstalk": 0.0,
        "noise_level": 0.0,
    }


def _check_pair(value, name: str, *, low: float, strict: bool) -> tuple[float, float]:
    try:
        a, b = (float(v) for v in value)
    except (TypeError, ValueError):
        raise SynergyInputError(f"{name} must be a pair (min, max), got {value!r}.") from None
    ok = np.isfinite(a) and np.isfinite(b) and a <= b and (a > low if strict else a >= low)
    if not ok:
        bound = f"{low:g} < min" if strict else f"{low:g} <= min"
        raise SynergyInputError(
            f"{name} must satisfy {bound} <= max (seconds), got ({a:g}, {b:g})."
        )
    return a, b


def _check_parameters(params: dict[str, Any]) -> dict[str, Any]:
    """Validate the generator parameters (all but index / random_state)."""
    p = dict(params)
    p["n_repetitions"] = check_int(p["n_repetitions"], "n_repetitions", low=2)
    p["fs"] = check_real(p["fs"], "fs", low=0.0, include_low=False)
    for name in ("weight_jitter", "extra_muscle_weight", "direction_jitter", "gain_jitter",
                 "posture_jitter", "rest_duration", "onset_jitter", "timing_jitter",
                 "amplitude_jitter", "tuning_jitter", "tonic_scale", "muscle_gain_jitter",
                 "specific_level",
                 "specific_trial_level", "nonlinearity", "crosstalk", "crosstalk_jitter",
                 "noise_level", "baseline_noise_rms", "noise_jitter", "mains_amplitude",
                 "motion_artifact_amplitude"):
        p[name] = check_real(p[name], name, low=0.0)
    for name in ("extra_muscle_probability", "motion_artifact_probability"):
        p[name] = check_real(p[name], name, low=0.0, high=1.0)
    for name in ("specific_bumps", "specific_trial_bumps"):
        p[name] = check_int(p[name], name, low=0)
    p["specific_width"] = check_real(p["specific_width"], "specific_width", low=0.0,
                                     include_low=False, high=0.7)
    p["burst_width"] = check_real(p["burst_width"], "burst_width", low=0.0, include_low=False)
    if p["burst_width"] / 2 + p["timing_jitter"] > 0.25 + 1e-12:
        raise SynergyInputError(
            f"burst_width/2 + timing_jitter must be <= 0.25 so that both bursts stay "
            f"inside their segment, got {p['burst_width']:g}/2 + {p['timing_jitter']:g}."
        )
    p["reach_duration"] = _check_pair(p["reach_duration"], "reach_duration", low=0.0,
                                      strict=True)
    if p["reach_duration"][0] * p["fs"] < 10:
        raise SynergyInputError(
            f"reaches of {p['reach_duration'][0]:g} s are shorter than 10 samples at "
            f"fs={p['fs']:g} Hz."
        )
    p["hold_duration"] = _check_pair(p["hold_duration"], "hold_duration", low=0.0,
                                     strict=False)
    p["emg_lead"] = _check_pair(p["emg_lead"], "emg_lead", low=0.0, strict=False)
    if p["emg_lead"][1] > 0.15:
        raise SynergyInputError(
            f"emg_lead must be at most 0.15 s (the preprocessing's rest window ends 0.2 s "
            f"before onset and must stay at rest), got {p['emg_lead'][1]:g} s."
        )
    if p["rest_duration"] < 0.45:
        raise SynergyInputError(
            f"rest_duration must be at least 0.45 s (the tonic windows reach 0.4 s before "
            f"onset and after offset), got {p['rest_duration']:g} s."
        )
    try:
        band_low, band_high = (float(v) for v in p["carrier_band"])
    except (TypeError, ValueError):
        raise SynergyInputError(
            f"carrier_band must be a pair (low, high) in Hz, got {p['carrier_band']!r}."
        ) from None
    if not (0 < band_low < band_high < p["fs"] / 2):
        raise SynergyInputError(
            f"carrier_band must satisfy 0 < low < high < fs/2 = {p['fs'] / 2:g} Hz, "
            f"got ({band_low:g}, {band_high:g})."
        )
    p["carrier_band"] = (band_low, band_high)
    for name in ("mains_frequency", "motion_artifact_cutoff"):
        p[name] = check_real(p[name], name, low=0.0, include_low=False)
        if p[name] >= p["fs"] / 2:
            raise SynergyInputError(f"{name} must be below fs/2 = {p['fs'] / 2:g} Hz.")
    try:
        postures = np.asarray(p["start_postures"], dtype=float)
    except (TypeError, ValueError):
        raise SynergyInputError(
            f"start_postures must be {len(PLANES)} triples (x, y, z in metres)."
        ) from None
    if postures.shape != (len(PLANES), 3) or not np.all(np.isfinite(postures)):
        raise SynergyInputError(
            f"start_postures must have shape ({len(PLANES)}, 3) (one finite posture per "
            f"plane {PLANES}), got shape {postures.shape}."
        )
    targets = target_positions().reshape(len(PLANES), N_TARGETS, 3)
    distance = np.linalg.norm(targets - postures[:, None, :], axis=-1)
    if distance.min() < 0.05 + 3 * p["posture_jitter"]:
        plane, target = np.unravel_index(int(distance.argmin()), distance.shape)
        raise SynergyInputError(
            f"start posture of plane {PLANES[plane]!r} is {distance.min():.3f} m from its "
            f"target {target}: every movement needs a direction (keep at least "
            f"0.05 m + 3 x posture_jitter)."
        )
    p["start_postures"] = tuple(tuple(float(v) for v in row) for row in postures)
    return p


# ---------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------


def _streams(index: int, entropy) -> list[np.random.Generator]:
    return [
        np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(index, 1000 + s)))
        for s in range(6)
    ]


def _participant_synergies(rng: np.random.Generator, p: dict) -> np.ndarray:
    W0 = ground_truth_synergies()
    W = W0 * np.exp(p["weight_jitter"] * rng.standard_normal(W0.shape))
    recruited = rng.random(W0.shape) < p["extra_muscle_probability"]
    extra = p["extra_muscle_weight"] * rng.random(W0.shape)
    W = np.where(W0 > 0, W, np.where(recruited, extra, 0.0))
    return W / np.linalg.norm(W, axis=0, keepdims=True)


def _generate(index: int, entropy, p: dict) -> RealisticParticipant:
    (structure_rng, trial_rng, specific_rng, carrier_rng, noise_rng,
     crosstalk_rng) = _streams(index, entropy)
    templates = GROUND_TRUTH_SYNERGIES
    n_syn, n_mus = len(templates), len(MUSCLES)
    n_mov, n_rep, fs = len(PLANES) * N_TARGETS, p["n_repetitions"], p["fs"]

    # --- participant structure -------------------------------------------------
    W = _participant_synergies(structure_rng, p)
    preferred = np.array([t.preferred_direction for t in templates], dtype=float)
    preferred /= np.linalg.norm(preferred, axis=1, keepdims=True)
    preferred = preferred + p["direction_jitter"] * structure_rng.standard_normal(preferred.shape)
    preferred /= np.linalg.norm(preferred, axis=1, keepdims=True)
    gains = np.array([[t.accel_gain, t.decel_gain, t.tonic_gain] for t in templates])
    gains = gains * np.exp(p["gain_jitter"] * structure_rng.standard_normal(gains.shape))
    gains[:, 2] *= p["tonic_scale"]
    postures = np.asarray(p["start_postures"], dtype=float)
    postures = postures + p["posture_jitter"] * structure_rng.standard_normal(postures.shape)
    channel_mains = structure_rng.uniform(0.5, 1.5, size=n_mus)
    noise_rms = p["baseline_noise_rms"] * np.exp(
        p["noise_jitter"] * structure_rng.standard_normal(n_mus))
    tuning = np.exp(p["tuning_jitter"] * structure_rng.standard_normal(
        (len(PLANES) * N_TARGETS, n_syn, 4)))
    C = crosstalk_matrix(p["crosstalk"], np.exp(
        p["crosstalk_jitter"] * crosstalk_rng.standard_normal(2 * len(CROSSTALK_PAIRS))))

    # --- geometry ----------------------------------------------------------------
    targets = target_positions()
    starts = np.repeat(postures, N_TARGETS, axis=0)  # (n_mov, 3)
    directions = targets - starts
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    cosine = directions @ preferred.T  # (n_mov, K)

    # --- trial timing and gains ------------------------------------------------------
    reach_lo, reach_hi = p["reach_duration"]
    hold_lo, hold_hi = p["hold_duration"]
    lead_lo, lead_hi = p["emg_lead"]
    rest = p["rest_duration"]
    n_samples = int(np.ceil((2 * rest + p["onset_jitter"] + 2 * reach_hi + hold_hi) * fs))
    size = (n_mov, n_rep)
    def samples_of(seconds):
        return np.round(seconds * fs).astype(np.int64)

    onset = samples_of(rest + trial_rng.uniform(0.0, p["onset_jitter"], size))
    reach = np.maximum(samples_of(trial_rng.uniform(reach_lo, reach_hi, size)), 1)
    hold = samples_of(trial_rng.uniform(hold_lo, hold_hi, size))
    back = np.maximum(samples_of(trial_rng.uniform(reach_lo, reach_hi, size)), 1)
    lead_s = trial_rng.uniform(lead_lo, lead_hi, size)
    hold_onset = onset + reach
    return_onset = hold_onset + hold
    offset = return_onset + back
    jitter = p["timing_jitter"]
    centres = np.array([0.25, 0.75, 0.25, 0.75]) + trial_rng.uniform(
        -jitter, jitter, size=(n_mov, n_rep, n_syn, 4))
    trial_gain = np.exp(p["amplitude_jitter"]
                        * trial_rng.standard_normal((n_mov, n_rep, n_syn, 5)))
    along = np.clip(cosine, 0.0, None)[:, None, :]
    against = np.clip(-cosine, 0.0, None)[:, None, :]
    burst_amplitudes = np.stack(
        [gains[:, 0] * along, gains[:, 1] * against,    # reach: accel, decel
         gains[:, 0] * against, gains[:, 1] * along],   # return: accel, decel
        axis=-1,
    ) * trial_gain[..., :4] * tuning[:, None]  # (n_mov, n_rep, K, 4)
    tonic_scale = gains[:, 2] * trial_gain[..., 4]  # (n_mov, n_rep, K)
    muscle_gain = np.exp(p["muscle_gain_jitter"]
                         * trial_rng.standard_normal((n_mov, n_rep, n_mus)))

    # --- activations, led by the electromechanical delay -----------------------------
    samples = np.arange(n_samples, dtype=np.float64)
    activations = np.empty((n_mov, n_rep, n_syn, n_samples), dtype=np.float32)
    tonic_activations = np.zeros_like(activations)
    width = p["burst_width"]
    for j in range(n_mov):
        neural = samples[None, :] + lead_s[j][:, None] * fs  # t + lead, in samples
        tau1 = (neural - onset[j][:, None]) / reach[j][:, None]
        tau2 = (neural - return_onset[j][:, None]) / back[j][:, None]
        shape = (_minimum_jerk(tau1) - _minimum_jerk(tau2))[..., None]
        positions = starts[j] + shape * (targets[j] - starts[j])
        H = np.zeros((n_rep, n_syn, n_samples))
        for k, template in enumerate(templates):
            for s, tau in enumerate((tau1, tau1, tau2, tau2)):
                H[:, k] += burst_amplitudes[j, :, k, s, None] * _raised_cosine(
                    tau, centres[j, :, k, s, None], width)
            if template.tonic is not None:
                tonic = tonic_scale[j, :, k, None] * _tonic_feature(template.tonic, positions)
                tonic_activations[j, :, k] = tonic
                H[:, k] += tonic
        activations[j] = H

    # --- envelopes: synergy drive, muscle gains, muscle-specific activity -------------
    envelopes = np.empty((n_mov, n_rep, n_mus, n_samples), dtype=np.float32)
    for j in range(n_mov):
        envelopes[j] = muscle_gain[j][:, :, None] * (W @ activations[j].astype(np.float64))
    peak_drive = envelopes.max(axis=(0, 1, 3)).astype(np.float64)
    spec_shape = (n_mov, n_mus, p["specific_bumps"])
    spec_centres = specific_rng.uniform(0.15, 0.85, spec_shape)
    spec_amps = specific_rng.exponential(1.0, spec_shape)
    trial_shape = (n_mov, n_rep, n_mus, p["specific_trial_bumps"])
    trial_centres = specific_rng.uniform(0.15, 0.85, trial_shape)
    trial_amps = specific_rng.exponential(1.0, trial_shape)
    spec_gain = np.exp(p["amplitude_jitter"] * specific_rng.standard_normal((n_mov, n_rep, n_mus)))
    if p["specific_level"] > 0 or p["specific_trial_level"] > 0:
        for j in range(n_mov):
            neural = samples[None, :] + lead_s[j][:, None] * fs
            u = ((neural - onset[j][:, None]) / (offset[j] - onset[j])[:, None])[:, None, :]
            extra = np.zeros((n_rep, n_mus, n_samples))
            for q in range(p["specific_bumps"]):
                extra += (p["specific_level"] * spec_amps[j, None, :, q, None]
                          * spec_gain[j][..., None]
                          * _raised_cosine(u, spec_centres[j, None, :, q, None],
                                           p["specific_width"]))
            for q in range(p["specific_trial_bumps"]):
                extra += (p["specific_trial_level"] * trial_amps[j, :, :, q, None]
                          * _raised_cosine(u, trial_centres[j, :, :, q, None], p["specific_width"]))
            envelopes[j] += peak_drive[None, :, None] * extra

    # --- optional saturating mixing (as in the clean generator) -----------------------
    peak = envelopes.max(axis=(0, 1, 3)).astype(np.float64)
    mixing_gains = 1.0 / np.maximum(peak, np.finfo(np.float32).tiny)
    if p["nonlinearity"] > 0:
        rate = (p["nonlinearity"] * mixing_gains)[:, None]
        for j in range(n_mov):
            envelopes[j] = -np.expm1(-rate * envelopes[j].astype(np.float64)) / rate

    # --- raw EMG: carriers, crosstalk, noise -------------------------------------------
    carrier_sos = signal.butter(4, p["carrier_band"], btype="bandpass", fs=fs, output="sos")
    motion_sos = signal.butter(2, p["motion_artifact_cutoff"], btype="lowpass", fs=fs,
                               output="sos")
    time = samples / fs
    emg = np.empty_like(envelopes)
    level = p["noise_level"]
    for j in range(n_mov):
        carrier = signal.sosfiltfilt(
            carrier_sos, carrier_rng.standard_normal((n_rep, n_mus, n_samples)), axis=-1)
        carrier /= np.sqrt(np.mean(carrier**2, axis=-1, keepdims=True))
        x = envelopes[j].astype(np.float64) * carrier
        if p["crosstalk"] > 0:
            x = np.einsum("mn,rnt->rmt", C, x)
        baseline = noise_rng.standard_normal((n_rep, n_mus, n_samples))
        phase = noise_rng.uniform(0.0, 2.0 * np.pi, size=(n_rep, 1, 1))
        has_artifact = noise_rng.random((n_rep, n_mus)) < p["motion_artifact_probability"]
        artifact_noise = noise_rng.standard_normal((int(has_artifact.sum()), n_samples))
        if level > 0:
            x += level * noise_rms[None, :, None] * baseline
            x += (level * p["mains_amplitude"] * channel_mains[None, :, None]
                  * np.sin(2.0 * np.pi * p["mains_frequency"] * time + phase))
            if artifact_noise.shape[0] > 0 and p["motion_artifact_amplitude"] > 0:
                artifact = signal.sosfiltfilt(motion_sos, artifact_noise, axis=-1)
                artifact /= np.sqrt(np.mean(artifact**2, axis=-1, keepdims=True))
                for row, (r, m) in enumerate(zip(*np.nonzero(has_artifact))):
                    window = np.zeros(n_samples)
                    window[onset[j, r]:offset[j, r]] = signal.windows.hann(
                        int(offset[j, r] - onset[j, r]), sym=True)
                    x[r, m] += level * p["motion_artifact_amplitude"] * window * artifact[row]
        emg[j] = x

    arrays = {
        "movement_plane": np.repeat(np.array(PLANES), N_TARGETS),
        "movement_target": np.tile(np.arange(N_TARGETS), len(PLANES)),
        "emg": emg,
        "onset": onset,
        "offset": offset,
        "envelopes": envelopes,
        "synergies": W,
        "activations": activations,
        "movement_direction": directions,
        "target_position": targets,
        "start_position": postures,
        "preferred_directions": preferred,
        "burst_amplitudes": burst_amplitudes,
        "mixing_gains": mixing_gains,
        "tonic_activations": tonic_activations,
        "emg_lead": lead_s,
        "hold_onset": hold_onset,
        "return_onset": return_onset,
        "crosstalk": C,
        "baseline_noise": noise_rms,
    }
    for array in arrays.values():
        array.setflags(write=False)
    return RealisticParticipant(
        index=index,
        fs=float(fs),
        muscles=MUSCLES,
        planes=PLANES,
        synergy_names=tuple(t.name for t in templates),
        nonlinearity=float(p["nonlinearity"]),
        parameters=dict(p),
        **arrays,
    )
