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
# # The NMF baseline
#
# Before asking what an autoencoder does with EMG, we need the yardstick it is
# compared with. In the synergy literature that yardstick is non-negative matrix
# factorisation (NMF) {cite}`lee1999learning,tresch2006matrix,bizzi2013neural`, run
# with the research group's defaults {cite}`scano2019comprehensive,brambilla2025tradeoff`.
# So the question of this chapter is: **how many synergies does the standard
# method find in our reaching data, how well do they reconstruct the EMG, and are
# they the synergies that generated it?** The synthetic data of {doc}`01_data`
# let us answer the last part, because we know the truth.
#
# ```{admonition} Learning objectives
# :class: tip
# After this chapter you can
# - write the NMF model $X \approx WH$ and the Lee-Seung multiplicative updates that fit it;
# - say why NMF is restarted from several random initialisations and which restart is kept;
# - compute the centred $R^2$ and the uncentred VAF of a reconstruction, and explain
#   why VAF is always the larger of the two on non-negative EMG;
# - choose the number of synergies with an $R^2$ threshold, and say how the choice
#   moves with the threshold;
# - match extracted synergies to reference synergies one to one and read the result;
# - explain why the $R^2$ rule's $N$ need not be the true number of synergies, and what
#   the shape of the $R^2(N)$ curve says about it.
# ```
#
# ## The method
#
# After preprocessing ({doc}`02_preprocessing`) each participant is one matrix
# $X \in \mathbb{R}_{\ge 0}^{M \times T}$: $M = 16$ muscles by $T$ samples (45
# movements of 100 time-normalised samples each, averaged over the training
# repetitions). NMF writes it as
#
# $$
# X \approx W H, \qquad W \in \mathbb{R}_{\ge 0}^{M \times N}, \quad H \in \mathbb{R}_{\ge 0}^{N \times T},
# $$
#
# where column $w_i$ of $W$ is a **synergy** (how much each muscle takes part) and
# row $h_i$ of $H$ its **activation** over time. $W$ and $H$ minimise the squared
# error $\lVert X - WH \rVert_F^2$ under the non-negativity constraints. The
# multiplicative updates of {cite:t}`lee2001algorithms` alternate
#
# $$
# H \leftarrow H \odot \frac{W^\top X}{W^\top W H}, \qquad
# W \leftarrow W \odot \frac{X H^\top}{W H H^\top},
# $$
#
# with $\odot$ and the fraction taken element by element. Each update keeps the
# entries non-negative (it only multiplies them by non-negative numbers) and never
# increases the error. The problem is not convex, so the result depends on the
# random starting point: the fit is **restarted** from several random
# initialisations and the restart with the best reconstruction is kept. Finally each
# synergy is scaled to unit norm and its scale moved into the activation,
# $w_i \leftarrow w_i / \lVert w_i \rVert$, $h_i \leftarrow \lVert w_i \rVert h_i$,
# which leaves $WH$ unchanged and makes synergies comparable.
#
# Reconstruction quality is the **centred** coefficient of determination
#
# $$
# R^2 = 1 - \frac{\mathrm{SSE}}{\mathrm{SST}}, \qquad
# \mathrm{SSE} = \sum_{m,t} (x_{mt} - \hat x_{mt})^2, \qquad
# \mathrm{SST} = \sum_{m,t} (x_{mt} - \bar x_m)^2 ,
# $$
#
# with $\bar x_m$ the mean of muscle $m$. Much of the synergy literature reports
# instead the uncentred **variance accounted for**,
#
# $$
# \mathrm{VAF} = 1 - \frac{\mathrm{SSE}}{\sum_{m,t} x_{mt}^2}.
# $$
#
# Both share the same error, so $1 - R^2 = (1 - \mathrm{VAF})\,\sum x^2 / \mathrm{SST}$,
# and since $\sum x^2 = \mathrm{SST} + T \sum_m \bar x_m^2 \ge \mathrm{SST}$, VAF is
# always at least $R^2$: it credits the model with each muscle's mean level, which
# any constant would reproduce. The two must never be mixed. The number of synergies
# is the smallest one that reconstructs well enough,
#
# $$
# N^\ast = \min\{N : R^2(N) \ge \tau\}, \qquad \tau = 0.80
# $$
#
# (the group's default; 0.85 and 0.90 serve as sensitivity checks). The factorisation
# itself is scikit-learn's `NMF` {cite}`pedregosa2011scikit` wrapped in
# `synergylib.nmf.SynergyNMF`, which adds the restarts, the normalisation and the
# $R^2$ bookkeeping.

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
n_jobs = 1  # participants computed in parallel (joblib) the first time
participant_shown = None  # None: a typical participant (comparison.typical_participant)
muscles_shown = ["DeltA", "DeltM", "TriLong", "Brach"]  # reconstruction figure
plane_shown = "f"  # the plane (9 movements) of the reconstruction figure
sensitivity_thresholds = [0.80, 0.85, 0.90]  # R2 thresholds compared

# %%
import dataclasses

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from synergylib.book import glue_values, prepare_chapter
from synergylib.chapters import nmf as chapter
from synergylib.comparison import typical_participant
from synergylib.datasets import GROUND_TRUTH_SYNERGIES, N_TARGETS, PLANE_NAMES, PLANES
from synergylib.metrics import match_synergies
from synergylib.plotting import (
    plot_activations,
    plot_pairing_matrix,
    plot_r2_curve,
    plot_reconstruction,
    plot_synergies,
)
from synergylib.study import StudyConfig, choices_table, quick_config, run_study

prepare_chapter({"figure.dpi": 110, "font.size": 10})
pd.set_option("display.precision", 3)


# %% [markdown]
# ## Running the study
#
# This is the first chapter that needs the whole pipeline, so it runs it:
# `run_study` generates each participant, preprocesses the data, runs NMF for every
# $N$ up to $N_{max}$ and then trains the autoencoders of {doc}`04_autoencoders` with
# the chosen $N$ and, in a second run, with the true $N$. Each participant's result is
# cached on disk under a hash of every parameter, so the later chapters load it instead
# of recomputing it. The NMF part of the configuration:

# %%
config = quick_config() if quick else StudyConfig()
nmf_choices = choices_table(config).query("stage == 'study'").drop(columns="stage")
display(nmf_choices.style.hide(axis="index"))

# %%
results = run_study(config, cache_dir=cache_dir, n_jobs=n_jobs)
# the participant shown in detail: by default the first whose N is the most common
participant_shown = typical_participant(results) if participant_shown is None else participant_shown
n_participants = len(results)
n_values = results[0].n_values
curves = np.stack([r.nmf_r2_curve for r in results])  # (participants, N values)
chosen = np.array([r.n_synergies for r in results])
true_names = [t.name for t in GROUND_TRUTH_SYNERGIES]
n_true = results[0].true_synergies.shape[1]
assert n_true == len(true_names)
summary = chapter.nmf_summary(results)  # one row per participant: R², VAF, closeness to the truth

# %% tags=["remove-cell"]
glue_values({
    "n_participants": n_participants,
    "n_max": int(n_values.max()),
    "n_restarts": config.nmf_restarts,
    "threshold": config.r2_threshold,
    "n_true": n_true,
})

# %% [markdown]
# ## How many synergies?
#
# For each of the {glue:text}`n_participants` participants NMF was fitted with
# $N = 1, \dots,$ {glue:text}`n_max` synergies, {glue:text}`n_restarts` restarts each.
# The left panel shows the mean curve across participants (band: ± one standard
# deviation), the right one every participant's curve with the $N$ the
# $R^2 \ge$ {glue:text}`threshold:.2f` rule picked for it.

# %% mystnb={"figure": {"caption": "NMF reconstruction $R^2$ (centred) against the number of synergies $N$. Left: the mean over participants, with a band of ± one standard deviation and a large open circle at the $N$ the rule picks most often; right: one line per participant, with a large open circle at the $N$ the rule picks for it. Dashed line: the threshold of the $R^2 \\ge 0.80$ rule."}}
mean_curve, sd_curve = curves.mean(axis=0), curves.std(axis=0, ddof=1 if n_participants > 1 else 0)
typical_n = int(np.bincount(chosen).argmax())  # the most frequent choice
fig, (ax_mean, ax_all) = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True, layout="constrained")
plot_r2_curve(n_values, mean_curve, config.r2_threshold, chosen=typical_n, sd=sd_curve, ax=ax_mean,
              title=f"Mean ± sd over {n_participants} participants")
plot_r2_curve(n_values, curves, config.r2_threshold, chosen=list(chosen), ax=ax_all,
              title="Every participant (one line each)")
plt.show()

# %% [markdown]
# A single synergy explains $R^2 =$ {glue:text}`r2_one:.2f` on average. The rule picks
# {glue:text}`chosen_range` synergies; {glue:text}`typical_n` is the choice for
# {glue:text}`n_typical_share:.0%` of the participants, with a mean
# $R^2 =$ {glue:text}`r2_at_typical:.3f` at that $N$. **The data were generated by
# {glue:text}`n_true` synergies**: the rule picks fewer than the truth for
# {glue:text}`n_rule_below` participants, exactly the truth for
# {glue:text}`n_rule_equal` and more for {glue:text}`n_rule_above`; at the true $N$
# the mean curve is at $R^2 =$ {glue:text}`r2_at_true:.3f`.
#
# The mean curve in numbers, with the gain $\Delta R^2(N) = R^2(N) - R^2(N-1)$ that
# each added synergy brings:

# %%
curve_table = pd.DataFrame({"N": n_values, "mean R²": mean_curve, "sd R²": sd_curve,
                            "mean ΔR²": np.r_[np.nan, np.diff(mean_curve)]})
display(curve_table.style.hide(axis="index").format(precision=3, na_rep="–"))

# %% tags=["remove-input"] mystnb={"markdown_format": "myst"}
# the shape of the curve, by case (smooth or with a knee; chapter.curve_shape_sentence)
choice = chapter.choice_values(n_values, mean_curve, chosen, typical_n, n_true)
display(Markdown(chapter.curve_shape_sentence(choice, n_true=n_true)))

# %% [markdown]
# How much does the answer depend on the threshold? The curves are stored, so the
# $N$ that a stricter threshold would pick is read off them with
# `synergylib.nmf.select_n_synergies`, no refitting needed:

# %%
n_table = chapter.n_synergies_by_threshold(results, sensitivity_thresholds)
display(n_table.T.rename(index=lambda t: f"R² ≥ {t:.2f}"))

# %% mystnb={"figure": {"caption": "How many participants (y) each $R^2$ threshold gives each number of synergies $N$ (x), one bar colour per threshold (the legend also counts the participants whose curve never reaches it); dashed line: the true number of synergies."}}
fig, ax = chapter.plot_n_choice(n_table, n_true=n_true)
ax.set_title("Number of synergies chosen by each threshold rule")
plt.show()

# %% tags=["remove-cell"]
glue_values(choice | chapter.threshold_values(n_table, sensitivity_thresholds, n_true,
                                              n_max=int(n_values.max())))

