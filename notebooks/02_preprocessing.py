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
# synthetic reaching data set of {doc}`01_data` (the book's default, realistic
# generator), shows what the step does, and, because the generator knows the true
# envelope behind every raw signal and its tonic part, measures how well the whole
# chain recovers them. The chain follows the research group's published defaults
# where they are known {cite}`scano2019comprehensive,brambilla2025tradeoff` and our own
# documented choices where they are not.
#
# ```{admonition} Learning objectives
# :class: tip
# After this chapter you can
# - say what band-pass filtering, notch filtering, rectification and low-pass filtering
#   each do to an EMG signal, in the time and in the frequency domain;
# - explain why the filters are applied forward and backward (zero phase);
# - compute a phasic envelope by removing a straight-line tonic component, and say
#   what the straight line misses when the arm holds a posture between reach and return;
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
from synergylib.datasets import (MUSCLES, PLANE_NAMES, PLANES, generator_defaults,
                                 ground_truth_synergies, make_participant)
from synergylib.plotting import plot_raw_emg

prepare_chapter({"font.size": 10, "axes.titlesize": 11})
from tqdm.auto import tqdm  # noqa: E402  (after prepare_chapter, which imports it quietly)

PLANE_LABELS = dict(zip(PLANES, PLANE_NAMES))

# %% [markdown]
# ## One movement of one participant
#
# We generate one participant with the book's default generator, the realistic one
# (45 movements x 10 repetitions x 16 muscles at 1 kHz), and pick one movement and a few
# muscles. The movement starts from the start posture of the plane above the shoulder,
# with the hand a little above it, reaches up to the plane's centre target, holds it
# there and returns to the start posture. Among the ten repetitions of that movement we
# show the one whose shown muscles carry the strongest slow motion artefact (RMS below
# 10 Hz), so that the first filter has something to remove.

# %%
p = make_participant(participant, random_state=random_state)  # the realistic generator
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
hold_on, return_on = p.hold_onset[movement, rep], p.return_onset[movement, rep]
t = p.time
print(
    f"{p.n_movements} movements x {p.n_repetitions} repetitions x "
    f"{p.n_muscles} muscles x {p.n_samples} samples at {fs:g} Hz\n"
    f"movement {movement} (plane {plane!r}, target {target}), repetition {rep}:\n"
    f"onset {onset / fs:.3f} s, hold from {hold_on / fs:.3f} s, return from "
    f"{return_on / fs:.3f} s, offset {offset / fs:.3f} s; EMG leads the onset by "
    f"{1000 * p.emg_lead[movement, rep]:.0f} ms; filter figures use {p.muscles[muscle]}"
)

# %% mystnb={"figure": {"caption": "Raw EMG of the muscles shown in the repetition shown of one movement, one panel per muscle: voltage (mV) against time (s). Dashed blue lines: the kinematic onset, the start of the hold, the start of the return and the offset."}}
fig, axes = plot_raw_emg(t, raw[rep, shown], muscles_shown, units="mV",
                         events=[onset / fs, hold_on / fs, return_on / fs, offset / fs],
                         event_label="onset, hold, return, offset")
fig.suptitle(f"Raw EMG, participant {participant}, plane "
             f"{PLANE_LABELS[plane]}, target {target}, repetition {rep}")
plt.show()

# %% [markdown]
# The dashed lines mark the kinematic onset, the start of the hold, the start of the
# return and the offset. The bursts of the reach and of the return ride on a baseline
# that is not silent: muscles that hold the arm up are tonically active even at rest.
# The repetition shown was chosen for its slow motion artefact, which step 1 measures. Everything that follows turns these
# traces into a smooth, non-negative activation level per muscle.
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

# %% mystnb={"figure": {"caption": "Band-pass filtering of one channel. Top: raw (grey) and band-passed (blue) EMG (mV) against time (s) in the repetition shown, dotted lines at movement onset and offset. Bottom: their power spectral densities (dB re 1 mV²/Hz) against frequency (Hz), averaged over the repetitions of the movement, and the zero-phase gain of the filter (vermilion, dashed, right axis in dB)."}}
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
# the zero-phase filter. Mains interference at 50 Hz lies inside the pass band, so the
# band-pass cannot remove it; in this channel it is hard to see, for a reason the next
# step shows.
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

# %% mystnb={"figure": {"caption": "Power spectral density (dB re 1 mV²/Hz) of one channel against frequency (Hz) around the mains frequency, averaged over the repetitions of the movement: band-passed (grey) and band-passed, then notch-filtered (blue). Vermilion dashed line, right axis: the zero-phase gain of the notch (dB)."}}
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

