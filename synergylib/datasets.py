r"""Synthetic upper-limb reaching EMG with a known ground truth.

The data set of Brambilla et al. (2025) is not public, so the book works on a
generated one with the same shape (PROTOCOL.md section 2.1): 15 participants,
16 shoulder/arm/trunk muscles, 5 workspace planes x 9 targets, 10 repetitions per
target, raw EMG at 1 kHz. Everything a generator does is one of its parameters;
everything it knows (synergies, activations and their tonic part, noise-free
envelopes, timing) is returned next to the raw signal so that the book can score
extracted synergies against the truth.

Two generators share the muscles, targets and synergy templates of this module
(:data:`GENERATORS`; :func:`make_participant` and :class:`ReachingDataset` take
either by name):

* ``"realistic"`` (the default, protocol version 2):
  :func:`synergylib.reaching.make_realistic_participant`, calibrated on published
  NMF figures of reaching EMG (participant-specific synergies, centre-out and
  return movements, EMG that leads the movement, muscle-specific noise, crosstalk);
* ``"clean"`` (protocol version 1): :func:`make_reaching_participant`, described
  below; identifiable but too clean to be EMG (a sharp knee of the R2 curve at the
  true N, participants near clones).

The clean generator's model
---------------------------

For participant :math:`i`, movement (plane, target) :math:`j` and repetition
:math:`r`, with :math:`K` synergies (:data:`GROUND_TRUTH_SYNERGIES`):

1. **Synergies.** :math:`W \in \mathbb{R}_{\ge 0}^{16 \times K}`: the template
   weights of :data:`GROUND_TRUTH_SYNERGIES`, each non-zero weight multiplied by a
   per-participant log-normal factor :math:`e^{\sigma_W \varepsilon}`,
   :math:`\varepsilon \sim \mathcal{N}(0, 1)` (zeros stay zero), then every column
   scaled to unit Euclidean norm.

2. **Kinematics.** The hand moves on a straight line from the common start
   position :math:`\mathbf{s}` (:data:`START_POSITION`) to the target
   :math:`\mathbf{g}_j` (:func:`target_positions`) with the minimum-jerk time course

   .. math::

      \mathbf{p}(t) = \mathbf{s} + (\mathbf{g}_j - \mathbf{s})\,\mu(\tau),\quad
      \mu(\tau) = 10\tau^3 - 15\tau^4 + 6\tau^5,\quad
      \tau = \operatorname{clip}\!\left(\frac{t - t_\text{on}}{T}, 0, 1\right),

   onset :math:`t_\text{on} = t_\text{rest} + U(0, \Delta_\text{on})` and duration
   :math:`T \sim U(T_\text{min}, T_\text{max})` drawn per trial. The movement
   direction is :math:`\mathbf{d}_j = (\mathbf{g}_j - \mathbf{s}) /
   \lVert \mathbf{g}_j - \mathbf{s} \rVert` in shoulder-centred coordinates
   (x right, y forward, z up, metres, right arm). The default start is the hand
   resting on the thigh of a seated participant (``start_position``); targets are
   3 x 3 grids in five planes (:func:`target_positions`).

3. **Activations.** Synergy :math:`k` has a preferred direction
   :math:`\mathbf{u}_k` (template direction plus per-participant Gaussian
   jitter, re-normalised). Its activation is an acceleration (agonist) burst, a
   deceleration (antagonist) burst and a tonic anti-gravity part:

   .. math::

      h_k(t) = a_k\,\eta_1\,[\mathbf{d}_j\!\cdot\!\mathbf{u}_k]_+\;b(\tau; c_1)
             + b_k\,\eta_2\,[-\mathbf{d}_j\!\cdot\!\mathbf{u}_k]_+\;b(\tau; c_2)
             + \gamma_k\,\eta_3\,\phi_k(\mathbf{p}(t)),

   with the raised-cosine bump
   :math:`b(\tau; c) = \tfrac12\bigl(1 + \cos\tfrac{2\pi(\tau - c)}{w}\bigr)` for
   :math:`|\tau - c| \le w/2` (0 elsewhere), centres
   :math:`c_1 = 0.25 + U(-\delta, \delta)`, :math:`c_2 = 0.75 + U(-\delta, \delta)`,
   trial gains :math:`\eta \sim \mathrm{LogNormal}(0, \sigma_a^2)`, burst gains
   :math:`a_k, b_k` and tonic gain :math:`\gamma_k` (template value times a
   per-participant log-normal factor). The tonic feature :math:`\phi_k` depends on
   the arm elevation :math:`\theta` (angle between the shoulder-hand line and the
   downward vertical): ``"gravity"`` :math:`\phi = \sin\theta` (the share of the
   arm's weight the shoulder must hold: 0 hanging, 1 horizontal), ``"elevation"``
   :math:`\phi = (1 - \cos\theta)/2` (0 hanging, 1/2 horizontal, 1 overhead),
   or none. Because :math:`w/2 + \delta \le 1/4`, both bursts lie inside
   :math:`[t_\text{on}, t_\text{off}]`: **outside the movement the activations are
   exactly the tonic level of the start posture (before onset) and of the target
   posture (after offset), constant in time; synergies with no tonic part are
   exactly zero there.**

4. **Mixing.** The linear drive :math:`\mathbf{u}(t) = W \mathbf{h}(t)` goes
   through a per-muscle saturating function of strength :math:`s \ge 0`
   (``nonlinearity``):

   .. math::

      e_m(t) = g_s(u_m) = \frac{1 - \exp(-s\,\kappa_m u_m)}{s\,\kappa_m},
      \qquad \kappa_m = 1 / \max_{j,r,t} u_m, \qquad g_0(u) = u,

   so :math:`s = 0` is exactly linear (``envelopes == W @ activations``), the slope
   at zero is always 1, and at the muscle's largest drive the envelope is
   compressed to :math:`(1 - e^{-s})/s` of its linear value (0.63 for
   :math:`s = 1`, 0.43 for :math:`s = 2`).

5. **Raw EMG.** The envelope :math:`e_m(t)` (mV) is the **RMS amplitude** of the
   EMG: it multiplies a carrier :math:`c(t)` of Gaussian noise band-passed
   20-450 Hz (zero-phase Butterworth) and scaled to unit RMS per trial and muscle,

   .. math::

      x_m(t) = e_m(t)\,c_m(t) + \lambda\bigl(\sigma_0\,n_m(t)
               + A_\text{mains}\,\alpha_m \sin(2\pi f_\text{mains} t + \varphi)
               + A_\text{mot}\,\beta_m(t)\bigr),

   with white baseline noise :math:`n_m`, mains interference (per-channel
   amplitude factor :math:`\alpha_m \sim U(0.5, 1.5)`, random phase per trial),
   and, in a random share of the (trial, muscle) pairs, a motion artefact
   :math:`\beta_m`: Gaussian noise low-passed below 5 Hz, unit RMS, windowed by a
   Hann window over the movement. :math:`\lambda` is ``noise_level``
   (0 gives the clean carrier-modulated signal). Since the carrier is Gaussian with
   unit RMS, :math:`\mathbb{E}|e\,c| = \sqrt{2/\pi}\,e \approx 0.80\,e`: band-pass,
   full-wave rectification and low-pass filtering return the envelope up to the
   factor :math:`\sqrt{2/\pi}` (plus the noise floor).

Seeding
-------
Participant ``i`` of seed ``r`` uses ``np.random.SeedSequence(r, spawn_key=(i,))``,
which is exactly ``np.random.SeedSequence(r).spawn(n)[i]`` for any ``n > i``; so
``ReachingDataset(random_state=r)[i]`` equals
``make_reaching_participant(i, random_state=r)`` bit for bit, and a participant
does not change when the number of participants does.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass, field
from numbers import Integral
from typing import Any, NamedTuple

import numpy as np
from scipy import signal

from ._config import parameter_table
from ._random import seed_entropy
from ._validation import SynergyInputError, check_int, check_real

__all__ = [
    "GROUND_TRUTH_SYNERGIES",
    "MUSCLES",
    "MUSCLE_NAMES",
    "N_TARGETS",
    "PLANES",
    "PLANE_NAMES",
    "START_POSITION",
    "GENERATORS",
    "ReachingDataset",
    "ReachingParticipant",
    "SynergyTemplate",
    "generator_defaults",
    "generator_parameters",
    "generator_table",
    "ground_truth_synergies",
    "ground_truth_table",
    "make_participant",
    "make_reaching_participant",
    "movement_directions",
    "target_positions",
]

# ---------------------------------------------------------------------------
# Montage and task geometry
# ---------------------------------------------------------------------------

#: Muscle abbreviations, in the montage order of the group's earlier code.
MUSCLES: tuple[str, ...] = (
    "ES",
    "TMaj",
    "INF",
    "TrapL",
    "TrapM",
    "TrapU",
    "DeltA",
    "DeltM",
    "DeltP",
    "PecMaj",
    "TriLong",
    "TriLat",
    "BicLong",
    "BicShort",
    "PronT",
    "Brach",
)

#: Full muscle names, aligned with :data:`MUSCLES`.
MUSCLE_NAMES: tuple[str, ...] = (
    "erector spinae",
    "teres major",
    "infraspinatus",
    "lower trapezius",
    "middle trapezius",
    "upper trapezius",
    "anterior deltoid",
    "middle deltoid",
    "posterior deltoid",
    "pectoralis major",
    "triceps brachii, long head",
    "triceps brachii, lateral head",
    "biceps brachii, long head",
    "biceps brachii, short head",
    "pronator teres",
    "brachioradialis",
)

#: Plane (workspace sector) codes, as in the group's earlier code.
PLANES: tuple[str, ...] = ("f", "h", "l", "r", "u")

#: Readable plane names, aligned with :data:`PLANES`.
PLANE_NAMES: tuple[str, ...] = ("frontal", "horizontal", "sagittal left", "sagittal right", "up")

#: Number of targets per plane.
N_TARGETS: int = 9

#: Start (rest) position of the hand in shoulder-centred coordinates (metres; x
#: right, y forward, z up; right arm): hand resting on the thigh of a seated
#: participant, upper arm almost vertical, elbow flexed.
START_POSITION: tuple[float, float, float] = (0.10, 0.25, -0.45)

# Each plane is a 3 x 3 grid of targets: a fixed coordinate and two grid axes.
# (fixed axis, fixed value, first grid axis and values, second grid axis and values)
_PLANE_GRIDS: dict[str, tuple[int, float, int, tuple[float, ...], int, tuple[float, ...]]] = {
    # frontal: vertical plane in front of the body (y fixed), x-z grid
    "f": (1, 0.45, 0, (-0.20, 0.05, 0.30), 2, (-0.25, 0.00, 0.25)),
    # horizontal: plane below shoulder height (z fixed), x-y grid
    "h": (2, -0.15, 0, (-0.25, 0.05, 0.35), 1, (0.15, 0.35, 0.50)),
    # sagittal left: vertical plane across the body midline (x fixed), y-z grid
    "l": (0, -0.30, 1, (0.15, 0.30, 0.45), 2, (-0.25, 0.00, 0.25)),
    # sagittal right: vertical plane lateral to the shoulder (x fixed), y-z grid
    "r": (0, 0.45, 1, (-0.05, 0.15, 0.35), 2, (-0.25, 0.00, 0.25)),
    # up: horizontal plane above shoulder height (z fixed), x-y grid
    "u": (2, 0.35, 0, (-0.15, 0.10, 0.35), 1, (0.00, 0.20, 0.40)),
}


def target_positions() -> np.ndarray:
    """Positions of the 45 targets, plane by plane (the order of every data array).

    Each plane holds a 3 x 3 grid of targets; target ``t`` of a plane is grid cell
    ``(t // 3, t % 3)`` along the plane's two in-plane axes. Coordinates are in
    metres relative to the right shoulder (x right, y forward, z up); every
    target is within 0.65 m of the shoulder (reachable by an adult arm).

    Returns
    -------
    ndarray of shape (45, 3)
        Row ``p * 9 + t`` is target ``t`` of plane ``PLANES[p]``.
    """
    rows = []
    for plane in PLANES:
        fixed_axis, fixed_value, axis_a, values_a, axis_b, values_b = _PLANE_GRIDS[plane]
        for value_a in values_a:
            for value_b in values_b:
                position = np.zeros(3)
                position[fixed_axis] = fixed_value
                position[axis_a] = value_a
                position[axis_b] = value_b
                rows.append(position)
    return np.asarray(rows)


def movement_directions(start_position=START_POSITION) -> np.ndarray:
    """Unit vectors from the start position to each of the 45 targets.

    Parameters
    ----------
    start_position : sequence of 3 floats
        Hand start position (metres, shoulder-centred); default :data:`START_POSITION`.

    Returns
    -------
    ndarray of shape (45, 3)
    """
    delta = target_positions() - np.asarray(start_position, dtype=float)
    return delta / np.linalg.norm(delta, axis=1, keepdims=True)


# ---------------------------------------------------------------------------
# Ground-truth synergies
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SynergyTemplate:
    """One ground-truth synergy before per-participant perturbation.

    Attributes
    ----------
    name : str
        Short name (used as ``synergy_names``).
    weights : dict of str to float
        Non-zero template weights by muscle abbreviation (before unit-norm scaling).
    movement : str
        What the synergy does in the task.
    preferred_direction : tuple of 3 floats
        Direction (x right, y forward, z up) of the hand movement for which the
        acceleration burst is largest (normalised when used).
    accel_gain, decel_gain : float
        Peak acceleration / deceleration burst amplitudes (activation units, which
        times unit-norm weights give mV) for a movement along / against the
        preferred direction.
    tonic : str or None
        ``"gravity"``, ``"elevation"`` or None (see the module docstring).
    tonic_gain : float
        Scale of the tonic component.
    """

    name: str
    weights: dict[str, float]
    movement: str
    preferred_direction: tuple[float, float, float]
    accel_gain: float
    decel_gain: float
    tonic: str | None = None
    tonic_gain: float = 0.0


#: The six ground-truth synergies (template values; see :func:`ground_truth_table`).
GROUND_TRUTH_SYNERGIES: tuple[SynergyTemplate, ...] = (
    SynergyTemplate(
        name="shoulder flexion",
        weights={"DeltA": 1.0, "PecMaj": 0.7, "BicLong": 0.5, "BicShort": 0.35},
        movement="raising the arm forward (and slightly across the body)",
        preferred_direction=(-0.2, 0.7, 0.7),
        accel_gain=0.5,
        decel_gain=0.35,
        tonic="gravity",
        tonic_gain=0.15,
    ),
    SynergyTemplate(
        name="abduction / elevation",
        weights={"DeltM": 1.0, "TrapU": 0.8, "INF": 0.5, "DeltA": 0.3},
        movement="raising the arm sideways and overhead",
        preferred_direction=(0.7, 0.0, 0.7),
        accel_gain=0.5,
        decel_gain=0.35,
        tonic="elevation",
        tonic_gain=0.25,
    ),
    SynergyTemplate(
        name="shoulder extension",
        weights={"DeltP": 1.0, "TMaj": 0.7, "TrapL": 0.5, "TriLong": 0.4},
        movement="moving the arm backward and down; brakes forward-upward reaches",
        preferred_direction=(0.2, -0.7, -0.7),
        accel_gain=0.5,
        decel_gain=0.35,
    ),
    SynergyTemplate(
        name="elbow extension",
        weights={"TriLat": 1.0, "TriLong": 0.7},
        movement="pushing the hand forward and down, away from the body",
        preferred_direction=(0.3, 0.8, -0.5),
        accel_gain=0.5,
        decel_gain=0.35,
    ),
    SynergyTemplate(
        name="elbow flexion / forearm",
        weights={"Brach": 1.0, "BicShort": 0.8, "BicLong": 0.7, "PronT": 0.6},
        movement="bringing the hand up and toward the body (hand to mouth)",
        preferred_direction=(-0.5, -0.4, 0.75),
        accel_gain=0.5,
        decel_gain=0.35,
    ),
    SynergyTemplate(
        name="trunk / posture",
        weights={"ES": 1.0, "TrapM": 0.7, "TrapL": 0.5},
        movement="trunk stabilisation and scapular retraction (arm out and back)",
        preferred_direction=(0.7, -0.6, 0.0),
        accel_gain=0.4,
        decel_gain=0.3,
        tonic="gravity",
        tonic_gain=0.10,
    ),
)

_TONIC_KINDS = (None, "gravity", "elevation")


def ground_truth_synergies() -> np.ndarray:
    """Template synergy matrix (before per-participant jitter), unit-norm columns.

    Returns
    -------
    ndarray of shape (16, K)
        Column ``k`` is synergy ``GROUND_TRUTH_SYNERGIES[k]`` over :data:`MUSCLES`.
    """
    W = np.zeros((len(MUSCLES), len(GROUND_TRUTH_SYNERGIES)))
    for k, template in enumerate(GROUND_TRUTH_SYNERGIES):
        for muscle, weight in template.weights.items():
            W[MUSCLES.index(muscle), k] = weight
    return W / np.linalg.norm(W, axis=0, keepdims=True)


def ground_truth_table() -> list[dict[str, Any]]:
    """The ground-truth synergies as rows the book can print (one per synergy).

    Weights are the unit-norm template weights (before per-participant jitter).

    Returns
    -------
    list of dict
        Keys: ``"synergy"``, ``"muscles"`` (``"DeltA 0.78, PecMaj 0.54, ..."``,
        largest first), ``"n_muscles"``, ``"movement"``,
        ``"preferred_direction"`` (unit vector, x right / y forward / z up,
        rounded), ``"accel_gain"``, ``"decel_gain"``, ``"tonic"``,
        ``"tonic_gain"``.
    """
    W = ground_truth_synergies()
    rows = []
    for k, template in enumerate(GROUND_TRUTH_SYNERGIES):
        order = np.argsort(-W[:, k], kind="stable")
        members = [f"{MUSCLES[m]} {W[m, k]:.2f}" for m in order if W[m, k] > 0]
        direction = np.asarray(template.preferred_direction, dtype=float)
        direction = direction / np.linalg.norm(direction)
        rows.append(
            {
                "synergy": template.name,
                "muscles": ", ".join(members),
                "n_muscles": len(members),
                "movement": template.movement,
                "preferred_direction": tuple(float(v) for v in np.round(direction, 2)),
                "accel_gain": template.accel_gain,
                "decel_gain": template.decel_gain,
                "tonic": template.tonic or "none",
                "tonic_gain": template.tonic_gain,
            }
        )
    return rows


# ---------------------------------------------------------------------------
# Participant container
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class ReachingParticipant:
    """One participant's reaching data (synthetic: raw EMG plus ground truth).

    Arrays are indexed ``[movement, repetition, muscle or synergy, sample]``;
    movement ``j`` is target ``movement_target[j]`` of plane
    ``movement_plane[j]``.

    Attributes
    ----------
    index : int
        Participant number.
    fs : float
        Sampling frequency (Hz).
    muscles : tuple of str
        The 16 muscle abbreviations (:data:`MUSCLES`).
    planes : tuple of str
        Plane codes (:data:`PLANES`).
    movement_plane : ndarray of str, shape (n_movements,)
    movement_target : ndarray of int, shape (n_movements,)
        Target number 0..8 within the plane.
    emg : ndarray of float32, shape (n_movements, n_repetitions, n_muscles, n_samples)
        Raw EMG (mV).
    onset, offset : ndarray of int, shape (n_movements, n_repetitions)
        Sample indices of movement start and end (``offset`` is the first sample
        after the movement).
    envelopes : ndarray of float32, same shape as ``emg``
        Noise-free EMG envelope (RMS amplitude, mV) that the raw signal modulates.
    synergies : ndarray of float64, shape (n_muscles, K)
        Ground-truth synergies (non-negative, unit-norm columns).
    activations : ndarray of float32, shape (n_movements, n_repetitions, K, n_samples)
        Ground-truth activations.
    synergy_names : tuple of str
    nonlinearity : float
        Strength ``s`` of the saturating mixing (0: linear).
    movement_direction : ndarray of shape (n_movements, 3) or None
        Unit direction from the start position to the target.
    target_position : ndarray of shape (n_movements, 3) or None
        Target positions (metres, shoulder-centred).
    start_position : ndarray of shape (3,) or None
    preferred_directions : ndarray of shape (K, 3) or None
        This participant's preferred direction of each synergy.
    burst_amplitudes : ndarray of shape (n_movements, n_repetitions, K, 2) or None
        Peak amplitudes of the acceleration (``[..., 0]``) and deceleration
        (``[..., 1]``) bursts of every trial.
    mixing_gains : ndarray of shape (n_muscles,) or None
        The per-muscle :math:`\\kappa_m` of the saturating mixing.
    tonic_activations : ndarray of float32, same shape as ``activations``, or None
        The tonic (posture) part of ``activations``; the phasic truth is
        ``activations - tonic_activations``.
    """

    index: int
    fs: float
    muscles: tuple[str, ...]
    planes: tuple[str, ...]
    movement_plane: np.ndarray
    movement_target: np.ndarray
    emg: np.ndarray
    onset: np.ndarray
    offset: np.ndarray
    envelopes: np.ndarray
    synergies: np.ndarray
    activations: np.ndarray
    synergy_names: tuple[str, ...]
    nonlinearity: float
    movement_direction: np.ndarray | None = None
    target_position: np.ndarray | None = None
    start_position: np.ndarray | None = None
    preferred_directions: np.ndarray | None = None
    burst_amplitudes: np.ndarray | None = None
    mixing_gains: np.ndarray | None = field(default=None)
    tonic_activations: np.ndarray | None = None

    def __post_init__(self) -> None:
        emg = np.asarray(self.emg)
        if emg.ndim != 4:
            raise SynergyInputError(
                "emg must have shape (n_movements, n_repetitions, n_muscles, n_samples), "
                f"got an array with {emg.ndim} dimension(s)."
            )
        if len(self.muscles) != emg.shape[2]:
            raise SynergyInputError(
                f"{len(self.muscles)} muscle names for {emg.shape[2]} EMG channels."
            )
        if self.envelopes is not None and np.shape(self.envelopes) != emg.shape:
            raise SynergyInputError(
                f"envelopes has shape {np.shape(self.envelopes)}, emg has {emg.shape}."
            )
        for name in ("onset", "offset"):
            if np.shape(getattr(self, name)) != emg.shape[:2]:
                raise SynergyInputError(
                    f"{name} must have shape {emg.shape[:2]} (movements, repetitions), "
                    f"got {np.shape(getattr(self, name))}."
                )

    @property
    def n_movements(self) -> int:
        """Number of movements (planes x targets)."""
        return int(self.emg.shape[0])

    @property
    def n_repetitions(self) -> int:
        """Repetitions per movement."""
        return int(self.emg.shape[1])

    @property
    def n_muscles(self) -> int:
        """Number of muscles (EMG channels)."""
        return int(self.emg.shape[2])

    @property
    def n_samples(self) -> int:
        """Samples per trial."""
        return int(self.emg.shape[3])

    @property
    def n_synergies(self) -> int:
        """Number of ground-truth synergies K."""
        return int(self.synergies.shape[1])

    @property
    def time(self) -> np.ndarray:
        """Time of each sample within a trial (s), shape (n_samples,)."""
        return np.arange(self.n_samples) / self.fs

    def __repr__(self) -> str:
        return (
            f"ReachingParticipant(index={self.index}, fs={self.fs:g}, "
            f"n_movements={self.n_movements}, n_repetitions={self.n_repetitions}, "
            f"n_muscles={self.n_muscles}, n_samples={self.n_samples}, "
            f"n_synergies={self.n_synergies}, nonlinearity={self.nonlinearity:g})"
        )


# ---------------------------------------------------------------------------
# Argument checks
# ---------------------------------------------------------------------------


def _check_parameters(params: dict[str, Any]) -> dict[str, Any]:
    """Validate the generator parameters (all but index/random_state)."""
    p = dict(params)
    p["n_repetitions"] = check_int(p["n_repetitions"], "n_repetitions", low=2)
    p["fs"] = check_real(p["fs"], "fs", low=0.0, include_low=False)
    p["noise_level"] = check_real(p["noise_level"], "noise_level", low=0.0)
    p["nonlinearity"] = check_real(p["nonlinearity"], "nonlinearity", low=0.0)
    for name in ("rest_duration", "onset_jitter", "baseline_noise_rms", "mains_amplitude",
                 "motion_artifact_amplitude", "amplitude_jitter", "weight_jitter",
                 "direction_jitter", "gain_jitter", "timing_jitter"):
        p[name] = check_real(p[name], name, low=0.0)
    if p["rest_duration"] * p["fs"] < 1:
        raise SynergyInputError(
            f"rest_duration={p['rest_duration']:g} s is shorter than one sample at "
            f"fs={p['fs']:g} Hz; the rest windows would be empty."
        )
    p["motion_artifact_probability"] = check_real(
        p["motion_artifact_probability"], "motion_artifact_probability", low=0.0, high=1.0
    )
    p["burst_width"] = check_real(p["burst_width"], "burst_width", low=0.0, include_low=False)
    if p["burst_width"] / 2 + p["timing_jitter"] > 0.25 + 1e-12:
        raise SynergyInputError(
            f"burst_width/2 + timing_jitter must be <= 0.25 so that both bursts stay "
            f"inside the movement, got {p['burst_width']:g}/2 + {p['timing_jitter']:g}."
        )
    try:
        low, high = (float(v) for v in p["duration_range"])
    except (TypeError, ValueError):
        raise SynergyInputError(
            f"duration_range must be a pair (min, max) of seconds, got {p['duration_range']!r}."
        ) from None
    if not (np.isfinite(low) and np.isfinite(high) and 0 < low <= high):
        raise SynergyInputError(
            f"duration_range must satisfy 0 < min <= max, got ({low:g}, {high:g})."
        )
    if low * p["fs"] < 10:
        raise SynergyInputError(
            f"movements of {low:g} s are shorter than 10 samples at fs={p['fs']:g} Hz."
        )
    p["duration_range"] = (low, high)
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
    p["mains_frequency"] = check_real(p["mains_frequency"], "mains_frequency", low=0.0,
                                       include_low=False)
    if p["mains_frequency"] >= p["fs"] / 2:
        raise SynergyInputError(
            f"mains_frequency={p['mains_frequency']:g} Hz must be below fs/2 = {p['fs'] / 2:g} Hz."
        )
    p["motion_artifact_cutoff"] = check_real(
        p["motion_artifact_cutoff"], "motion_artifact_cutoff", low=0.0, include_low=False
    )
    if p["motion_artifact_cutoff"] >= p["fs"] / 2:
        raise SynergyInputError(
            f"motion_artifact_cutoff must be below fs/2 = {p['fs'] / 2:g} Hz."
        )
    try:
        start = tuple(float(v) for v in p["start_position"])
    except (TypeError, ValueError):
        raise SynergyInputError(
            f"start_position must be 3 numbers (x, y, z in metres), got {p['start_position']!r}."
        ) from None
    if len(start) != 3 or not np.all(np.isfinite(start)):
        raise SynergyInputError(
            f"start_position must be 3 finite numbers (x, y, z in metres), got {start!r}."
        )
    if np.linalg.norm(start) < 0.05:
        raise SynergyInputError("start_position must not be at the shoulder (origin).")
    distances = np.linalg.norm(target_positions() - np.asarray(start), axis=1)
    if distances.min() < 0.02:
        raise SynergyInputError(
            f"start_position {start} coincides with target {int(distances.argmin())}: "
            "every movement needs a direction."
        )
    p["start_position"] = start
    return p


# ---------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------


def _raised_cosine(tau: np.ndarray, centre: np.ndarray, width: float) -> np.ndarray:
    """Raised-cosine bump of unit peak at ``centre`` and support ``width``."""
    phase = (tau - centre) / width
    inside = np.abs(phase) <= 0.5
    bump = np.zeros(phase.shape)
    bump[inside] = 0.5 * (1.0 + np.cos(2.0 * np.pi * phase[inside]))  # only on the support
    return bump


def _minimum_jerk(tau: np.ndarray) -> np.ndarray:
    tau = np.clip(tau, 0.0, 1.0)
    return tau**3 * (10.0 - 15.0 * tau + 6.0 * tau**2)


def _tonic_feature(kind: str | None, positions: np.ndarray) -> np.ndarray:
    """Tonic drive of a synergy from hand positions (..., 3) relative to the shoulder."""
    if kind is None:
        return np.zeros(positions.shape[:-1])
    distance = np.maximum(np.linalg.norm(positions, axis=-1), 1e-6)
    cos_theta = -positions[..., 2] / distance  # angle to the downward vertical
    if kind == "gravity":
        return np.sqrt(np.clip(1.0 - cos_theta**2, 0.0, 1.0))
    if kind == "elevation":
        return 0.5 * (1.0 - cos_theta)
    raise SynergyInputError(f"unknown tonic kind {kind!r}")  # pragma: no cover


def make_reaching_participant(
    index: int = 0,
    *,
    random_state=0,
    n_repetitions: int = 10,
    fs: float = 1000.0,
    noise_level: float = 1.0,
    nonlinearity: float = 0.0,
    rest_duration: float = 0.5,
    onset_jitter: float = 0.1,
    duration_range: tuple[float, float] = (0.6, 1.0),
    burst_width: float = 0.44,
    timing_jitter: float = 0.03,
    amplitude_jitter: float = 0.15,
    weight_jitter: float = 0.2,
    direction_jitter: float = 0.15,
    gain_jitter: float = 0.2,
    carrier_band: tuple[float, float] = (20.0, 450.0),
    baseline_noise_rms: float = 0.005,
    mains_frequency: float = 50.0,
    mains_amplitude: float = 0.01,
    motion_artifact_amplitude: float = 0.05,
    motion_artifact_probability: float = 0.1,
    motion_artifact_cutoff: float = 5.0,
    start_position: tuple[float, float, float] = START_POSITION,
) -> ReachingParticipant:
    r"""Generate one synthetic participant of the reaching data set.

    See the module docstring for the equations. All big arrays are float32; with
    the defaults a participant holds 45 x 10 trials of 2,100 samples (about
    145 MB) and takes about a second to generate.

    Parameters
    ----------
    index : int
        Participant number (>= 0); selects the per-participant random stream.
    random_state : int, numpy SeedSequence or None
        Root seed. The same (index, random_state) gives bit-identical data.
        None draws fresh entropy (not reproducible).
    n_repetitions : int
        Repetitions per target (>= 2; the protocol uses 10: 9 train, 1 test).
    fs : float
        Sampling frequency (Hz).
    noise_level : float
        Scale :math:`\lambda \ge 0` of all additive noise (baseline, mains, motion
        artefacts). 0 gives the noise-free carrier-modulated signal.
    nonlinearity : float
        Strength :math:`s \ge 0` of the saturating mixing; 0 is linear (EMG = W H).
    rest_duration : float
        Minimum rest before onset and after offset (s).
    onset_jitter : float
        Onset is ``rest_duration + U(0, onset_jitter)`` seconds.
    duration_range : (float, float)
        Movement duration drawn uniformly in this range (s) per trial.
    burst_width : float
        Support of each raised-cosine burst as a fraction of the movement duration.
    timing_jitter : float
        Burst centres (0.25 and 0.75 of the movement) move by ``U(-j, j)``
        (fraction of the duration); ``burst_width/2 + timing_jitter <= 0.25``.
    amplitude_jitter : float
        SD of the log of the trial-to-trial gain of each burst and tonic level.
    weight_jitter : float
        SD of the log of the per-participant factor on each non-zero synergy weight.
    direction_jitter : float
        SD of the Gaussian perturbation of each preferred direction (per component,
        before re-normalisation) per participant.
    gain_jitter : float
        SD of the log of the per-participant factor on each burst and tonic gain.
    carrier_band : (float, float)
        Pass band of the noise carrier (Hz), 4th-order Butterworth, zero phase.
    baseline_noise_rms : float
        RMS of the white baseline noise (mV) at ``noise_level=1``.
    mains_frequency : float
        Mains frequency (Hz); 50 (Europe) or 60.
    mains_amplitude : float
        Mains amplitude (mV) at ``noise_level=1``; 0 switches it off.
    motion_artifact_amplitude : float
        RMS of a motion artefact (mV) at ``noise_level=1``.
    motion_artifact_probability : float
        Probability that a given (trial, muscle) has a motion artefact.
    motion_artifact_cutoff : float
        Motion artefacts are white noise low-passed at this frequency (Hz).
    start_position : sequence of 3 floats
        Common start position of the hand (metres, shoulder-centred, x right,
        y forward, z up). The default, hand on the thigh, makes every reach go
        upward; a start in the middle of the workspace (e.g. ``(0.1, 0.25, -0.05)``)
        gives more varied directions.

    Returns
    -------
    ReachingParticipant

    Raises
    ------
    ValueError
        If an argument is out of range (negative noise, ``nonlinearity < 0``,
        ``n_repetitions < 2``, negative ``index``, ...).
    """
    index = check_int(index, "index", low=0)
    entropy = seed_entropy(random_state)
    params = _check_parameters(
        {name: value for name, value in locals().items() if name in _PARAMETER_NAMES}
    )
    return _generate(index, entropy, **params)


_PARAMETER_NAMES = tuple(
    name
    for name in inspect.signature(make_reaching_participant).parameters
    if name not in ("index", "random_state")
)


def generator_parameters() -> dict[str, Any]:
    """Default values of every generator parameter (for the book's choices table)."""
    signature = inspect.signature(make_reaching_participant)
    return {
        name: parameter.default
        for name, parameter in signature.parameters.items()
        if name not in ("index",)
    }


def _generate(
    index: int,
    entropy,
    *,
    n_repetitions: int,
    fs: float,
    noise_level: float,
    nonlinearity: float,
    rest_duration: float,
    onset_jitter: float,
    duration_range: tuple[float, float],
    burst_width: float,
    timing_jitter: float,
    amplitude_jitter: float,
    weight_jitter: float,
    direction_jitter: float,
    gain_jitter: float,
    carrier_band: tuple[float, float],
    baseline_noise_rms: float,
    mains_frequency: float,
    mains_amplitude: float,
    motion_artifact_amplitude: float,
    motion_artifact_probability: float,
    motion_artifact_cutoff: float,
    start_position: tuple[float, float, float],
) -> ReachingParticipant:
    seed = np.random.SeedSequence(entropy, spawn_key=(index,))
    structure_seed, trial_seed, carrier_seed, noise_seed = seed.spawn(4)
    structure_rng = np.random.default_rng(structure_seed)
    trial_rng = np.random.default_rng(trial_seed)
    carrier_rng = np.random.default_rng(carrier_seed)
    noise_rng = np.random.default_rng(noise_seed)

    templates = GROUND_TRUTH_SYNERGIES
    n_syn = len(templates)
    n_mus = len(MUSCLES)
    n_mov = len(PLANES) * N_TARGETS
    n_rep = n_repetitions

    # --- participant structure -------------------------------------------------
    W = ground_truth_synergies()
    W = W * np.exp(weight_jitter * structure_rng.standard_normal(W.shape))
    W /= np.linalg.norm(W, axis=0, keepdims=True)
    preferred = np.array([t.preferred_direction for t in templates], dtype=float)
    preferred /= np.linalg.norm(preferred, axis=1, keepdims=True)
    preferred = preferred + direction_jitter * structure_rng.standard_normal(preferred.shape)
    preferred /= np.linalg.norm(preferred, axis=1, keepdims=True)
    gains = np.array([[t.accel_gain, t.decel_gain, t.tonic_gain] for t in templates])
    gains = gains * np.exp(gain_jitter * structure_rng.standard_normal(gains.shape))
    channel_mains = structure_rng.uniform(0.5, 1.5, size=n_mus)

    # --- geometry ----------------------------------------------------------------
    start = np.asarray(start_position, dtype=float)
    targets = target_positions()
    directions = movement_directions(start)
    cosine = directions @ preferred.T  # (n_mov, K)

    # --- trial timing and amplitudes -----------------------------------------------
    min_duration, max_duration = duration_range
    n_samples = int(np.ceil((2 * rest_duration + onset_jitter + max_duration) * fs))
    onset_s = rest_duration + trial_rng.uniform(0.0, onset_jitter, size=(n_mov, n_rep))
    duration_s = trial_rng.uniform(min_duration, max_duration, size=(n_mov, n_rep))
    onset = np.round(onset_s * fs).astype(np.int64)
    duration = np.maximum(np.round(duration_s * fs).astype(np.int64), 1)
    offset = onset + duration
    centres = np.stack(
        [
            0.25 + trial_rng.uniform(-timing_jitter, timing_jitter, size=(n_mov, n_rep, n_syn)),
            0.75 + trial_rng.uniform(-timing_jitter, timing_jitter, size=(n_mov, n_rep, n_syn)),
        ],
        axis=-1,
    )
    trial_gain = np.exp(amplitude_jitter * trial_rng.standard_normal((n_mov, n_rep, n_syn, 3)))
    burst_amplitudes = np.stack(
        [
            gains[:, 0] * np.clip(cosine, 0.0, None)[:, None, :] * trial_gain[..., 0],
            gains[:, 1] * np.clip(-cosine, 0.0, None)[:, None, :] * trial_gain[..., 1],
        ],
        axis=-1,
    )  # (n_mov, n_rep, K, 2)
    tonic_scale = gains[:, 2] * trial_gain[..., 2]  # (n_mov, n_rep, K)

    # --- activations (float32 result, float64 arithmetic per plane) -------------
    samples = np.arange(n_samples)
    activations = np.empty((n_mov, n_rep, n_syn, n_samples), dtype=np.float32)
    tonic_activations = np.zeros_like(activations)
    for j in range(n_mov):
        tau = (samples[None, :] - onset[j][:, None]) / duration[j][:, None]  # (n_rep, n)
        positions = start + _minimum_jerk(tau)[..., None] * (targets[j] - start)
        H = np.zeros((n_rep, n_syn, n_samples))
        for k, template in enumerate(templates):
            H[:, k] += burst_amplitudes[j, :, k, 0, None] * _raised_cosine(
                tau, centres[j, :, k, 0, None], burst_width
            )
            H[:, k] += burst_amplitudes[j, :, k, 1, None] * _raised_cosine(
                tau, centres[j, :, k, 1, None], burst_width
            )
            if template.tonic is not None:
                tonic = tonic_scale[j, :, k, None] * _tonic_feature(template.tonic, positions)
                H[:, k] += tonic
                tonic_activations[j, :, k] = tonic
        activations[j] = H

    # --- mixing -------------------------------------------------------------------
    envelopes = np.empty((n_mov, n_rep, n_mus, n_samples), dtype=np.float32)
    for j in range(n_mov):
        envelopes[j] = W @ activations[j].astype(np.float64)
    peak_drive = envelopes.max(axis=(0, 1, 3)).astype(np.float64)
    mixing_gains = 1.0 / np.maximum(peak_drive, np.finfo(np.float32).tiny)
    if nonlinearity > 0:
        rate = (nonlinearity * mixing_gains)[:, None]
        for j in range(n_mov):
            drive = envelopes[j].astype(np.float64)
            envelopes[j] = -np.expm1(-rate * drive) / rate

    # --- raw EMG ------------------------------------------------------------------
    carrier_sos = signal.butter(4, carrier_band, btype="bandpass", fs=fs, output="sos")
    motion_sos = signal.butter(2, motion_artifact_cutoff, btype="lowpass", fs=fs, output="sos")
    time = samples / fs
    emg = np.empty_like(envelopes)
    for j in range(n_mov):
        carrier = signal.sosfiltfilt(
            carrier_sos, carrier_rng.standard_normal((n_rep, n_mus, n_samples)), axis=-1
        )
        carrier /= np.sqrt(np.mean(carrier**2, axis=-1, keepdims=True))
        x = envelopes[j].astype(np.float64) * carrier
        # noise draws happen whatever noise_level is, so that noise_level only scales
        baseline = noise_rng.standard_normal((n_rep, n_mus, n_samples))
        phase = noise_rng.uniform(0.0, 2.0 * np.pi, size=(n_rep, 1, 1))
        has_artifact = noise_rng.random((n_rep, n_mus)) < motion_artifact_probability
        artifact_noise = noise_rng.standard_normal((int(has_artifact.sum()), n_samples))
        if noise_level > 0:
            x += noise_level * baseline_noise_rms * baseline
            x += (noise_level * mains_amplitude * channel_mains[None, :, None]
                  * np.sin(2.0 * np.pi * mains_frequency * time + phase))
            if artifact_noise.shape[0] > 0 and motion_artifact_amplitude > 0:
                artifact = signal.sosfiltfilt(motion_sos, artifact_noise, axis=-1)
                artifact /= np.sqrt(np.mean(artifact**2, axis=-1, keepdims=True))
                reps, muscles = np.nonzero(has_artifact)
                for row, (r, m) in enumerate(zip(reps, muscles)):
                    window = np.zeros(n_samples)
                    window[onset[j, r]:offset[j, r]] = signal.windows.hann(
                        int(duration[j, r]), sym=True
                    )
                    x[r, m] += noise_level * motion_artifact_amplitude * window * artifact[row]
        emg[j] = x

    movement_plane = np.repeat(np.array(PLANES), N_TARGETS)
    movement_target = np.tile(np.arange(N_TARGETS), len(PLANES))
    arrays = {
        "movement_plane": movement_plane,
        "movement_target": movement_target,
        "emg": emg,
        "onset": onset,
        "offset": offset,
        "envelopes": envelopes,
        "synergies": W,
        "activations": activations,
        "movement_direction": directions,
        "target_position": targets,
        "start_position": start,
        "preferred_directions": preferred,
        "burst_amplitudes": burst_amplitudes,
        "mixing_gains": mixing_gains,
        "tonic_activations": tonic_activations,
    }
    for array in arrays.values():
        array.setflags(write=False)
    return ReachingParticipant(
        index=index,
        fs=float(fs),
        muscles=MUSCLES,
        planes=PLANES,
        synergy_names=tuple(t.name for t in templates),
        nonlinearity=float(nonlinearity),
        **arrays,
    )


# ---------------------------------------------------------------------------
# Lazy data set
# ---------------------------------------------------------------------------


class ParticipantIndexError(SynergyInputError, IndexError):
    """A participant index out of range (both a ValueError and an IndexError)."""


#: The synthetic generators by name; the first is the default (protocol section 2.1).
GENERATORS: tuple[str, ...] = ("realistic", "clean")


class _Generator(NamedTuple):
    """What the data set needs from a generator module."""

    make: Any  # make_*_participant(index, *, random_state, **parameters)
    defaults: dict[str, Any]  # every parameter's default, by name
    check: Any  # parameters -> validated parameters
    generate: Any  # (index, entropy, validated parameters) -> participant


def _generator(name: str) -> _Generator:
    """The generator called ``name`` (one of :data:`GENERATORS`)."""
    if name == "clean":
        defaults = {n: generator_parameters()[n] for n in _PARAMETER_NAMES}
        return _Generator(make_reaching_participant, defaults, _check_parameters,
                          lambda index, entropy, p: _generate(index, entropy, **p))
    if name == "realistic":
        from . import reaching  # it builds on this module's templates

        return _Generator(reaching.make_realistic_participant, reaching.generator_parameters(),
                          reaching._check_parameters, reaching._generate)
    raise SynergyInputError(
        f"Unknown generator {name!r}; the generators are {', '.join(map(repr, GENERATORS))}."
    )


def _unknown_parameters(generator: _Generator, name: str, parameters) -> None:
    unknown = sorted(set(parameters) - set(generator.defaults))
    if unknown:
        raise TypeError(
            f"Unknown generator parameter(s) {', '.join(unknown)} for the {name!r} generator; "
            f"accepted: {', '.join(generator.defaults)}."
        )


def generator_defaults(generator: str = "realistic") -> dict[str, Any]:
    """Every parameter of the generator called ``generator`` with its default, by name."""
    return dict(_generator(generator).defaults)


def generator_table(generator: str = "realistic") -> list[dict[str, Any]]:
    """One row per parameter of a generator: ``parameter``, ``default``, ``description``, ``source``.

    The realistic generator's rows are :func:`synergylib.reaching.parameter_table`
    (with units and the source of each default); the clean generator's come from
    its signature and docstring (every value a choice of ours).
    """
    if _generator(generator).make is make_reaching_participant:
        return [{"parameter": r["parameter"], "default": r["default"], "description": r["meaning"],
                 "source": "choice"}
                for r in parameter_table(make_reaching_participant, skip=("index", "random_state"))]
    from .reaching import parameter_table as realistic_table

    return [{k: r[k] for k in ("parameter", "default", "description", "source")}
            for r in realistic_table()]


def make_participant(index: int = 0, *, generator: str = "realistic", random_state=0,
                     **parameters: Any) -> ReachingParticipant:
    """Generate one participant with the generator called ``generator``.

    ``make_participant(i, generator="clean", **kw)`` is
    :func:`make_reaching_participant` ``(i, **kw)`` and ``generator="realistic"``
    (the default) is :func:`synergylib.reaching.make_realistic_participant`.

    Parameters
    ----------
    index : int
        Participant number (>= 0).
    generator : {"realistic", "clean"}
        Which generator (:data:`GENERATORS`).
    random_state : int, numpy SeedSequence or None
        Root seed; the same ``(index, random_state)`` gives bit-identical data.
    **parameters
        Parameters of that generator that differ from its defaults.

    Raises
    ------
    SynergyInputError
        For an unknown generator or a parameter out of range.
    TypeError
        For a parameter the generator does not have.

    Examples
    --------
    >>> p = make_participant(0, generator="clean", n_repetitions=2)  # doctest: +SKIP
    >>> p.synergies.shape  # doctest: +SKIP
    (16, 6)
    """
    chosen = _generator(generator)
    _unknown_parameters(chosen, generator, parameters)
    return chosen.make(index, random_state=random_state, **parameters)


class ReachingDataset:
    """Lazy collection of synthetic participants (one generated at a time).

    ``ds[i]`` is ``make_participant(i, generator=generator,
    random_state=random_state, **kwargs)``; nothing is cached, so only the
    participant in use is held in memory.

    Parameters
    ----------
    n_participants : int
        Number of participants (the paper has 15).
    random_state : int, numpy SeedSequence or None
        Root seed; None draws fresh entropy once, at construction, so that
        ``ds[i]`` is the same every time it is asked for.
    generator : {"realistic", "clean"}
        Which generator (:data:`GENERATORS`; the realistic one by default).
    **kwargs
        Any parameter of that generator (validated here).

    Examples
    --------
    >>> ds = ReachingDataset(n_participants=15, random_state=0)
    >>> len(ds), ds.generator
    (15, 'realistic')
    >>> p = ds[3]  # doctest: +SKIP
    """

    def __init__(self, n_participants: int = 15, random_state=0, *, generator: str = "realistic",
                 **kwargs: Any) -> None:
        self.n_participants = check_int(n_participants, "n_participants", low=1)
        self._generator = _generator(generator)
        _unknown_parameters(self._generator, generator, kwargs)
        self.generator = generator
        self.random_state = seed_entropy(random_state)
        params = dict(self._generator.defaults)
        params.update(kwargs)
        self.parameters: dict[str, Any] = self._generator.check(params)

    def __len__(self) -> int:
        return self.n_participants

    def __getitem__(self, index: int) -> ReachingParticipant:
        if isinstance(index, bool) or not isinstance(index, Integral):
            raise TypeError(f"participant index must be an integer, got {index!r}.")
        index = int(index)
        if index < 0:
            index += self.n_participants
        if not 0 <= index < self.n_participants:
            raise ParticipantIndexError(
                f"participant index out of range: the data set has "
                f"{self.n_participants} participants (0..{self.n_participants - 1})."
            )
        return self._generator.generate(index, self.random_state, self.parameters)

    def __iter__(self) -> Iterator[ReachingParticipant]:
        for index in range(self.n_participants):
            yield self[index]

    def __repr__(self) -> str:
        defaults = self._generator.defaults
        changed = {name: value for name, value in self.parameters.items() if value != defaults[name]}
        extra = "".join(f", {name}={value!r}" for name, value in changed.items())
        return (
            f"ReachingDataset(n_participants={self.n_participants}, "
            f"generator={self.generator!r}, random_state={self.random_state!r}{extra})"
        )