# %% [markdown]
# Raising the threshold from {glue:text}`t_low:.2f` to {glue:text}`t_high:.2f` moves
# the median choice from {glue:text}`median_n_low:.0f` to
# {glue:text}`median_n_high:.0f` synergies; at {glue:text}`t_high:.2f` the rule picks
# the true number, {glue:text}`n_true`, for {glue:text}`share_true_high:.0%` of the
# participants. At the true $N$ the mean curve is at $R^2 =$
# {glue:text}`r2_at_true:.3f`, and wherever a participant's curve is still below
# {glue:text}`t_high:.2f` there, the stricter rule must go beyond the truth: it picks
# more synergies than the truth for {glue:text}`share_above_true_high:.0%` of the
# participants (a participant whose curve never reaches {glue:text}`t_high:.2f` by
# $N =$ {glue:text}`n_max` counts among them). The threshold is a convention, not a
# measurement of how many synergies there are.
#
# ## Why can the rule's N differ from the true N?
#
# $R^2$ measures how well the *EMG* is reproduced, not how many independent drives
# produced it. If two synergies are always activated together, their sum behaves
# like one synergy and a factorisation with one synergy fewer loses almost nothing.
# Two things let a factorisation with fewer synergies lose little: activations that
# go together, and envelope activity no synergy explains, which keeps every $R^2$
# below 1. The realistic generator of {doc}`01_data` has both: its direction-tuned
# bursts have overlapping preferred directions, which makes activations go together,
# while its per-participant tuning factors $\nu$ decorrelate them; and it adds
# muscle-specific activity, muscle gains and crosstalk. How strongly the activations
# go together, the correlation matrix of the true activations of one participant
# shows:

# %% mystnb={"figure": {"caption": "Pearson correlation between the true (phasic) activations of every pair of synergies of the participant shown, over the samples of its training matrix, written in each cell; red: positive, blue: negative, white: uncorrelated."}}
shown = next(r for r in results if r.index == participant_shown)
H_true = shown.true_activations_train
corr = np.corrcoef(H_true)
fig, ax = plt.subplots(figsize=(6.8, 5.0), layout="constrained")
plot_pairing_matrix(corr, true_names, true_names, ax=ax, cmap="RdBu_r", vmin=-1, vmax=1,
                    colorbar_label="Pearson correlation", xlabel="True synergy", ylabel="True synergy",
                    title=f"Correlation of the true activations, participant {shown.index}")
plt.setp(ax.get_xticklabels(), rotation=30, ha="right", rotation_mode="anchor")
plt.show()

# %%
spectrum = np.stack([chapter.correlation_spectrum(r.true_activations_train) for r in results])
correlation = chapter.correlation_values(corr, true_names, spectrum, summary, r2_at_true=choice["r2_at_true"])

# %% tags=["remove-input"] mystnb={"markdown_format": "myst"}
# how strongly the true activations go together, by case (chapter.correlation_sentence)
display(Markdown(chapter.correlation_sentence(correlation)))

# %% [markdown]
# - **How many directions do the activations span?** The eigenvalues of the correlation
#   matrix are the variances of the principal components of the standardised
#   activations (`chapter.correlation_spectrum`). The first
#   {glue:text}`n_fewer` components, one fewer than the truth, carry
#   {glue:text}`spectrum_at_fewer:.0%` of the variance on average;
#   {glue:text}`n_fewer` of {glue:text}`n_true` uncorrelated activations would carry
#   {glue:text}`spectrum_uncorrelated_fewer:.0%`.
# - **What does the true model itself reach?** Holding the true synergies fixed and
#   fitting their activations by non-negative least squares
#   (`chapter.ground_truth_r2`) gives $R^2 =$ {glue:text}`true_r2_mean:.3f` on
#   average: not 1, because the envelopes hold muscle-specific activity, muscle gains
#   and crosstalk that no synergy generated, and not a ceiling for NMF, which at the
#   true $N$ reaches {glue:text}`r2_at_true:.3f` ({glue:text}`nmf_over_truth:+.3f`),
#   its free synergies absorbing part of that activity (the true synergies with their
#   best activations are one of the factorisations NMF searches). The rule stops where
#   the rising curve crosses {glue:text}`threshold:.2f`: the threshold, not the data,
#   sets the stop.
#
# The figure shows the spectrum of every participant next to the uncorrelated case.

# %% mystnb={"figure": {"caption": "Share of the variance of the standardised true activations (y) carried by the first principal components, against their number (x): one blue line per participant; black dashed line: uncorrelated activations; dotted grey line: the $N$ the rule picks most often."}}
k = np.arange(1, n_true + 1)
fig, ax = plt.subplots(figsize=(5.0, 3.3), layout="constrained")
for row in spectrum:
    ax.plot(k, row, color="#0072B2", alpha=0.5, linewidth=1.0, marker="o", markersize=3)
ax.plot(k, k / n_true, color="black", linestyle="--", label="uncorrelated activations")
ax.plot([], [], color="#0072B2", marker="o", markersize=3, label="true activations (one line per participant)")
ax.axvline(typical_n, color="0.5", linestyle=":", label=f"N chosen by NMF (most often): {typical_n}")
ax.set(xlabel="Number of principal components", ylabel="Share of variance (standardised)",
       title="How many directions the true activations span", xticks=k, ylim=(0, 1.02))
ax.legend(fontsize=8, loc="lower right")
ax.grid(alpha=0.3)
plt.show()

# %% tags=["remove-cell"]
glue_values(correlation)

# %% [markdown]
# ## The synergies of one participant
#
# The chapter follows one participant in detail, participant
# {glue:text}`participant_shown` (numbered from 0, as in the code), for whom the rule
# picked $N =$ {glue:text}`n_synergies_shown`; by default it is the first participant
# whose $N$ is the most common one (`comparison.typical_participant`), and the
# correlation matrix above is this participant's too. Its NMF synergies are matched one
# to one with the true synergies by the Hungarian algorithm {cite}`kuhn1955hungarian`
# (`synergylib.metrics.match_synergies`), maximising the mean cosine similarity
# $w_i^\top w^\star_j / (\lVert w_i\rVert \lVert w^\star_j\rVert)$. The truth is
# expressed in the normalised muscle space of the analysed matrix (each muscle divided by
# its maximum), where NMF works.