# %% tags=["remove-cell"]
mains_db = chapter.line_prominence(bandpassed, fs, config.notch_freq)  # per muscle, dB
rest_seconds = 0.3  # every trial rests at least this long before any activity starts
assert rest_seconds * fs < (p.onset - p.emg_lead * fs).min()
rest_rms = np.sqrt(np.mean(bandpassed[:, muscle, : int(rest_seconds * fs)] ** 2))
glue_values({
    "rest_seconds": rest_seconds,
    "rest_rms_uv": 1000 * float(rest_rms),
    "mains_rms_uv": 1000 * p.parameters["mains_amplitude"] / np.sqrt(2),
    "mains_db_shown": float(mains_db[muscle]),
    "mains_db_max": float(mains_db.max()),
    "mains_db_max_muscle": MUSCLES[int(np.argmax(mains_db))],
    "notch_width": config.notch_freq / config.notch_quality,
})

# %% [markdown]
# In this channel the mains line rises only {glue:text}`mains_db_shown:.1f` dB above the
# EMG around it. The EMG covers it: even at rest, in the first
# {glue:text}`rest_seconds:.1f` s of the trials, the band-passed channel has an RMS of
# {glue:text}`rest_rms_uv:.0f` µV, against {glue:text}`mains_rms_uv:.0f` µV for a mains
# sinusoid of the generator's default amplitude (times a channel-specific factor), and
# the EMG grows during the movement. In the quieter channels of the same movement the
# line stands out more, up to {glue:text}`mains_db_max:.1f` dB (in
# {glue:text}`mains_db_max_muscle`). The notch removes the line, together with the EMG in
# a band about $f_0/Q$ = {glue:text}`notch_width:.1f` Hz wide, and leaves the spectrum a
# few hertz away unchanged. {ref}`ex-preprocessing-2` asks how much this matters for the
# final matrix.
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

# %% mystnb={"figure": {"caption": "Envelope extraction on one channel. Top: the rectified EMG (light grey) of the repetition shown, its FIR (blue) and Butterworth (orange) envelopes and the true envelope times $\\sqrt{2/\\pi}$ (black, dashed), amplitude (mV) against time (s) around the movement, whose onset and offset are dotted; the y axis cuts the tallest rectified peaks. Bottom: the zero-phase gain of the two low-pass filters against frequency (Hz), with the cutoff dotted."}}
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

# %% mystnb={"figure": {"caption": "One channel's envelope (mV) against time (s) at 1000 Hz (grey line) and after down-sampling to 100 Hz (blue dots)."}}
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
#
# The generator knows the true tonic part: `p.tonic_activations` holds the tonic part of
# each synergy's activation, $\mathbf h^\text{tonic}(t)$, and in the envelope's units
# muscle $m$'s tonic part is $g_m\,(W\mathbf h^\text{tonic}(t))_m$, with the trial's
# muscle gain $g_m$ (`chapter.true_tonic_envelopes`; times $\sqrt{2/\pi}$ to compare with
# the rectified EMG, as in step 4). We show the line and the truth on the upper trapezius,
# which with the middle deltoid raises the arm sideways and overhead (the abduction /
# elevation synergy of {doc}`01_data`, whose tonic part grows with the arm's elevation).

# %% mystnb={"figure": {"caption": "Tonic removal on the upper trapezius in the repetition shown: envelope (mV) against time (s); bottom, the same with the y axis zoomed on the tonic level. Grey: the total envelope; vermilion dashed: the straight tonic line; black dotted: the true tonic part times $\\sqrt{2/\\pi}$; blue: the phasic envelope; light grey bands: the two rest windows; dotted lines: onset and offset; dash-dotted lines: the start of the hold and of the return."}}
tonic_muscle = p.muscles.index("TrapU")
windows = (config.tonic_pre, config.tonic_post)
tonic = pp.tonic_component(env_100, onset_100, offset_100, fs_out, *windows)
phasic_100 = pp.remove_tonic(env_100, onset_100, offset_100, fs_out, *windows)
assert np.allclose(phasic_100, np.maximum(env_100 - tonic, 0))
# the true tonic part of this movement's envelopes, as expected in rectified EMG, at 100 Hz
true_tonic_all = chapter.true_tonic_envelopes(p)  # (movements, repetitions, muscles, samples)
true_tonic_100 = pp.downsample(np.sqrt(2 / np.pi) * true_tonic_all[movement], fs, fs_out)

m = tonic_muscle
fig, axes = plt.subplots(2, 1, figsize=(8, 6), sharex=True, layout="constrained")
for ax, zoom in zip(axes, (False, True)):
    chapter.plot_tonic_removal(
        t_100, env_100[rep, m], tonic[rep, m], phasic_100[rep, m],
        onset_100[rep] / fs_out, offset_100[rep] / fs_out, *windows,
        true_tonic=true_tonic_100[rep, m],
        true_label=r"true tonic part $\times\sqrt{2/\pi}$", ax=ax)
    if zoom:  # the tonic levels, bursts cut off
        ax.set_ylim(0, 2 * max(true_tonic_100[rep, m].max(), tonic[rep, m].max()))
        ax.get_legend().remove()
    for event, name in ((hold_on, "hold"), (return_on, "return")):
        ax.axvline(event / fs, color="0.6", linestyle="-.", linewidth=0.9)
        ax.text(event / fs, ax.get_ylim()[1], f" {name}", va="top", fontsize=8)
