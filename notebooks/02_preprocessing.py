# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Preprocessing: from raw EMG to synergy matrices
#
# A surface electrode records a noisy, zero-mean, kilohertz signal; a synergy extractor
# wants a small, non-negative matrix of muscle activation levels, 16 muscles by a few
# thousand samples. **What must happen between the two, and how much of the final matrix
# reflects the muscles rather than the choices we made on the way?**
#
# This chapter applies each step of `synergylib.preprocessing` to raw EMG from the
# synthetic reaching data set of {doc}`01_data`, shows what the step does, and, because
# the generator knows the true envelope behind every raw signal, measures how well the
# whole chain recovers it. The chain follows the research group's published defaults
# where they are known {cite}`scano2019comprehensive,brambilla2025tradeoff` and our own
# documented choices where they are not.
#
# ```{admonition} Learning objectives
# :class: tip
# After this chapter you can
# - say what band-pass filtering, notch filtering, rectification and low-pass filtering
#   each do to an EMG signal, in the time and in the frequency domain;
# - explain why the filters are applied forward and backward (zero phase);
# - compute a phasic envelope by removing a straight-line tonic component;
# - time-normalise movements of different durations and average repetitions;
# - build the 16 x 4500 training matrix and its held-out twin, and say how much of it is tonic;
# - list every parameter of the chain, its value and where it comes from.
# ```

# %% tags=["remove-cell"]
# Set-up for Binder and Colab (hidden): it does nothing where the book is built.
import importlib.util, os, subprocess, sys
from pathlib import Path

if not Path("_toc.yml").exists():  # Binder opens book/NN.ipynb in book/: go to the root
    for folder in Path.cwd().parents:
        if (folder / "_toc.yml").exists():
            os.chdir(folder)
            break
if importlib.util.find_spec("synergylib") is None:  # Colab: fetch and install the library
    if not Path("synergy-book").is_dir():
        subprocess.run(["git", "clone", "--depth", "1",
                        "https://github.com/synergy-book/synergy-book"], check=True)
    os.chdir("synergy-book")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-e", "."], check=True)
    sys.path.insert(0, os.getcwd())

# %% tags=["parameters"]
# Parameters: scripts/run_notebooks.py injects notebooks/parameters.yml here.
quick = False
cache_dir = "results"
random_state = 0  # root seed of the synthetic data set
participant = 0  # the participant shown step by step
plane, target = "u", 4  # the movement shown: centre target of the "up" plane
muscles_shown = ["DeltA", "DeltM", "DeltP", "Brach"]
# participants used to score the chain against the truth
n_recovery_participants = 15

# %%
from dataclasses import replace

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

from synergylib.chapters import preprocessing as chapter
from synergylib import preprocessing as pp
from synergylib.book import glue_values, prepare_chapter
from synergylib.datasets import PLANE_NAMES, PLANES, make_reaching_participant
from synergylib.plotting import plot_raw_emg

prepare_chapter({"font.size": 10, "axes.titlesize": 11})
from tqdm.auto import tqdm  # noqa: E402  (after prepare_chapter, which imports it quietly)

PLANE_LABELS = dict(zip(PLANES, PLANE_NAMES))

# %% [markdown]
# ## One movement of one participant
#
# We generate one participant (45 movements x 10 repetitions x 16 muscles at 1 kHz) and
# pick one movement, a reach to the centre target of the plane above the shoulder, and
# a few muscles. Among the ten repetitions of that movement we show the one whose shown
# muscles carry the strongest slow motion artefact (RMS below 10 Hz), so that the first
# filter has something to remove.

# %%
p = make_reaching_participant(participant, random_state=random_state)
fs = p.fs
is_shown = (p.movement_plane == plane) & (p.movement_target == target)
movement = int(np.flatnonzero(is_shown)[0])
shown = [p.muscles.index(m) for m in muscles_shown]
raw = p.emg[movement]  # (repetitions, muscles, samples), mV
# RMS below 10 Hz, shape (repetitions, shown muscles)
artefact = chapter.low_frequency_rms(raw[:, shown], fs)
rep, k = np.unravel_index(np.argmax(artefact), artefact.shape)
muscle = shown[k]  # the channel used for the filter figures
onset, offset = p.onset[movement, rep], p.offset[movement, rep]
t = p.time
print(
    f"{p.n_movements} movements x {p.n_repetitions} repetitions x "
    f"{p.n_muscles} muscles x {p.n_samples} samples at {fs:g} Hz\n"
    f"movement {movement} (plane {plane!r}, target {target}), repetition {rep}:"
    f"\nonset {onset / fs:.3f} s, offset {offset / fs:.3f} s; "
    f"filter figures use {p.muscles[muscle]}"
)