# %% mystnb={"figure": {"caption": "The NMF synergies of the participant shown (blue) next to the true synergies matched to them (grey), one panel per matched pair with its cosine in the title: horizontal bars give the weight (x, unit-norm synergies) of each muscle (y), the truth expressed in the normalised muscle space of the matrix."}}
match = match_synergies(shown.true_synergies, shown.nmf_synergies)
W_nmf = shown.nmf_synergies[:, match.index]
W_ref = shown.true_synergies[:, match.ref_index]
panel_names = [f"NMF S{j + 1}\nvs. {true_names[i]}\ncos = {c:.2f}"
               for i, j, c in zip(match.ref_index, match.index, match.cosine)]
fig, axes = plot_synergies(W_nmf, shown.muscles, W_ref=W_ref, names=panel_names,
                           label="NMF", ref_label="ground truth")
for ax in axes[1:]:
    ax.set_ylabel("")
plt.show()

# %% tags=["remove-input"] mystnb={"markdown_format": "myst"}
# what the matching leaves unmatched, by case: N below, equal to or above the truth
shown_values = chapter.participant_values(shown, match, true_names)
display(Markdown(chapter.unmatched_sentence(shown_values)))

# %% mystnb={"figure": {"caption": "Cosine similarity between every true synergy (rows) and every NMF synergy (columns) of the participant shown, written in each cell; colour from 0 (dark) to 1 (yellow)."}}
fig, ax = plt.subplots(figsize=(5.6, 4.4), layout="constrained")
plot_pairing_matrix(match.similarity, true_names, [f"NMF S{j + 1}" for j in range(shown.n_synergies)],
                    ax=ax, vmin=0, vmax=1, colorbar_label="Cosine similarity",
                    xlabel="NMF synergy", ylabel="True synergy",
                    title=f"Participant {shown.index}: every true vs. every NMF synergy")
plt.show()

# %% [markdown]
# The activations tell the same story. Each NMF activation is drawn over the 45
# movements (thin grey lines: movements; thick lines: planes) against the true
# activation of its matched synergy. The two live on different scales (the truth in
# the generator's units, NMF's in units of normalised EMG), so each curve is divided
# by its own maximum. The true activations are the phasic truth (tonic part removed,
# {doc}`02_preprocessing`) and return to zero between bursts; the EMG NMF sees is
# phasic by the straight-line model, which leaves part of the posture-holding activity
# in it during the hold ({doc}`02_preprocessing` measures how much): an NMF activation
# that stays up during a hold while the truth does not is that leftover.

# %% mystnb={"figure": {"caption": "The NMF activations of the participant shown (blue) and the true activations of their matched synergies (black, dashed), one panel per matched pair, each curve divided by its own maximum, over the movements of the training matrix (x, one unit per movement): thin grey lines separate the movements, thick black lines the planes, named below."}}
n_points = shown.train.shape[1] // (len(PLANES) * N_TARGETS)
H_nmf = shown.nmf_activations_train[match.index]
H_ref = shown.true_activations_train[match.ref_index]
fig, axes = plot_activations(H_nmf / H_nmf.max(axis=1, keepdims=True), n_points=n_points,
                             H_ref=H_ref / H_ref.max(axis=1, keepdims=True),
                             names=[n.replace("\n", ", ") for n in panel_names],
                             label="NMF", ref_label="ground truth (matched)",
                             ylabel="Activation\n(÷ max)", xlabel="Workspace plane (9 targets each)")
chapter.label_planes(axes, PLANE_NAMES, N_TARGETS)
fig.set_size_inches(12, 1.9 * len(axes))
plt.show()

# %% tags=["remove-cell"]
glue_values(shown_values)

# %% [markdown]
# The matched activations correlate at $r$ between {glue:text}`act_corr_min:.2f` and
# {glue:text}`act_corr_max:.2f`.
#
# ## Reconstruction
#
# What does an $R^2$ near {glue:text}`r2_at_typical:.2f` look like? The EMG of a few
# muscles in the 9 movements of one plane, with its NMF reconstruction $\hat X = WH$
# (the per-muscle $R^2$ in each title is computed over the movements shown):

# %% mystnb={"figure": {"caption": "The EMG (black) of a few muscles of the participant shown in the 9 movements of one plane, and its NMF reconstruction $\\hat X = WH$ with the rule's $N$ (vermilion, dashed), one panel per muscle: EMG divided by the muscle's maximum (y) against the movements (x, one unit per movement); each title gives the muscle's $R^2$ over the movements shown."}}
plane_index = PLANES.index(plane_shown)
cols = slice(plane_index * N_TARGETS * n_points, (plane_index + 1) * N_TARGETS * n_points)
rows = [shown.muscles.index(m) for m in muscles_shown]
X_hat = shown.nmf_synergies @ shown.nmf_activations_train
time = np.arange(cols.stop - cols.start) / n_points
fig, axes = plot_reconstruction(shown.train[rows, cols], X_hat[rows, cols], muscles_shown, time=time,
                                ncols=2, label="EMG", hat_label=f"NMF, N = {shown.n_synergies}",
                                xlabel=f"Movements of the {PLANE_NAMES[plane_index]} plane",
                                ylabel="EMG (÷ max)")
fig.set_size_inches(9, 4.6)
fig.set_layout_engine("constrained")
plt.show()

# %% [markdown]
# ## Training against held-out repetitions
#
# NMF is fitted to the mean of the training repetitions; one repetition of every
# movement was held out. The held-out $R^2$ keeps the synergies fixed and fits only the
# activations (non-negative least squares per sample), so it asks whether the synergies
# describe new data of the same participant. The table also gives the VAF of the
# training fit, to show how far it sits above the centred $R^2$.

# %%
columns = {
    "participant": "participant", "n_synergies": "N", "r2_train": "R² train", "r2_test": "R² held-out",
    "r2_gap": "R² train − held-out", "vaf_train": "VAF train", "vaf_minus_r2": "VAF − R² (train)",
    "true_r2_train": "R² of the true model",
}
display(summary[list(columns)].rename(columns=columns).style.hide(axis="index").format(precision=3))