axes[0].set_xlabel("")
axes[0].set_title(f"{MUSCLES[m]}: total envelope, tonic line, true tonic part and "
                  "phasic envelope")
axes[1].set_title("The same, y axis zoomed on the tonic level")
plt.show()

# %% tags=["remove-cell"]
glue_values({
    **chapter.tonic_trial_values(
        tonic[rep, m], true_tonic_100[rep, m], fs_out, onset_100[rep],
        hold_on * fs_out / fs, return_on * fs_out / fs, offset_100[rep]),
    "lead_max_ms": 1000 * p.parameters["emg_lead"][1],
    "pre_window_end_ms": 1000 * config.tonic_pre[0],
})

# %% [markdown]
# A realistic trial ends where it began: the hand returns to the start posture, so both
# rest windows measure the same posture and the line is almost flat, from
# {glue:text}`line_start_uv:.0f` µV at onset to {glue:text}`line_end_uv:.0f` µV at
# offset. The true tonic part follows the posture instead: it changes during the reach,
# stays at the target posture's level during the hold ({glue:text}`true_hold_uv:.0f` µV
# on average, against {glue:text}`true_rest_uv:.0f` µV at rest) and comes back during
# the return. The straight line cannot follow it: in the middle of the hold the truth
# lies {glue:text}`hold_gap_uv:.0f` µV {glue:text}`hold_gap_side` the line. Tonic
# activity above the line stays in the phasic envelope as a plateau during the hold, and
# where the target posture needs less tonic activity than the start posture the line
# cuts into the phasic envelope instead. The straight line was designed for movements
# between two postures; for a reach, a hold and a return it removes the rest posture's
# level and nothing else. {ref}`phasic-or-total` measures what it leaves over the whole
# matrix. One thing the line does get right: the rest window before onset ends
# {glue:text}`pre_window_end_ms:.0f` ms before it, and the EMG leads the movement by at
# most {glue:text}`lead_max_ms:.0f` ms, so no burst reaches the window.
#
# ## Step 7: time normalisation
#
# The movements (reach, hold and return) of this participant last between
# {glue:text}`duration_min:.2f` and {glue:text}`duration_max:.2f` s. To compare and
# average them, each movement, from onset to offset, is resampled to $n$ = `n_points` =
# 100 samples at the equally spaced instants
#
# $$
# t_k = t_\text{on} + k\,\frac{t_\text{off} - t_\text{on}}{n - 1},\qquad k = 0,\dots,n-1,
# $$
#
# by linear interpolation between the two neighbouring samples $i = \lfloor t_k \rfloor$
# and $i + 1$: $\;\hat e(t_k) = e_i + (t_k - i)\,(e_{i+1} - e_i)$.

# %% mystnb={"figure": {"caption": "The anterior deltoid's phasic envelope (mV) in four repetitions of the movement, from the shortest to the longest, one colour each (legend: the movement's duration). Left: against time from onset (s), bold from onset to offset, with each offset dotted; right: after time normalisation, against the % of the movement from onset to offset."}}
normalised = pp.time_normalise(phasic_100, onset_100, offset_100,
                               config.n_points)  # (10, 16, 100)
durations = (p.offset[movement] - p.onset[movement]) / fs
# four repetitions from the shortest to the longest
picked = np.argsort(durations)[[0, 3, 6, 9]]
m = p.muscles.index("DeltA")  # steps 7 and 8 show the anterior deltoid
fig, axes = chapter.plot_time_normalisation(
    phasic_100[picked, m], onset_100[picked], offset_100[picked], fs_out,
    normalised[picked, m])
fig.suptitle(f"{MUSCLES[m]}, phasic envelope of four repetitions of different "
             "durations")
plt.show()

# %% tags=["remove-cell"]
all_durations = (p.offset - p.onset) / fs  # every trial of the participant
glue_values({
    "duration_min": float(all_durations.min()),
    "duration_max": float(all_durations.max()),
    **chapter.burst_timing_values(chapter.burst_times(p, movement)),
})