# %%
fig, axes = plot_raw_emg(t, raw[rep, shown], muscles_shown, units="mV",
                         events=[onset / fs, offset / fs],
                         event_label="onset / offset")
fig.suptitle(f"Raw EMG, participant {participant}, plane "
             f"{PLANE_LABELS[plane]}, target {target}, repetition {rep}")
plt.show()

# %% [markdown]
# The bursts of the movement ride on a small baseline, with a slow wander in at least one
# channel. Everything that follows turns these traces into a smooth, non-negative activation
# level per muscle.
#
# ## Every parameter of the chain
#
# All the parameters live in one frozen `PreprocessingConfig`; the table below is generated
# from the code, so it cannot drift from what runs. *Source* says where each default
# comes from: the paper, the same group's public code and earlier papers ("group"), or this
# project ("choice").

# %% mystnb={"markdown_format": "gfm"}
config = pp.PreprocessingConfig()
display(Markdown(config.to_markdown()))

# %% [markdown]
# ## Step 1: band-pass filter
#
# Surface EMG carries its power between roughly 20 and 450 Hz. Below that band sit motion
# artefacts and baseline drift, above it only noise. We keep the band with a Butterworth
# filter of order $n$ = `bandpass_order`, whose analogue prototype has the maximally flat
# magnitude
#
# $$
# |H(f)|^2 = \frac{1}{1 + \left(\dfrac{f^2 - f_l f_h}{f\,(f_h - f_l)}\right)^{2n}},
# $$
#
# with $f_l$ = `bandpass_low` and $f_h$ = `bandpass_high` (scipy maps it to a digital filter
# with the bilinear transform). The chain runs the filter forward and then backward
# (`scipy.signal.sosfiltfilt`): the phase shifts cancel, so bursts are not delayed, and the
# gain applied is $G(f) = |H(f)|^2$, i.e. -6 dB at the band edges.

# %%
bandpassed = pp.bandpass(raw, fs, config.bandpass_low, config.bandpass_high,
                         config.bandpass_order)
freqs, bp_gain = chapter.filter_response("bandpass", fs, config)

fig, axes = plt.subplots(2, 1, figsize=(8, 6.4), layout="constrained")
chapter.plot_before_after(t, raw[rep, muscle], bandpassed[rep, muscle],
                      labels=("raw", "band-passed"), onset_s=onset / fs,
                      offset_s=offset / fs, ax=axes[0],
                      title=f"{p.muscles[muscle]}: time domain")
chapter.plot_spectra({"raw": raw[:, muscle], "band-passed": bandpassed[:, muscle]},
                 fs, response=(freqs, bp_gain, "zero-phase gain"), nperseg=512,
                 title=f"{p.muscles[muscle]}: spectrum (10 repetitions)",
                 ax=axes[1])
plt.show()

# %% tags=["remove-cell"]
glue_values({  # RMS below 10 Hz, µV
    "bp_low_before": 1000 * float(chapter.low_frequency_rms(raw[rep, muscle], fs)),
    "bp_low_after": 1000 * float(chapter.low_frequency_rms(bandpassed[rep, muscle], fs)),
})