# %% mystnb={"figure": {"caption": "NMF reconstruction $R^2$ (centred) with the rule's $N$ for every participant (x, numbered from 0): on the training matrix, the mean of the training repetitions (blue circles), and on the held-out repetition (orange squares), a grey line joining each participant's two values; dashed line: the threshold."}}
fig, ax = chapter.plot_train_test(summary, threshold=config.r2_threshold)
ax.set_title(f"NMF reconstruction with the chosen N ({n_participants} participants)")
plt.show()

# %% tags=["remove-cell"]
# with the identity of the method section, on the reconstruction X_hat = W H of the figure above
glue_values(chapter.reconstruction_values(summary, config.r2_threshold, shown.train, X_hat))

# %% [markdown]
# On average $R^2$ drops from {glue:text}`r2_train_mean:.3f` (training) to
# {glue:text}`r2_test_mean:.3f` (held-out), a gap of {glue:text}`r2_gap_mean:.3f`: a
# single repetition is noisier than the mean of several, and part of that noise cannot
# be reconstructed by any synergy. {glue:text}`n_test_below` participant(s) fall below
# the threshold on the held-out repetition.
#
# The VAF of the same fits averages {glue:text}`vaf_mean:.3f`,
# {glue:text}`vaf_minus_r2_mean:.3f` above $R^2$. The difference is a property of the
# data, not of the model: for participant {glue:text}`participant_shown`,
# $\sum x^2 / \mathrm{SST} =$ {glue:text}`ratio_data:.3f` and
# $(1 - R^2)/(1 - \mathrm{VAF}) =$ {glue:text}`ratio_fit:.3f`, as the identity of the
# method section says. A "VAF ≥ 0.80" rule is therefore a more lenient rule than
# "$R^2 \ge 0.80$": it picks the same number of synergies or fewer ({ref}`ex-nmf-2`).
#
# ## How close is NMF to the ground truth?
#
# For every participant, the cosine of the NMF synergy matched to each true synergy
# ("n/a": no NMF synergy was left to match it), and the summary per participant: mean matched
# cosine, share of matched pairs with cosine ≥ 0.8, and the correlation of the matched
# activations.

# %% mystnb={"figure": {"caption": "Cosine between each true synergy (x) and the NMF synergy matched to it at the rule's $N$, one row per participant (P0, P1, ...: numbered from 0), written in each cell; colour from 0 (dark) to 1 (yellow); n/a: no NMF synergy was left to match it."}}
cos_matrix = chapter.matched_cosine_matrix(results, true_names)
fig, ax = plt.subplots(figsize=(7.5, 0.27 * n_participants + 2.2), layout="constrained")
plot_pairing_matrix(cos_matrix.to_numpy(), [f"P{p}" for p in cos_matrix.index], true_names, ax=ax,
                    vmin=0, vmax=1, colorbar_label="Cosine of the matched NMF synergy",
                    xlabel="True synergy", ylabel="Participant",
                    title="Ground-truth similarity of the NMF synergies (n/a: unmatched)")
plt.setp(ax.get_xticklabels(), rotation=25, ha="right", rotation_mode="anchor")
plt.show()

# %%
truth_columns = {
    "participant": "participant", "n_synergies": "N", "n_true": "true N",
    "true_mean_cosine": "mean matched cosine", "true_share_above": "share ≥ 0.8",
    "true_mean_activation_correlation": "activation correlation",
}
display(summary[list(truth_columns)].rename(columns=truth_columns).style.hide(axis="index")
        .format(precision=2))

# %% tags=["remove-cell"]
glue_values(chapter.truth_values(summary, cos_matrix))

# %% [markdown]
# The NMF synergies that do have a partner resemble it (mean matched cosine
# {glue:text}`true_cos_mean:.2f`, {glue:text}`true_share_mean:.0%` of the pairs at or
# above 0.8, activation correlation {glue:text}`true_act_mean:.2f`); at the chosen
# $N$, {glue:text}`recovered_share:.0%` of the true synergies have a partner at cosine
# ≥ 0.8 on average. The most reliably recovered synergy is
# *{glue:text}`best_recovered`* (cosine ≥ 0.8 in {glue:text}`best_recovered_share:.0%`
# of the participants), and {glue:text}`n_never_matched` of the {glue:text}`n_true`
# true synergies are matched in no participant at all.
#
# ### At the true N: the ceiling
#
# Is it the method or the number? The same study run with the true number of
# synergies (`n_synergies="true"`: NMF and, in the next chapter, the autoencoders are
# fitted with it) answers: the closeness to the truth per participant, at the rule's
# $N$ and at the true $N$.

# %%
results_true = run_study(dataclasses.replace(config, n_synergies="true"), cache_dir=cache_dir, n_jobs=n_jobs)
summary_true = chapter.nmf_summary(results_true)
at_two_n = pd.DataFrame({
    "participant": summary["participant"],
    "rule's N": summary["n_synergies"],
    "cosine at the rule's N": summary["true_mean_cosine"],
    "cosine at the true N": summary_true["true_mean_cosine"],
    "R² at the true N": summary_true["r2_train"],
})
display(at_two_n.style.hide(axis="index").format(precision=3))

# %% tags=["remove-cell"]
glue_values({"true_n_cos_mean": float(summary_true["true_mean_cosine"].mean()),
             "true_n_cos_min": float(summary_true["true_mean_cosine"].min()),
             "rule_n_cos_mean": float(summary["true_mean_cosine"].mean())})