# %% [markdown]
# The generator centres a segment's acceleration burst a quarter into the segment and its
# braking burst three quarters into it, for the reach and for the return, all of them
# $\Delta$ early (the EMG lead), so the first burst begins before the kinematic onset and
# the cut at onset removes its start. The anterior deltoid lifts the arm, so in this upward
# reach it bursts early in the reach and again late in the return, where it brakes the
# arm's descent. Before normalisation, aligned at onset, the bursts of a slow repetition
# come later than those of a fast one, the return's most: across the ten repetitions the
# generator's centre of the first burst spreads over {glue:text}`first_spread_ms:.0f` ms
# ({glue:text}`first_spread_before:.0f` % of the mean movement), that of the last burst
# over {glue:text}`last_spread_ms:.0f` ms ({glue:text}`last_spread_before:.0f` %). After
# normalisation the first burst sits near {glue:text}`first_median:.0f` % of the movement
# (spread {glue:text}`first_spread_after:.0f` %) and the last near
# {glue:text}`last_median:.0f` % (spread {glue:text}`last_spread_after:.0f` %).
# Normalisation does not align everything:
# the reach, the hold and the return vary independently from trial to trial, and one
# linear stretch of the whole movement cannot line up the bursts of all three segments at
# once. Steps 1 to 7 together are `pp.preprocess_trial`, which returns exactly this
# result:

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

# %% mystnb={"figure": {"caption": "The anterior deltoid's time-normalised phasic envelope (mV) against the % of the movement from onset to offset: the nine training repetitions (grey), their mean (blue) and the held-out repetition (vermilion, dashed)."}}
n_rep = p.n_repetitions
test_rep = config.test_repetition % n_rep
train_reps = [r for r in range(n_rep) if r != test_rep]
train_mean = pp.average_repetitions(normalised, train_reps, axis=0)  # (16, 100)

fig, ax = chapter.plot_repetition_average(
    normalised[train_reps, m], normalised[test_rep, m], units="mV",
    title=f"{MUSCLES[m]}: nine training repetitions, their mean, and the held-out "
    "10th")
plt.show()

# %% tags=["remove-cell"]
lowest, highest = normalised[train_reps, m].min(axis=0), normalised[train_reps, m].max(axis=0)
held_out = normalised[test_rep, m]
glue_values({"heldout_within": 100 * np.mean((held_out >= lowest) & (held_out <= highest))})

# %% [markdown]
# The mean is smoother than any single repetition. The held-out repetition looks like one
# more training repetition: {glue:text}`heldout_within:.0f` % of its samples lie between
# the lowest and the highest of the nine training ones, which is what a fair test set
# should do.
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

# %% mystnb={"figure": {"caption": "The amplitude scale $s_m$ of each muscle, the divisor of the amplitude normalisation: the maximum of the muscle's training envelope (µV)."}}
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

# %% mystnb={"figure": {"caption": "The training matrix of the participant shown as an image: one row per muscle, one column per sample (movements concatenated, 100 samples each, grouped by plane, named at the top); colour: the phasic envelope averaged over the training repetitions and divided by the muscle's maximum. Thick white lines separate the planes, thin ones the movements."}}
fig, ax = chapter.plot_synergy_matrix(
    matrices.train, matrices.muscles, matrices.movement_plane,
    matrices.n_points, plane_names=PLANE_LABELS,
    title=f"Training matrix of participant {participant} "
    "(phasic, mean of 9 repetitions, max-normalised)")
plt.show()

# %% tags=["remove-cell"]
glue_values(chapter.correlated_pairs(matrices.train, matrices.muscles,
                                     ground_truth_synergies()))

# %% [markdown]
# Each block of 100 columns is one movement (reach, hold and return); thick white lines
# separate the planes. Muscles that work together have similar rows: the
# {glue:text}`pairs_n` most correlated pairs of rows are {glue:text}`pairs_text`, against
# a median of {glue:text}`pairs_median:.2f` over all pairs of muscles, and
# {glue:text}`pairs_shared` of these {glue:text}`pairs_n` pairs share a ground-truth
# synergy template. The pattern of amplitudes changes from plane to plane with the
# direction of the reach: the signature of a few shared synergies. Not everything in the
# image is synergies, though: the muscle-specific activity and the crosstalk of
# {doc}`01_data` are in it too.
#
# (phasic-or-total)=
# ## Phasic or total envelope?
#
# Removing the tonic part is a choice of the group, not a law. We build the matrix both ways
# and measure how much of the total envelope is tonic. Taking both matrices before
# normalisation ($x$ total, $p$ phasic, tonic part $\tau = x - p$), we report two shares per
# muscle: of the **area**, $\sum_t \tau_m / \sum_t x_m$, and of the **variance**,
# $\operatorname{Cov}(\tau_m, x_m)/\operatorname{Var}(x_m)$, an additive split of the
# variance around the muscle's mean (the phasic part takes the rest). The variance share
# is what matters for a centred $R^2$.