# %% [markdown]
# Top: the slow wander of the raw trace is gone after filtering; the bursts keep their
# shape and timing. The RMS of the signal below 10 Hz drops from
# {glue:text}`bp_low_before:.1f` µV to {glue:text}`bp_low_after:.2f` µV. Bottom: the
# spectrum outside the pass band falls by tens of decibels, following the dashed gain of
# the zero-phase filter. Note the narrow peak at 50 Hz, inside the pass band: the band-pass
# cannot remove it.
#
# ## Step 2: notch filter
#
# Mains interference is a sinusoid at $f_0$ = 50 Hz (60 Hz in the Americas). The
# second-order IIR notch of `scipy.signal.iirnotch` places a pair of zeros on the unit
# circle at $\omega_0 = 2\pi f_0/f_s$ and a pair of poles just inside it,
#
# $$
# H(z) = b_0\,\frac{1 - 2\cos\omega_0\,z^{-1} + z^{-2}}{1 - 2r\cos\omega_0\,z^{-1} + r^2 z^{-2}},
# $$
#
# with $r$ set by the quality factor $Q$ = `notch_quality` so that the -3 dB width is
# $f_0/Q$. Applied forward and backward, it removes the mains line and
# barely touches the rest of the spectrum.

# %%
notched = pp.notch(bandpassed, fs, config.notch_freq, config.notch_quality,
                   config.notch_harmonics)
freqs_n, notch_gain = chapter.filter_response("notch", fs, config)
fig, ax = chapter.plot_spectra(
    {"band-passed": bandpassed[:, muscle],
     "band-passed + notch": notched[:, muscle]},
    fs, response=(freqs_n, notch_gain, "notch gain"), fmin=30, fmax=70,
    nperseg=2048, title=f"{p.muscles[muscle]}: spectrum around "
    f"{config.notch_freq:g} Hz (10 repetitions)")
plt.show()

# %% [markdown]
# The 50 Hz line disappears and the spectrum a few hertz away is unchanged.
# {ref}`ex-preprocessing-2` asks how much this matters for the final matrix.
#
# ## Step 3: full-wave rectification
#
# EMG is a zero-mean carrier whose *amplitude* carries the information. Rectification
# makes the amplitude visible as a mean level:
#
# $$
# y(t) = |x(t)|.
# $$
#
# For the generator's model, raw EMG = envelope $e(t)$ times a unit-RMS Gaussian carrier,
# the rectified signal has mean $\mathbb{E}|e\,c| = \sqrt{2/\pi}\,e \approx 0.80\,e$.
#
# ## Step 4: envelope (low-pass filter)
#
# The envelope is the rectified signal smoothed by a zero-phase low-pass filter with impulse
# response $h$:
#
# $$
# e(t) = \max\bigl(0,\ (h \star h^{-} \star |x|)(t)\bigr).
# $$
#
# The group's code uses a 50-tap FIR filter at 1 kHz with a 20 Hz cutoff (window method,
# Hamming window: $h[k] \propto w[k]\,\operatorname{sinc}\bigl(2 f_c (k - \tfrac{N-1}{2})/f_s\bigr)$,
# normalised to unit gain at 0 Hz). A 4th-order Butterworth with the same cutoff,
# zero-phase gain $G(f) = 1/\bigl(1 + (f/f_c)^{2n}\bigr)$, is the common alternative.
# Below, both are overlaid with the generator's true envelope scaled by $\sqrt{2/\pi}$
# (what a perfect smoother of the rectified signal would return).

# %%
rectified = pp.rectify(notched)
cutoff = config.envelope_cutoff
env_fir = pp.envelope(notched, fs, cutoff, method="fir",
                      numtaps=config.envelope_numtaps)
env_butter = pp.envelope(notched, fs, cutoff, method="butter",
                         order=config.envelope_order)
truth = np.sqrt(2 / np.pi) * p.envelopes[movement]  # expected level, mV
# The chain's own function gives the step-by-step result (FIR is the default)
assert np.allclose(pp.emg_to_envelope(raw, fs, config), env_fir)

# %%
fig, axes = plt.subplots(2, 1, figsize=(8, 6.4), layout="constrained")
chapter.plot_envelopes(
    t, rectified[rep, muscle],
    {"FIR, 50 taps (group)": env_fir[rep, muscle],
     f"Butterworth, order {config.envelope_order}": env_butter[rep, muscle]},
    truth=truth[rep, muscle], truth_label=r"true envelope $\times\sqrt{2/\pi}$",
    onset_s=onset / fs, offset_s=offset / fs, ax=axes[0],
    title=f"{p.muscles[muscle]}: rectified EMG and envelopes")