# %% [markdown]
# At the true $N$, NMF's synergies match the truth at a mean cosine of
# {glue:text}`true_n_cos_mean:.3f` (lowest participant
# {glue:text}`true_n_cos_min:.3f`), against {glue:text}`rule_n_cos_mean:.3f` at the
# rule's $N$: the data are identifiable, and NMF at the true $N$ is the ceiling that
# every similarity to the truth in {doc}`05_comparison` is read against.
#
# **What this means for the rest of the book.** The autoencoders of
# {doc}`04_autoencoders` get the same $N$ as NMF, as in the protocol ({doc}`protocol`, section 5), and every
# comparison is also made at the true $N$. Their synergies are compared with NMF's and
# with the truth; the latter comparison is the one that needs no assumption about what
# "physiological" means, and this chapter shows that the NMF reference is not the
# truth: at the rule's $N$ it can merge or miss true synergies, and even at the true
# $N$ it matches them at {glue:text}`true_n_cos_mean:.2f`, not 1, because the EMG holds
# activity no synergy generated. A perfect match to NMF is not a perfect match to the
# physiology.
#
# ## Summary
#
# - NMF with the group's defaults ({glue:text}`n_restarts` restarts per $N$, the best
#   kept, unit-norm synergies) and the $R^2 \ge$ {glue:text}`threshold:.2f` rule picks
#   {glue:text}`chosen_range` synergies for the {glue:text}`n_participants` participants,
#   {glue:text}`typical_n` for {glue:text}`n_typical_share:.0%` of them; the data were
#   generated by {glue:text}`n_true`.
# - The rule's $N$ is a convention, not a measurement: it moves with the threshold
#   (median {glue:text}`median_n_low:.0f` at {glue:text}`t_low:.2f`,
#   {glue:text}`median_n_high:.0f` at {glue:text}`t_high:.2f`), and activations that go
#   together and envelope activity that no synergy generated keep the $R^2$ curve from
#   marking the true $N$.
# - The centred $R^2$ and the uncentred VAF must not be mixed: on the same fits VAF lies
#   {glue:text}`vaf_minus_r2_mean:.3f` higher on average. On the held-out repetition the
#   mean $R^2$ drops from {glue:text}`r2_train_mean:.3f` to
#   {glue:text}`r2_test_mean:.3f`.
# - Against the truth, NMF's synergies match at a mean cosine of
#   {glue:text}`rule_n_cos_mean:.3f` at the rule's $N$ and {glue:text}`true_n_cos_mean:.3f`
#   at the true $N$, the ceiling every later similarity to the truth is read against: the
#   NMF reference is close to the truth, but it is not the truth.
# - {doc}`04_autoencoders` trains autoencoders on the same matrices with the same $N$ as
#   NMF (and again with the true $N$), and compares their synergies with NMF's and with the
#   truth.
#
# ## Exercises

# %% [markdown]
# ```{exercise} a stricter threshold
# :label: ex-nmf-1
# Rerun the study for the participant shown above (`participant_shown`) with
# `r2_threshold=0.9` (`dataclasses.replace(config, r2_threshold=0.9)`). How many
# synergies are chosen now, and how close are they to the ground truth? (The changed
# parameter changes the cache key, so the autoencoders of that participant are retrained
# too, which takes minutes. If you are in a hurry, the NMF part alone answers the question:
# read the new $N$ off the stored curve `shown.nmf_r2_curve` with
# `synergylib.nmf.select_n_synergies` and fit `SynergyNMF` with it; or run the study with
# `quick_config(n_max=12, r2_threshold=0.9)`, whose curves may need more than the quick
# configuration's 8 synergies to reach 0.90.)
# ```

# %% [markdown]
# ```{solution-start} ex-nmf-1
# :class: dropdown
# ```

# %%
# Classroom size (seconds): the NMF part of the study at R² >= 0.90, for the participant
# shown. The study stored its R² curve, so the new N is read off it; NMF is then fitted
# with that N as the study fits it (its restarts, iterations and tolerance).
from synergylib.book import glue_values
from synergylib.metrics import match_synergies
from synergylib.nmf import SynergyNMF, select_n_synergies

strict = 0.9
n_strict = select_n_synergies(shown.n_values, shown.nmf_r2_curve, strict, if_none="largest")
nmf_strict = SynergyNMF(n_strict, n_restarts=config.nmf_restarts, max_iter=config.nmf_max_iter,
                        tol=config.nmf_tol, random_state=0).fit(shown.train.T)
fits = {config.r2_threshold: (shown.n_synergies, shown.nmf_synergies, shown.nmf_r2_train),
        strict: (n_strict, nmf_strict.synergies_, nmf_strict.r2_)}
values = {}
for case, (threshold, (n, W, r2)) in zip(("rule", "strict"), fits.items()):
    m = match_synergies(shown.true_synergies, W)
    recovered = int((m.cosine >= 0.8).sum())  # true synergies with a partner at cosine >= 0.8
    print(f"R² >= {threshold:.2f}: N = {n:d} (true N = {n_true:d}), R² = {r2:.3f}, mean matched "
          f"cosine {m.mean_cosine:.3f}, {recovered:d} of {n_true:d} true synergies at cosine >= 0.8, "
          f"{n - m.n_matched:d} NMF synergies without a true partner")
    print("    matched cosine per true synergy:",
          ", ".join(f"{true_names[i]} {c:.2f}" for i, c in zip(m.ref_index, m.cosine)))
    values |= {f"ex_nmf_1_n_{case}": n, f"ex_nmf_1_r2_{case}": r2,
               f"ex_nmf_1_cos_{case}": m.mean_cosine, f"ex_nmf_1_recovered_{case}": recovered,
               f"ex_nmf_1_extra_{case}": n - m.n_matched}


# %% tags=["skip-execution"]
# skip-execution: reruns the whole study of one participant (16 pairings x 10 restarts), minutes
import dataclasses
from synergylib.chapters import nmf as chapter

config90 = dataclasses.replace(config, r2_threshold=0.9)
res90 = run_study(config90, cache_dir=cache_dir, participants=[participant_shown])
print(f"N = {res90[0].n_synergies:d}, R² = {res90[0].nmf_r2_train:.3f}")
print(chapter.nmf_summary(res90)[["n_synergies", "true_mean_cosine", "true_share_above"]])
print(chapter.matched_cosine_matrix(res90, true_names))

# %% tags=["remove-cell"]
glue_values(values | {"ex_nmf_1_participant": shown.index, "ex_nmf_1_n_true": n_true})