# %% mystnb={"figure": {"caption": "The participant's training matrix built from the total envelope (top) and from the phasic one (middle), drawn as in the previous figure, and the tonic share of each muscle in % (bottom): of the envelope's area (left) and of its variance around the muscle's mean (right, dotted line at zero)."}}
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
# {glue:text}`tonic_variance_max:.0f` %, in {glue:text}`tonic_variance_max_muscle`). What
# the line removes is nearly constant within a movement (step 6: the start and the end
# posture are the same); it changes from movement to movement with the trial's gains and,
# from plane to plane, with the start posture ({ref}`ex-preprocessing-3`). A constant
# offset has no variance, so it barely changes a
# centred $R^2$, but it is part of what an uncentred fit (the VAF, NMF's objective) must
# reproduce. Later chapters report both versions.
#
# Unlike the area share, the variance share can come out below zero, because it is a
# covariance: a muscle whose rest level is higher in the movements where its total
# envelope is lower (a start posture that loads it, in a plane whose reaches need it
# little) has a tonic part that varies against the total. For a muscle whose tonic part
# barely varies, the share is close to zero, and the noise of the rest windows'
# estimates decides its sign: a small negative share, like a small positive one, is zero
# within that noise and says that the tonic part accounts for none of the muscle's
# variance. Here the lowest share is {glue:text}`tonic_variance_min:.2f` %, in
# {glue:text}`tonic_variance_min_muscle`.
#
# ### What the straight line misses
#
# Is what the line removes the true tonic part? The generator's tonic envelopes
# (`chapter.true_tonic_envelopes`, times $\sqrt{2/\pi}$), cut, time-normalised and
# averaged exactly like the data (`chapter.truth_matrices`), give the true tonic matrix
# $T$, and `chapter.tonic_comparison` splits the difference $T - \tau$ into what the line
# left in the phasic matrix, $\sum (T - \tau)_+$, and what it removed beyond the truth,
# $\sum (\tau - T)_+$.

# %% mystnb={"figure": {"caption": "For each muscle of the participant shown, the true tonic activity that the straight tonic line leaves in the phasic training matrix, in % of that muscle's phasic area."}}
true_tonic_mv, _ = chapter.truth_matrices(p, np.sqrt(2 / np.pi) * true_tonic_all, config)
comparison = chapter.tonic_comparison(total_mv, phasic_mv, true_tonic_mv)
del true_tonic_all
fig, ax = chapter.plot_muscle_bars(
    100 * comparison["left_in_muscle"], matrices.muscles,
    ylabel="True tonic left in the\nphasic matrix (% of its area)",
    title=f"What the straight tonic line misses, participant {participant}")
plt.show()

# %% tags=["remove-cell"]
glue_values(chapter.tonic_comparison_values(comparison, matrices.muscles))

# %% [markdown]
# In area the line is close to the truth: it removes {glue:text}`tonic_removed_area:.0f` %
# of the total matrix, and the true tonic part is {glue:text}`tonic_true_area:.0f` % of it.
# In time it is not. The true tonic activity above the line makes up
# {glue:text}`tonic_left_in:.1f` % of the phasic matrix's area, and up to
# {glue:text}`tonic_left_in_max:.0f` % in {glue:text}`tonic_left_in_max_muscle`: the
# muscles whose tonic part changes most between the start posture and the target keep a
# plateau during the hold, as in step 6. Conversely, {glue:text}`tonic_removed_beyond:.0f` %
# of what the line removed is not true tonic activity (the noise floor, crosstalk, and
# phasic activity under the line where the target needs less tonic activity than the start
# posture). This matters when the extracted activations are scored against the truth: the
# phasic truth of the later chapters (`matrices.true_activations_train`) is the activations
# less their true tonic part, while the phasic matrix the models see still holds the
# posture-holding activity the line missed.
#
# ## How well does the chain recover the true envelope?
#
# The generator returns each muscle's noise-free envelope, `p.envelopes`: its synergy
# drive times the trial's muscle gain, plus its muscle-specific activity. Cutting, time
# normalisation and averaging are linear, so the true envelope matrix is `p.envelopes`
# put through these three steps exactly like the data (`chapter.truth_matrices`). We
# compare it, muscle by muscle, with the *total* envelope matrix, and the true phasic
# envelope (the envelope less its true tonic part) with the phasic matrix, using
# Pearson's correlation, which ignores the factor $\sqrt{2/\pi}$ and the amplitude
# normalisation. The truth here is the muscles' envelopes, not $W H$: the synergies
# explain only part of them ({doc}`01_data`), and finding that part is the extractors'
# job, not the preprocessing's.

# %% tags=["remove-stderr"]
# (the progress bar is shown when the notebook runs, not in the book)
recovery = {key: [] for key in ("train", "test", "train_electrode", "phasic_train",
                                "phasic_test")}
for i in tqdm(range(n_recovery_participants), desc="participants"):
    p_i = p if i == participant else make_participant(i, random_state=random_state)
    total = chapter.envelope_recovery(p_i, replace(config, phasic=False), electrode=True)
    phasic = chapter.envelope_recovery(p_i, config)
    recovery["train"].append(total["train"])  # mean of the 9 training repetitions
    recovery["test"].append(total["test"])  # the single held-out repetition
    recovery["train_electrode"].append(total["train_electrode"])  # crosstalk included
    recovery["phasic_train"].append(phasic["train"])
    recovery["phasic_test"].append(phasic["test"])
    del p_i