axes[0].set_xlim(onset / fs - 0.3, offset / fs + 0.3)
axes[0].set_ylim(0, 1.6 * truth[rep, muscle].max())
chapter.plot_filter_gains(
    "envelope", fs,
    {"FIR, 50 taps": config,
     "Butterworth": replace(config, envelope_method="butter")},
    fmax=100, mark=cutoff, ax=axes[1],
    title=f"Envelope low-pass filters, cutoff {cutoff:g} Hz")
plt.show()

# %% tags=["remove-cell"]
glue_values({
    "corr_fir": float(np.corrcoef(env_fir[rep, muscle], truth[rep, muscle])[0, 1]),
    "corr_butter": float(np.corrcoef(env_butter[rep, muscle], truth[rep, muscle])[0, 1]),
})

# %% [markdown]
# Both envelopes follow the truth with no delay (they are zero-phase) and correlate with it
# at {glue:text}`corr_fir:.3f` (FIR) and {glue:text}`corr_butter:.3f` (Butterworth) on
# this trial. The bottom panel shows why they differ: with only 50 taps the FIR's transition
# band is wide, so it lets through more of the 20-40 Hz ripple than the Butterworth does,
# while its gain already falls below 1 well inside 0-20 Hz. {ref}`ex-preprocessing-1`
# explores the cutoff.
#
# ## Step 5: down-sampling to 100 Hz
#
# After the low-pass the envelope has essentially no power above a few tens of hertz, so
# 1000 samples per second are redundant. `scipy.signal.resample_poly` resamples by the
# rational factor $p/q = f_\text{new}/f_s = 1/10$: it up-samples by $p$, applies an
# anti-aliasing FIR filter $g$ and keeps every $q$-th sample,
#
# $$
# e_{100}[k] = (g \star e_{1000})[10\,k],
# $$
#
# so that sample $k$ sits at time $k / 100$ s and a 1 kHz index $i$ becomes $i/10$.

# %%
fs_out = config.fs_out
env_100 = pp.downsample(env_fir, fs, fs_out)  # (10, 16, n_samples / 10)
t_100 = np.arange(env_100.shape[-1]) / fs_out
onset_100 = p.onset[movement] * fs_out / fs  # sample indices at 100 Hz
offset_100 = p.offset[movement] * fs_out / fs

fig, ax = chapter.plot_downsampling(
    t, env_fir[rep, muscle], t_100, env_100[rep, muscle],
    labels=(f"{fs:g} Hz", f"{fs_out:g} Hz"),
    title=f"{p.muscles[muscle]}: envelope before and after down-sampling")
plt.show()

# %% tags=["remove-cell"]
# Largest gap between the 100 Hz samples and the 1 kHz envelope
same_instants = env_fir[..., :: int(fs / fs_out)][..., : env_100.shape[-1]]
gap = np.abs(env_100 - same_instants).max()
glue_values({"downsample_gap": float(100 * gap / env_fir.max())})

# %% [markdown]
# The dots lie on the line: over all ten repetitions and 16 muscles the largest difference
# between a 100 Hz sample and the 1 kHz envelope at the same instant is
# {glue:text}`downsample_gap:.2f` % of the largest envelope value.
#
# ## Step 6: tonic removal (phasic EMG)
#
# Part of a muscle's activity holds the arm against gravity; it changes slowly with
# posture. The group removes it to keep the *phasic* part, the activity that moves the
# arm. The tonic level is measured in two rest windows, from 400 to 200 ms before onset and
# from 200 to 400 ms after offset (`tonic_pre`, `tonic_post`), and joined by a straight
# line during the movement:
#
# $$
# \tau(t) = m_\text{pre} + (m_\text{post} - m_\text{pre})\,
# \operatorname{clip}\!\Bigl(\frac{t - t_\text{on}}{t_\text{off} - t_\text{on}}, 0, 1\Bigr),
# \qquad
# p(t) = \max\bigl(0,\ e(t) - \tau(t)\bigr),
# $$
#
# where $m_\text{pre}$ and $m_\text{post}$ are the mean envelope in the two windows.
# We show it on the anterior deltoid, which holds the arm up at the end of a reach above
# the shoulder.