# %% [markdown]
# The first cell is the classroom-sized version: it runs in seconds, because it reads the
# new $N$ off the $R^2$ curve the study stored and fits NMF once, with the study's
# settings but not its seed (its numbers can differ from the full version's in the last
# digits). The second cell is the full version: it reruns the study for that
# participant with the new threshold, and since the threshold is part of the cache key it
# also retrains the participant's autoencoders, several minutes on 2 cores (about a minute
# with `quick_config(n_max=12, r2_threshold=0.9)` instead of `config90`).
#
# For participant {glue:text}`ex_nmf_1_participant` the classroom version prints
# $N =$ {glue:text}`ex_nmf_1_n_rule:d` at the book's threshold and
# $N =$ {glue:text}`ex_nmf_1_n_strict:d` at 0.90, against
# {glue:text}`ex_nmf_1_n_true:d` true synergies: the stricter rule picks at least as many
# synergies, and more than the truth wherever the participant's $R^2$ at the true $N$ is
# below 0.90 (the threshold section above says for how many participants that is so). The
# closeness to the truth moves from a mean matched cosine of
# {glue:text}`ex_nmf_1_cos_rule:.3f` ({glue:text}`ex_nmf_1_recovered_rule:d` true
# synergies at cosine ≥ 0.8) to {glue:text}`ex_nmf_1_cos_strict:.3f`
# ({glue:text}`ex_nmf_1_recovered_strict:d`), with {glue:text}`ex_nmf_1_extra_strict:d`
# NMF synergies left without a true partner at 0.90: when $N$ exceeds the truth, every
# true synergy can find a partner, and the extra NMF synergies match none (they split
# true ones or fit muscle-specific activity).
#
# ```{solution-end}
# ```

# %% [markdown]
# ```{exercise} VAF against R²
# :label: ex-nmf-2
# For the participant shown, compute both the centred $R^2$ and the uncentred VAF of
# NMF for $N = 1, \dots, 8$ and plot them on the same axes. Which $N$ does a
# "VAF ≥ 0.80" rule pick, and which VAF threshold would pick the same $N$ as
# "$R^2 \ge 0.80$"?
# ```

# %% [markdown]
# ```{solution-start} ex-nmf-2
# :class: dropdown
# ```

# %% mystnb={"figure": {"caption": "Centred $R^2$ (circles, solid line) and uncentred VAF (squares, dashed line) of NMF against the number of synergies $N$ for the participant shown; dotted line: 0.80."}}
from synergylib.book import glue_values
from synergylib.nmf import nmf_r2_curve, select_n_synergies

X = shown.train.T  # the participant shown, scikit-learn layout (n_samples, n_muscles)
n, r2, models = nmf_r2_curve(X, range(1, 9), n_restarts=config.nmf_restarts,
                             random_state=0, return_models=True)
vaf = np.array([m.vaf_ for m in models])
fig, ax = plt.subplots()
ax.plot(n, r2, "o-", label="R² (centred)")
ax.plot(n, vaf, "s--", label="VAF (uncentred)")
ax.axhline(0.8, color="black", linestyle=":")
ax.set(xlabel="Number of synergies N", ylabel="Reconstruction quality")
ax.legend()
n_r2 = select_n_synergies(n, r2, 0.8, if_none="largest")
n_vaf = select_n_synergies(n, vaf, 0.8)
k = int(np.flatnonzero(n == n_r2)[0])  # position of the R² rule's N in the curve
vaf_below = vaf[k - 1] if k > 0 else 0.0  # VAF one synergy fewer (0 if N = 1)
print(f"R² >= 0.80 picks N = {n_r2:d}; VAF >= 0.80 picks N = {n_vaf:d}")
print(f"VAF at N = {n_r2:d}: {vaf[k]:.3f}; at N - 1: {vaf_below:.3f}")
print(f"smallest gap VAF - R² over N = 1..8: {np.min(vaf - r2):.3f}")


# %% tags=["remove-cell"]
glue_values({"ex_nmf_2_n_r2": n_r2, "ex_nmf_2_n_vaf": n_vaf, "ex_nmf_2_vaf_at_n": vaf[k],
             "ex_nmf_2_vaf_below": vaf_below, "ex_nmf_2_min_gap": np.min(vaf - r2)})

# %% [markdown]
# "$R^2 \ge 0.80$" picks $N =$ {glue:text}`ex_nmf_2_n_r2:d` and "VAF ≥ 0.80" picks
# $N =$ {glue:text}`ex_nmf_2_n_vaf:d`. VAF lies above $R^2$ at every $N$ (by at least
# {glue:text}`ex_nmf_2_min_gap:.3f` here: the identity
# $1 - R^2 = (1 - \mathrm{VAF}) \sum x^2/\mathrm{SST}$ with a ratio above 1), so the VAF
# rule picks the same or fewer synergies. A VAF threshold picks the $R^2$ rule's $N$ when
# it lies above the VAF with one synergy fewer, {glue:text}`ex_nmf_2_vaf_below:.3f`, and at
# most at the VAF reached at that $N$, {glue:text}`ex_nmf_2_vaf_at_n:.3f`: whenever the two
# rules pick different $N$, the VAF threshold equivalent to "$R^2 \ge 0.80$" is above 0.80.
# Thresholds from papers that use VAF cannot be carried over to $R^2$.
#
# ```{solution-end}
# ```

# %% [markdown]
# ```{exercise} another solver
# :label: ex-nmf-3
# Fit NMF to the participant shown with its chosen $N$ using coordinate descent
# (`SynergyNMF(..., solver="cd")`) instead of multiplicative updates. Compare the
# $R^2$, the fitting time and the synergies (match them with
# `synergylib.metrics.match_synergies`).
# ```

# %% [markdown]
# ```{solution-start} ex-nmf-3
# :class: dropdown
# ```

# %%
import time
from synergylib.book import glue_values
from synergylib.nmf import SynergyNMF
from synergylib.metrics import match_synergies