# correlations, shape (participants, muscles)
r_train, r_test = np.array(recovery["train"]), np.array(recovery["test"])
r_electrode = np.array(recovery["train_electrode"])
r_phasic_train = np.array(recovery["phasic_train"])
r_phasic_test = np.array(recovery["phasic_test"])

# %% mystnb={"figure": {"caption": "Correlation of each muscle's preprocessed envelope with its true envelope, median over participants (bars) with the lowest and the highest (whiskers): the total envelope of the held-out repetition (blue) and of the mean of the training repetitions (orange), the latter also against the envelope the electrode records with crosstalk (green), and the phasic training matrix against the true phasic envelope (purple). Dotted line: a correlation of 1; the y axis does not start at zero."}}
series = [r_test, r_train, r_electrode, r_phasic_train]
floor = np.floor(20 * min(r.min() for r in series)) / 20  # axis starts here
fig, ax = chapter.plot_muscle_bars(
    [np.median(r, axis=0) for r in series], matrices.muscles,
    labels=["total, one repetition (held-out matrix)",
            "total, mean of 9 repetitions (training matrix)",
            "the same, against the electrode's envelope\n(crosstalk included)",
            "phasic, mean of 9 repetitions (training matrix),\nagainst the true phasic envelope"],
    low=[r.min(axis=0) for r in series], high=[r.max(axis=0) for r in series],
    ylabel="Correlation with\nthe true envelope", reference=1.0,
    ylim=(floor, 1.002),
    title=f"Recovery of the true envelope ({n_recovery_participants} "
    f"participant(s): median and min-max; y axis from {floor:g})")
ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=2)
fig.set_size_inches(9, 4.8)
plt.show()

# %% tags=["remove-cell"]
glue_values({
    **chapter.recovery_values(r_train, r_test, matrices.muscles),
    **chapter.crosstalk_values(r_train, r_electrode, matrices.muscles),
    "recovery_phasic_median": float(np.median(r_phasic_train)),
    "recovery_phasic_min": float(r_phasic_train.min()),
    "recovery_phasic_test_median": float(np.median(r_phasic_test)),
    "crosstalk_share": p.parameters["crosstalk"],
})

# %% [markdown]
# Over {glue:text}`n_recovery` participant(s) and 16 muscles, the total training matrix
# correlates with the true envelope at a median of {glue:text}`recovery_train_median:.3f`
# (lowest {glue:text}`recovery_train_min:.3f`). A single repetition is noisier, median
# {glue:text}`recovery_test_median:.3f` and lowest {glue:text}`recovery_test_min:.3f`
# (in {glue:text}`recovery_test_min_muscle`): the random carrier makes any one envelope
# wobble around the truth, and averaging nine repetitions removes most of that wobble.
#
# Part of the gap is what no preprocessing can undo: crosstalk. Each electrode also
# records its anatomical neighbours (about {glue:text}`crosstalk_share:.2f` of their
# signal, {doc}`01_data`), so a muscle next to louder ones carries part of their bursts.
# The muscle recovered worst, {glue:text}`xtalk_muscle` (median
# {glue:text}`xtalk_muscle_r:.3f`), is compared with its own envelope; against the
# envelope its electrode actually records, $\sqrt{\sum_n C_{mn}^2 e_n^2}$
# (`chapter.electrode_envelopes`),
# its correlation is {glue:text}`xtalk_electrode_r:.3f`, and no muscle's median is below
# {glue:text}`xtalk_electrode_min:.3f`: what remains is the chain's own error. The phasic
# matrix follows the true phasic envelope almost as closely (median
# {glue:text}`recovery_phasic_median:.3f`, lowest {glue:text}`recovery_phasic_min:.3f`;
# held-out median {glue:text}`recovery_phasic_test_median:.3f`): the tonic activity the
# straight line misses is small next to the bursts.
#
# So the filters, the envelope and the normalisations do what they should, and what the
# extractors of the next chapters get wrong cannot be blamed on them; crosstalk and the
# straight tonic line are in the data the extractors see, as they are in recorded EMG.
# Real recordings add what this generator lacks (electrode shifts, changes of the signal
# with fatigue, non-Gaussian noise), which is one reason why {doc}`06_walking` uses real
# walking EMG.
#
# ## Summary
#
# - Nine steps, all set by one `PreprocessingConfig`, turn a participant's raw EMG into a
#   16 x 4500 training matrix and its held-out twin: band-pass and notch filtering,
#   rectification, a zero-phase low-pass envelope, down-sampling, tonic removal, time
#   normalisation, averaging of the training repetitions and amplitude normalisation.
# - Scored against the generator's truth, the chain does what it should: the total
#   training matrix correlates with the true envelope at a median of
#   {glue:text}`recovery_train_median:.3f` over {glue:text}`n_recovery` participant(s),
#   and part of the gap is crosstalk, which no preprocessing can undo.
# - The straight tonic line removes the rest posture's level
#   ({glue:text}`tonic_removed_area:.0f` % of the total matrix's area), but not the
#   posture-holding activity of the hold: true tonic activity still makes up
#   {glue:text}`tonic_left_in:.1f` % of the phasic matrix's area.
# - Removing the tonic part takes away {glue:text}`tonic_area:.0f` % of the envelope's
#   area but only {glue:text}`tonic_variance:.1f` % of its variance around each muscle's
#   mean, so the choice matters more to an uncentred fit than to a centred $R^2$; the
#   book reports both versions.
# - {doc}`03_nmf` factorises the phasic training matrix, tests its synergies on the
#   held-out one, and compares them with the phasic truth, the true activations less
#   their tonic part.
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