# %%
tonic_muscle = p.muscles.index("DeltA")
windows = (config.tonic_pre, config.tonic_post)
tonic = pp.tonic_component(env_100, onset_100, offset_100, fs_out, *windows)
phasic_100 = pp.remove_tonic(env_100, onset_100, offset_100, fs_out, *windows)
assert np.allclose(phasic_100, np.maximum(env_100 - tonic, 0))

m = tonic_muscle
fig, ax = chapter.plot_tonic_removal(
    t_100, env_100[rep, m], tonic[rep, m], phasic_100[rep, m],
    onset_100[rep] / fs_out, offset_100[rep] / fs_out, *windows,
    title="DeltA: total envelope, tonic line and phasic envelope")
plt.show()

# %% [markdown]
# The tonic line rises from the rest level of the start posture (hand on the thigh) to the
# higher level needed to hold the hand above the shoulder. Everything below the line is
# discarded. The straight line is a model: the generator's true tonic activity follows the
# arm's elevation along the minimum-jerk path, an S-shaped curve, so a little of it
# survives in the phasic envelope in the middle of the movement.
#
# ## Step 7: time normalisation
#
# Repetitions last between 0.6 and 1 s. To compare and average them, each movement, from
# onset to offset, is resampled to $n$ = `n_points` = 100 samples at the equally spaced
# instants
#
# $$
# t_k = t_\text{on} + k\,\frac{t_\text{off} - t_\text{on}}{n - 1},\qquad k = 0,\dots,n-1,
# $$
#
# by linear interpolation between the two neighbouring samples $i = \lfloor t_k \rfloor$
# and $i + 1$: $\;\hat e(t_k) = e_i + (t_k - i)\,(e_{i+1} - e_i)$.

# %%
normalised = pp.time_normalise(phasic_100, onset_100, offset_100,
                               config.n_points)  # (10, 16, 100)
durations = (p.offset[movement] - p.onset[movement]) / fs
# four repetitions from the shortest to the longest
picked = np.argsort(durations)[[0, 3, 6, 9]]
fig, axes = chapter.plot_time_normalisation(
    phasic_100[picked, m], onset_100[picked], offset_100[picked], fs_out,
    normalised[picked, m])
fig.suptitle("DeltA, phasic envelope of four repetitions of different "
             "durations")
plt.show()

# %% [markdown]
# Before normalisation the burst of a slow repetition comes later than that of a fast one;
# afterwards the acceleration bursts line up near 25 % of the movement, where the generator
# centres them (the deceleration bursts, weak in this muscle for this reach, sit near 75 %). Steps 1 to 7 together are
# `pp.preprocess_trial`, which returns exactly this result:

# %%
trial = pp.preprocess_trial(raw[rep], fs, onset, offset, config)
assert np.allclose(trial, normalised[rep])
print("preprocess_trial == steps 1-7 for repetition", rep)

# %% [markdown]
# ## Step 8: averaging the training repetitions
#
# The group keeps one repetition of each movement apart (the 10th) to test how well the
# synergies generalise, and averages the other nine:
#
# $$
# \bar e_m(t_k) = \frac{1}{|R|}\sum_{r\in R} e_{m,r}(t_k),\qquad R = \{1,\dots,9\}.
# $$

# %%
n_rep = p.n_repetitions
test_rep = config.test_repetition % n_rep
train_reps = [r for r in range(n_rep) if r != test_rep]
train_mean = pp.average_repetitions(normalised, train_reps, axis=0)  # (16, 100)

fig, ax = chapter.plot_repetition_average(
    normalised[train_reps, m], normalised[test_rep, m], units="mV",
    title="DeltA: nine training repetitions, their mean, and the held-out "
    "10th")
plt.show()

# %% [markdown]
# The mean is smoother than any single repetition; the held-out repetition stays within the
# spread of the training ones, which is what a fair test set should do.
#
# ## Step 9: amplitude normalisation, and the whole participant
#
# `pp.preprocess_participant` runs steps 1-8 on all 45 movements, concatenates the
# movements plane by plane and target by target, and divides each muscle by its largest
# value in the training matrix,
#
# $$
# \tilde x_m(t) = \frac{x_m(t)}{s_m},\qquad s_m = \max_t x_m(t),
# $$
#
# so every muscle spans $[0, 1]$ regardless of electrode placement and skin impedance.
# The held-out matrix is divided by the *training* maxima (`amplitude_reference="train"`):
# nothing from the test repetition leaks into the normalisation, and its values may exceed 1.