res = shown  # the participant shown
X = res.train.T
fits, values = {}, {"ex_nmf_3_n": res.n_synergies}
for solver in ("mu", "cd"):
    start = time.perf_counter()
    fits[solver] = SynergyNMF(res.n_synergies, n_restarts=config.nmf_restarts,
                              solver=solver, random_state=0).fit(X)
    seconds = time.perf_counter() - start
    print(f"{solver}, N = {res.n_synergies:d}: R² = {fits[solver].r2_:.4f}, {seconds:.1f} s for "
          f"{config.nmf_restarts:d} restarts, {fits[solver].n_iter_:d} iterations in the kept one")
    values |= {f"ex_nmf_3_r2_{solver}": fits[solver].r2_, f"ex_nmf_3_seconds_{solver}": seconds,
               f"ex_nmf_3_iter_{solver}": fits[solver].n_iter_}
m = match_synergies(fits["mu"].synergies_, fits["cd"].synergies_)
print("matched cosines mu vs cd:", ", ".join(f"{c:.3f}" for c in m.cosine))
print(f"lowest matched cosine: {m.cosine.min():.3f}")


# %% tags=["remove-cell"]
glue_values(values | {"ex_nmf_3_min_cosine": m.cosine.min()})

# %% [markdown]
# With $N =$ {glue:text}`ex_nmf_3_n:d`, multiplicative updates reach
# $R^2 =$ {glue:text}`ex_nmf_3_r2_mu:.4f` and coordinate descent
# {glue:text}`ex_nmf_3_r2_cd:.4f`, and their synergies match at a cosine of at least
# {glue:text}`ex_nmf_3_min_cosine:.3f`: both solvers minimise the same objective, so with
# enough restarts they find nearly the same optimum. Coordinate descent gets there in
# {glue:text}`ex_nmf_3_iter_cd:d` iterations in its kept restart, against
# {glue:text}`ex_nmf_3_iter_mu:d` for the multiplicative updates, and all the restarts
# took {glue:text}`ex_nmf_3_seconds_cd:.1f` s against {glue:text}`ex_nmf_3_seconds_mu:.1f` s
# in this run (timings vary from run to run and from machine to machine). The solver is
# not what limits the closeness to the truth.
#
# ```{solution-end}
# ```

# %% [markdown]
# ```{exercise} NMF with the true number of synergies
# :label: ex-nmf-4
# Fit NMF with $N$ equal to the true number of synergies to the participant shown and
# match the result with its true synergies (`shown.true_synergies`). Does NMF recover
# the ground truth when
# it is told how many synergies to look for?
# ```

# %% [markdown]
# ```{solution-start} ex-nmf-4
# :class: dropdown
# ```

# %%
from synergylib.book import glue_values
from synergylib.nmf import SynergyNMF
from synergylib.metrics import ground_truth_similarity

res = shown  # the participant shown
nmf = SynergyNMF(n_true, n_restarts=config.nmf_restarts, random_state=0).fit(res.train.T)
sim = ground_truth_similarity(res.true_synergies, nmf.synergies_,
                              res.true_activations_train, nmf.transform(res.train.T).T)
cosine = np.asarray(sim["cosine"])
weakest = true_names[int(sim["match"].ref_index[np.argmin(cosine)])]
print(f"N = {n_true:d}: R² = {nmf.r2_:.3f}, mean matched cosine {sim['mean_cosine']:.3f}")
print("matched cosines:", ", ".join(f"{c:.2f}" for c in cosine))
print("activation correlations:", ", ".join(f"{r:.2f}" for r in sim["activation_correlation"]))
print(f"weakest match: {weakest} (cosine {cosine.min():.2f})")
study = summary_true.set_index("participant").loc[res.index]  # the chapter's true-N study
print(f"the chapter's true-N study (other restart seeds): R² = {study['r2_train']:.3f}, "
      f"mean matched cosine {study['true_mean_cosine']:.3f}")


# %% tags=["remove-cell"]
glue_values({"ex_nmf_4_n": n_true, "ex_nmf_4_r2": nmf.r2_, "ex_nmf_4_cos": sim["mean_cosine"],
             "ex_nmf_4_cos_min": cosine.min(), "ex_nmf_4_weakest": weakest,
             "ex_nmf_4_act_min": np.min(sim["activation_correlation"]),
             "ex_nmf_4_act_max": np.max(sim["activation_correlation"]),
             "ex_nmf_4_study_cos": study["true_mean_cosine"],
             "ex_nmf_4_study_r2": study["r2_train"]})

# %% [markdown]
# With the right $N$ ({glue:text}`ex_nmf_4_n:d`) every true synergy has a partner, found
# at a high cosine: the mean matched cosine is {glue:text}`ex_nmf_4_cos:.3f`
# ($R^2 =$ {glue:text}`ex_nmf_4_r2:.3f`), and the activations correlate at
# {glue:text}`ex_nmf_4_act_min:.2f` to {glue:text}`ex_nmf_4_act_max:.2f`. The chapter's
# true-$N$ study, whose restarts start from other seeds, found
# $R^2 =$ {glue:text}`ex_nmf_4_study_r2:.3f` and a mean matched cosine of
# {glue:text}`ex_nmf_4_study_cos:.3f` for this participant: where the two differ, the
# restarts ended in different local optima, and a small difference in $R^2$ can hide a
# larger one in the synergies, which is why NMF is restarted and the best fit kept. So NMF
# does recover the ground truth closely when it is told how many synergies to look for,
# though not exactly: the weakest match,
# *{glue:text}`ex_nmf_4_weakest`* at {glue:text}`ex_nmf_4_cos_min:.2f`. The envelopes
# hold activity no synergy generated (muscle-specific activity, crosstalk), which NMF's
# free synergies absorb in part, and a synergy that shares muscles with others is the
# easiest to mix with them.
#
# ```{solution-end}
# ```