# %% mystnb={"figure": {"caption": "Left: correlation of the zero-phase Butterworth envelope with the true envelope against the low-pass cutoff (Hz, log scale), in the trial shown in the chapter; right: the delay (ms) of the same filter applied forward only, against the cutoff."}}
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
ax[0].semilogx(cutoffs, corr, "o-")
ax[0].set(xlabel="Cutoff (Hz)", ylabel="Correlation with the true envelope")
ax[1].semilogx(cutoffs, lag_ms, "o-")
ax[1].set(xlabel="Cutoff (Hz)", ylabel="Delay of the causal filter (ms)")
for a in ax:
    a.set_xticks(cutoffs, [str(c) for c in cutoffs])
    a.minorticks_off()
plt.show()
best = cutoffs[int(np.argmax(corr))]
group = cutoffs.index(config.envelope_cutoff)  # the group's cutoff, 20 Hz
print(f"best cutoff {best:d} Hz (correlation {max(corr):.3f}, against {corr[group]:.3f} at "
      f"{cutoffs[group]:d} Hz)")
print(f"causal delay {lag_ms[group]:.0f} ms at {cutoffs[group]:d} Hz, {lag_ms[0]:.0f} ms at "
      f"{cutoffs[0]:d} Hz")


# %% tags=["remove-cell"]
glue_values({"ex_preprocessing_1_best": best, "ex_preprocessing_1_best_r": max(corr),
             "ex_preprocessing_1_group": cutoffs[group], "ex_preprocessing_1_r_group": corr[group],
             "ex_preprocessing_1_lag_group": lag_ms[group], "ex_preprocessing_1_lag_low": lag_ms[0],
             "ex_preprocessing_1_low": cutoffs[0]})

# %% [markdown]
# It prints the best cutoff and the causal filter's delay at the group's cutoff and at the
# lowest one. The correlation peaks at an intermediate cutoff: too low and the bursts are
# smeared, too high and the carrier's ripple stays. On this trial the best cutoff is
# {glue:text}`ex_preprocessing_1_best:d` Hz (correlation
# {glue:text}`ex_preprocessing_1_best_r:.3f`, against
# {glue:text}`ex_preprocessing_1_r_group:.3f` at the group's
# {glue:text}`ex_preprocessing_1_group:d` Hz): the generator's bursts are smooth raised
# cosines, and real bursts have sharper edges, which a lower cutoff would blur. The
# zero-phase filter has no delay at any cutoff; the causal one lags by
# {glue:text}`ex_preprocessing_1_lag_group:.0f` ms at {glue:text}`ex_preprocessing_1_group:d`
# Hz and by {glue:text}`ex_preprocessing_1_lag_low:.0f` ms at
# {glue:text}`ex_preprocessing_1_low:d` Hz (its group delay grows as the cutoff falls),
# which is why offline analyses filter forward and backward, and what a real-time
# (causal) envelope must accept.
#
# ```{solution-end}
# ```

# %% [markdown]
# ```{exercise} turn off the notch
# :label: ex-preprocessing-2
# Build the training matrix with `replace(config, notch=False)` and compare it with
# `matrices.train`: the largest absolute difference and the correlation per muscle. Then
# repeat with a participant generated with ten times the default mains amplitude
# (`make_participant(0, mains_amplitude=0.1)`; the default is
# `generator_defaults()["mains_amplitude"]`, in mV). When does the notch matter?
# ```

# %% [markdown]
# ```{solution-start} ex-preprocessing-2
# :class: dropdown
# ```

# %%
default_mains = generator_defaults()["mains_amplitude"]  # mV
values = {"ex_preprocessing_2_mains": default_mains}
for case, mains in (("default", default_mains), ("tenfold", 10 * default_mains)):
    if case == "default":  # the chapter's participant p and its matrices
        q, with_notch = p, matrices
    else:
        q = make_participant(participant, random_state=random_state, mains_amplitude=mains)
        with_notch = pp.preprocess_participant(q, config)
    without = pp.preprocess_participant(q, replace(config, notch=False)).train
    r = chapter.rowwise_correlation(with_notch.train, without)
    worst = int(np.argmin(r))
    # 1 = the muscle with the smallest largest-envelope (amplitude scale) of the 16
    rank = int(np.argsort(np.argsort(with_notch.amplitude_scale))[worst]) + 1
    diff = np.abs(with_notch.train - without).max()
    print(f"mains {mains:g} mV: max |diff| = {diff:.3f}, min correlation = {r.min():.4f} "
          f"(in {MUSCLES[worst]}, whose largest envelope ranks {rank:d} of 16 from the smallest)")
    values |= {f"ex_preprocessing_2_diff_{case}": diff, f"ex_preprocessing_2_r_{case}": r.min(),
               f"ex_preprocessing_2_muscle_{case}": MUSCLES[worst],
               f"ex_preprocessing_2_rank_{case}": rank}