# %%
matrices = pp.preprocess_participant(p, config)
scale = matrices.amplitude_scale  # s_m, mV
print("train:", matrices.train.shape, " test:", matrices.test.shape,
      " true activations:", matrices.true_activations_train.shape)

# The movement shown above, inside the matrix: our step-by-step result / s_m
is_shown = ((matrices.movement_plane == plane)
            & (matrices.movement_target == target))
block = matrices.train[:, matrices.movement_slice(int(np.argmax(is_shown)))]
assert np.allclose(block, train_mean / scale[:, None])

fig, ax = chapter.plot_muscle_bars(
    1000 * scale, matrices.muscles,
    ylabel="Maximum of the training\nenvelope (µV)",
    title="Amplitude scale $s_m$ of each muscle")
plt.show()

# %% tags=["remove-cell"]
glue_values({"test_max": float(matrices.test.max()), "scale_ratio": float(scale.max() / scale.min())})

# %% [markdown]
# Without normalisation the largest muscle's envelope would be {glue:text}`scale_ratio:.1f`
# times as large as the smallest one's, and would dominate any least-squares fit. After it, the training matrix lies in
# $[0, 1]$; the held-out matrix reaches {glue:text}`test_max:.2f`.
#
# ## The training matrix
#
# This is what the synergy extractors of {doc}`03_nmf` and {doc}`04_autoencoders` receive
# (transposed, as scikit-learn expects samples in rows): 16 muscles by 45 movements x 100
# samples = 4500 columns.

# %%
fig, ax = chapter.plot_synergy_matrix(
    matrices.train, matrices.muscles, matrices.movement_plane,
    matrices.n_points, plane_names=PLANE_LABELS,
    title=f"Training matrix of participant {participant} "
    "(phasic, mean of 9 repetitions, max-normalised)")
plt.show()

# %% [markdown]
# Each block of 100 columns is one reach; thick white lines separate the planes. Some
# muscles fire together in almost every reach (the two heads of the biceps, the
# brachioradialis and the pronator teres, for instance), and the pattern of amplitudes
# changes from plane to plane with the direction of the reach: the signature of a few
# shared synergies.
#
# ## Phasic or total envelope?
#
# Removing the tonic part is a choice of the group, not a law. We build the matrix both ways
# and measure how much of the total envelope is tonic. Taking both matrices before
# normalisation ($x$ total, $p$ phasic, tonic part $\tau = x - p$), we report two shares per
# muscle: of the **area**, $\sum_t \tau_m / \sum_t x_m$, and of the **variance**,
# $\operatorname{Cov}(\tau_m, x_m)/\operatorname{Var}(x_m)$, an additive split of the
# variance around the muscle's mean (the phasic part takes the rest). The variance share
# is what matters for a centred $R^2$.

# %%
matrices_total = pp.preprocess_participant(p, replace(config, phasic=False))
total_mv = matrices_total.train * matrices_total.amplitude_scale[:, None]
phasic_mv = matrices.train * matrices.amplitude_scale[:, None]
share = chapter.tonic_share(total_mv, phasic_mv)

fig, axes = chapter.plot_tonic_comparison(matrices_total, matrices, share,
                                      plane_names=PLANE_LABELS)
plt.show()

# %% tags=["remove-cell"]
glue_values(chapter.tonic_values(share, matrices.muscles))

# %% [markdown]
# Over all muscles, {glue:text}`tonic_area:.0f` % of the envelope area is tonic, but only
# {glue:text}`tonic_variance:.1f` % of the variance around each muscle's mean (at most
# {glue:text}`tonic_variance_max:.0f` %, in {glue:text}`tonic_variance_max_muscle`). Most of
# the tonic area is a nearly constant offset: the noise floor and the posture-holding
# activity of muscles such as the deltoids and trapezius. A constant offset has no variance,
# so it barely changes a centred $R^2$, but it is part of what an uncentred fit (the VAF,
# NMF's objective) must reproduce, and the visible difference between the top two images
# is mostly in the muscles that hold the arm up. Later chapters report both versions.
#
# ## How well does the chain recover the true envelope?
#
# The generator mixes its ground-truth activations linearly, $e = W h$, and every step after
# the envelope (down-sampling aside) is linear in time, so the true envelope matrix, time
# normalised and averaged exactly like the data, is
# `p.synergies @ matrices.true_activations_train`. We compare it, muscle by muscle, with the
# *total* envelope matrix (the truth has a tonic part too) using Pearson's correlation,
# which ignores the factor $\sqrt{2/\pi}$ and the amplitude normalisation.

# %% tags=["remove-stderr"]
# (the progress bar is shown when the notebook runs, not in the book)
recovery = {"train": [], "test": []}
for i in tqdm(range(n_recovery_participants), desc="participants"):
    p_i = p if i == participant else make_reaching_participant(
        i, random_state=random_state)
    r = chapter.envelope_recovery(p_i, replace(config, phasic=False))
    recovery["train"].append(r["train"])  # mean of the 9 training repetitions
    recovery["test"].append(r["test"])  # the single held-out repetition
    del p_i
# correlations, shape (participants, muscles)
r_train, r_test = np.array(recovery["train"]), np.array(recovery["test"])

# %%
floor = np.floor(20 * min(r_train.min(), r_test.min())) / 20  # axis starts here
fig, ax = chapter.plot_muscle_bars(
    [np.median(r_test, axis=0), np.median(r_train, axis=0)], matrices.muscles,
    labels=["one repetition (held-out matrix)",
            "mean of 9 repetitions (training matrix)"],
    low=[r_test.min(axis=0), r_train.min(axis=0)],
    high=[r_test.max(axis=0), r_train.max(axis=0)],
    ylabel="Correlation with\nthe true envelope", reference=1.0,
    ylim=(floor, 1.002),
    title=f"Recovery of the true envelope ({n_recovery_participants} "
    f"participant(s): median and min-max; y axis from {floor:g})")
fig.set_size_inches(8.5, 3.8)
plt.show()

# %% tags=["remove-cell"]
glue_values(chapter.recovery_values(r_train, r_test, matrices.muscles))

# %% [markdown]
# Over {glue:text}`n_recovery` participant(s) and 16 muscles, the training matrix correlates
# with the truth at a median of {glue:text}`recovery_train_median:.3f` (lowest
# {glue:text}`recovery_train_min:.3f`). A single repetition is noisier, median
# {glue:text}`recovery_test_median:.3f` and lowest {glue:text}`recovery_test_min:.3f`
# (in {glue:text}`recovery_test_min_muscle`): the random carrier makes any one envelope
# wobble around the truth, and averaging nine repetitions removes most of that wobble. On
# these data the chain does what it should, so whatever the extractors of the next chapters
# get wrong cannot be blamed on preprocessing. Real recordings are less kind (crosstalk,
# electrode shifts, non-Gaussian noise), which is one reason why {doc}`01_data` also uses
# real walking EMG.
#
# ## Exercises

# %% [markdown]
# ```{exercise} the envelope cutoff
# :label: ex-preprocessing-1
# Smoothing more removes more carrier noise but blurs the bursts. Compute Butterworth
# envelopes of the band-passed, notched signal of the trial above for cutoffs of 2, 5, 10,
# 20, 40 and 80 Hz and plot, against the cutoff, their correlation with the true envelope.
# Then replace the zero-phase filter by the same filter applied once, forward only
# (`scipy.signal.sosfilt`), and measure its delay with respect to the truth from the peak of
# the cross-correlation. Which cutoff is best, and what would a causal (real-time) filter
# cost?
# ```

# %% [markdown]
# ```{solution-start} ex-preprocessing-1
# :class: dropdown
# ```

# %%
from scipy import signal

cutoffs = [2, 5, 10, 20, 40, 80]
x, true_env = notched[rep, muscle], truth[rep, muscle]
corr, lag_ms = [], []
for fc in cutoffs:
    zero_phase = pp.envelope(x, fs, fc, method="butter", order=4)
    sos = signal.butter(4, fc, fs=fs, output="sos")
    causal = signal.sosfilt(sos, np.abs(x))
    corr.append(np.corrcoef(zero_phase, true_env)[0, 1])
    xc = signal.correlate(causal - causal.mean(), true_env - true_env.mean(), mode="full")
    lag_ms.append(1000 * (np.argmax(xc) - (len(x) - 1)) / fs)