del q, with_notch, without


# %% tags=["remove-cell"]
glue_values(values)

# %% [markdown]
# It prints, for each mains amplitude, the largest difference between the matrices built
# with and without the notch (in units of each muscle's maximum) and the lowest
# correlation between their rows. A 50 Hz sinusoid, once rectified, adds a nearly constant
# level plus harmonics at 100 Hz and above that the 20 Hz low-pass removes. With the
# default amplitude ({glue:text}`ex_preprocessing_2_mains:g` mV) that level is small next
# to the EMG and the tonic removal subtracts most of it: the largest difference is
# {glue:text}`ex_preprocessing_2_diff_default:.3f` and every row correlates at
# {glue:text}`ex_preprocessing_2_r_default:.4f` or more. At ten times the amplitude the
# largest difference is {glue:text}`ex_preprocessing_2_diff_tenfold:.3f` and the lowest
# correlation {glue:text}`ex_preprocessing_2_r_tenfold:.4f`, in
# {glue:text}`ex_preprocessing_2_muscle_tenfold` (whose largest envelope ranks
# {glue:text}`ex_preprocessing_2_rank_tenfold:d` of 16, counting from the smallest). The
# notch matters where the interference is not small next to a channel's EMG: in quiet
# muscles, and in channels that pick up more mains than others.
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
plane_shares = {}
for code in PLANES:
    plane_shares[code] = chapter.tonic_share(total_mv[:, columns == code],
                                             phasic_mv[:, columns == code])
    height = p.start_position[PLANES.index(code)][2]  # z of the plane's start posture, m
    print(f"{PLANE_LABELS[code]:>15}: area {100 * plane_shares[code]['area_pooled']:.0f} %, "
          f"variance {100 * plane_shares[code]['variance_pooled']:.1f} %; "
          f"start posture at z = {height:+.2f} m (shoulder at 0)")
areas = {code: v["area_pooled"] for code, v in plane_shares.items()}
variances = [100 * v["variance_pooled"] for v in plane_shares.values()]
lowest_area = PLANE_LABELS[min(areas, key=areas.get)]
lowest_start = PLANE_LABELS[PLANES[int(np.argmin(p.start_position[:, 2]))]]
variance_all = 100 * chapter.tonic_share(total_mv, phasic_mv)["variance_pooled"]
r2_total_phasic = r2_score(matrices_total.train.T, matrices.train.T)
print(f"lowest area share: {lowest_area}; lowest start posture: {lowest_start}")
print(f"variance share within a plane: {min(variances):.1f} to {max(variances):.1f} %; "
      f"over the whole matrix: {variance_all:.1f} %")
print(f"R2(total, phasic) = {r2_total_phasic:.3f}")


# %% tags=["remove-cell"]
glue_values({"ex_preprocessing_3_lowest_area": lowest_area,
             "ex_preprocessing_3_lowest_start": lowest_start,
             "ex_preprocessing_3_variance_min": min(variances),
             "ex_preprocessing_3_variance_max": max(variances),
             "ex_preprocessing_3_variance_all": variance_all,
             "ex_preprocessing_3_r2": r2_total_phasic})

# %% [markdown]
# It prints, per plane, the tonic share of the area and of the variance and the height of
# the plane's start posture, then a summary and the $R^2$. What the line removes is the
# rest level of the start posture, and each plane has its own: the area share is lowest in
# the {glue:text}`ex_preprocessing_3_lowest_area` plane, and the hand starts lowest in the
# {glue:text}`ex_preprocessing_3_lowest_start` plane, where the arm hangs most and needs
# the least anti-gravity activity. Within a plane the variance share is small, from
# {glue:text}`ex_preprocessing_3_variance_min:.1f` to
# {glue:text}`ex_preprocessing_3_variance_max:.1f` %, because the line is nearly flat
# within each movement; over the whole matrix it is
# {glue:text}`ex_preprocessing_3_variance_all:.1f` %, since the rest level also changes
# from plane to plane. The $R^2$ of {glue:text}`ex_preprocessing_3_r2:.3f` shows that NMF
# fits different matrices in the two cases, so the number of synergies and their weights
# can differ: this is why the choice is a parameter and the book reports both.
#
# ```{solution-end}
# ```