fig, ax = plt.subplots(1, 2, figsize=(10, 3), layout="constrained")
ax[0].semilogx(cutoffs, corr, "o-"); ax[0].set(xlabel="Cutoff (Hz)", ylabel="Correlation")
ax[1].semilogx(cutoffs, lag_ms, "o-"); ax[1].set(xlabel="Cutoff (Hz)", ylabel="Causal delay (ms)")
plt.show()

# %% [markdown]
# The correlation peaks at an intermediate cutoff: too low and the bursts are smeared,
# too high and the carrier's ripple stays. On these synthetic bursts, smooth raised
# cosines, the best cutoff is lower than the group's 20 Hz; real bursts have sharper
# edges. The zero-phase filter has no delay at any
# cutoff; the causal one lags by tens of milliseconds at 20 Hz and more at lower
# cutoffs (its group delay grows as the cutoff falls), which is why offline analyses
# filter forward and backward.
#
# ```{solution-end}
# ```

# %% [markdown]
# ```{exercise} turn off the notch
# :label: ex-preprocessing-2
# Build the training matrix with `replace(config, notch=False)` and compare it with
# `matrices.train`: the largest absolute difference and the correlation per muscle. Then
# repeat with a participant generated with ten times the mains amplitude
# (`make_reaching_participant(0, mains_amplitude=0.1)`). When does the notch matter?
# ```

# %% [markdown]
# ```{solution-start} ex-preprocessing-2
# :class: dropdown
# ```

# %%
for mains in (0.01, 0.1):
    q = make_reaching_participant(participant, random_state=random_state,
                                  mains_amplitude=mains)
    with_notch = pp.preprocess_participant(q, config).train
    without = pp.preprocess_participant(q, replace(config, notch=False)).train
    r = chapter.rowwise_correlation(with_notch, without)
    print(f"mains {mains} mV: max |diff| = {np.abs(with_notch - without).max():.3f}, "
          f"min correlation = {r.min():.4f}")

# %% [markdown]
# A 50 Hz sinusoid, once rectified, adds a constant (its mean absolute value) plus
# harmonics at 100 Hz and above that the 20 Hz low-pass removes. With the default mains
# amplitude this offset is small next to the EMG and the tonic removal subtracts most of it,
# so the matrices barely differ; at ten times the amplitude the offset dominates the quiet
# muscles and, after max-normalisation, flattens their rows.
#
# ```{solution-end}
# ```

# %% [markdown]
# ```{exercise} what phasic vs total does to the matrix
# :label: ex-preprocessing-3
# Using `total_mv` and `phasic_mv` from above, compute `chapter.tonic_share` separately for
# each plane (the plane of each column is `np.repeat(matrices.movement_plane, 100)`) and
# compare the planes. Then compute the centred $R^2$ of the phasic
# matrix as an approximation of the total one (`synergylib.metrics.r2_score(total.T, phasic.T)`,
# both max-normalised): how different are the two inputs that NMF would see?
# ```

# %% [markdown]
# ```{solution-start} ex-preprocessing-3
# :class: dropdown
# ```

# %%
from synergylib.metrics import r2_score

columns = np.repeat(matrices.movement_plane, matrices.n_points)
for code in PLANES:
    s = chapter.tonic_share(total_mv[:, columns == code], phasic_mv[:, columns == code])
    print(f"{PLANE_LABELS[code]:>15}: area {100 * s['area_pooled']:.0f} %, "
          f"variance {100 * s['variance_pooled']:.1f} %")
print("R2(total, phasic) =", r2_score(matrices_total.train.T, matrices.train.T))

# %% [markdown]
# The area share hardly depends on the plane: most of it is the rest level of the start
# posture, the same in every reach, plus the noise floor. The variance share does depend
# on it, because the slope of the tonic line is set by how much more (or less)
# anti-gravity activity the end posture needs than the start posture. The $R^2$ well below 1 shows that NMF fits different matrices in the two
# cases, so the number of synergies and their weights can differ: this is why the choice is
# a parameter and the book reports both.
#
# ```{solution-end}
# ```
