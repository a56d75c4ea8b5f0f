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
# # Autoencoders, pairing by pairing
#
# NMF gives one answer to "which muscle patterns make up this EMG?". An autoencoder
# can give sixteen: Brambilla et al. {cite}`brambilla2025tradeoff` build the encoder and
# the decoder of a one-layer autoencoder from four activation functions each and ask how
# much the synergies depend on that choice. Before comparing the sixteen *pairings* with
# NMF and with the ground truth ({doc}`05_comparison`), this chapter looks at each of
# them as a model: what the activation functions allow, how the networks are trained,
# whether the training converged, how well they reconstruct the EMG, and what their
# synergies look like.
#
# ```{admonition} Learning objectives
# :class: tip
# After this chapter you can
# - write the autoencoder as an equation and say where its synergies and activations are;
# - say what a linear, ReLU, sigmoid or tanh encoder or decoder does to the sign and the
#   range of the activations and of the reconstruction;
# - state the training procedure and the convergence criterion, and check in a figure
#   that it is met;
# - read the reconstruction of the 16 pairings against NMF's, on training and held-out data;
# - recognise in a synergy plot the marks of an architecture: negative weights, mirrored
#   synergies and dead ReLU units.
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
quick = False  # True: CI's small configuration (not trained to convergence)
cache_dir = "results"  # per-participant results, shared with chapter 3
n_jobs = 1  # participants computed in parallel when the cache is empty

# %% tags=["remove-stderr"]
import dataclasses

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from synergylib import ACTIVATIONS
from synergylib.book import glue_values
from synergylib.chapters import autoencoders as chapter
from synergylib.plotting import plot_autoencoder_diagram, plot_convergence, plot_pairing_matrices
from synergylib.comparison import metrics_table, typical_participant
from synergylib.comparison_report import two_n_table
from synergylib.study import StudyConfig, quick_config, run_study

config = quick_config() if quick else StudyConfig()
results = run_study(config, cache_dir=cache_dir, n_jobs=n_jobs)
results_true = run_study(dataclasses.replace(config, n_synergies="true"), cache_dir=cache_dir, n_jobs=n_jobs)
shown = next(r for r in results if r.index == typical_participant(results))  # the example participant

# %% tags=["remove-cell"]
glue_values({"shown_participant": shown.index})

# %% [markdown]
# The results come from the same run as the NMF chapter ({doc}`03_nmf`), loaded from its
# cache: for each participant, NMF chose the number of synergies $N$, and the sixteen
# autoencoders were trained with that $N$ on the same training matrix. A second run
# trains them with the true number of synergies of the synthetic data
# (`n_synergies="true"`); this chapter looks at the first and compares the two where
# it matters, {doc}`05_comparison` at both throughout. Where the chapter looks at one
# participant in detail, it is participant {glue:text}`shown_participant` (numbered
# from 0), the first whose $N$ is the one most participants share
# (`comparison.typical_participant`): the *example participant*.

# %% tags=["remove-input"]
if quick:
    display(Markdown(
        "> **Quick build.** This page was built with the small configuration used for "
        f"continuous integration ({config.n_participants} participants, "
        f"{config.autoencoder.n_restarts} restarts, at most {config.autoencoder.max_epochs} "
        "epochs per model). The autoencoders are **not** trained to convergence, so the "
        "numbers and figures below show that the chapter runs, not what the study finds."
    ))

# %% [markdown]
# ## The network
#
# A sample of the EMG envelopes of the $M$ muscles, $x \in [0, 1]^M$ (one time point of
# the max-normalised matrix of {doc}`02_preprocessing`), goes through a bottleneck of $N$
# units and back:
#
# $$
# \hat x = f_\mathrm{dec}\!\left(W_d\, f_\mathrm{enc}(W_e x + b_e) + b_d\right),
# \qquad W_e \in \mathbb{R}^{N \times M},\; W_d \in \mathbb{R}^{M \times N},
# $$
#
# with $f_\mathrm{enc}, f_\mathrm{dec} \in \{\text{linear}, \text{ReLU}, \text{sigmoid},
# \tanh\}$: $4 \times 4 = 16$ pairings, written `encoder+decoder` (`relu+tanh` has a ReLU
# encoder and a tanh decoder). $N$ is the number of synergies NMF chose for the
# participant, so that every autoencoder synergy can be matched to one NMF synergy.
#
# The **synergies** are the decoder weights with unit-norm columns and the
# **activations** are the encoder outputs carrying the column norms
# $s_k = \lVert W_{d,:k} \rVert_2$:
#
# $$
# W = W_d\,\mathrm{diag}(s)^{-1}, \qquad
# h = \mathrm{diag}(s)\, f_\mathrm{enc}(W_e x + b_e), \qquad
# \hat x = f_\mathrm{dec}(W h + b_d).
# $$
#
# For the linear decoder this is NMF's model $x \approx W h$ plus a bias; for the others
# the synergies mix the muscles *before* a non-linearity. Nothing forces $W$ or $h$ to be
# non-negative: whatever sign they take is the work of the activation functions alone.
# The network of `relu+tanh` with the participants' most common $N$, one synergy
# coloured:

# %% mystnb={"figure": {"caption": "The network of `relu+tanh`: the envelopes of the muscles (left) pass through a bottleneck of $N$ units (middle) to the reconstruction (right). Every grey line is one weight; the blue lines leaving the blue unit are one column of the decoder, the synergy of that unit once scaled to unit norm."}}
n_common = int(pd.Series([r.n_synergies for r in results]).mode().iloc[0])
n_muscles = len(shown.muscles)
fig, ax = plot_autoencoder_diagram(n_muscles, n_common, encoder="relu", decoder="tanh")
ax.set_title(f"The autoencoder: {n_muscles} muscles, {n_common} units, {n_muscles} muscles", fontsize=10)
plt.show()

# %% [markdown]
# ### One pairing in plain PyTorch
#
# Here is `relu+tanh` as a PyTorch module: two linear layers and two activation functions.
# We train it on the example participant's training matrix $X$ (samples $\times$ muscles)
# with Adam on the mean squared error $\frac{1}{SM}\lVert \hat X - X \rVert_F^2$, one
# full-batch step per epoch, at a constant learning rate of $10^{-3}$. It starts from the
# same weights as the library's restart 0 (`initial_parameters`), and `train_plain` is the
# library's textbook training loop, written for any module.

# %% mystnb={"figure": {"caption": "Training loss of `relu+tanh` on the example participant from the same initial weights: the plain PyTorch loop at a constant learning rate (solid) and the library's trainer, which lowers the rate at plateaus (dashed). Mean squared error of the max-normalised envelopes against the epoch, both axes logarithmic."}}
import torch

from synergylib.autoencoder import SynergyAutoencoder, initial_parameters, train_plain
from synergylib.metrics import r2_score


class Autoencoder(torch.nn.Module):
    """relu+tanh: x_hat = tanh(W_d relu(W_e x + b_e) + b_d)."""

    def __init__(self, n_muscles: int, n_synergies: int):
        super().__init__()
        self.encoder = torch.nn.Linear(n_muscles, n_synergies)  # W_e, b_e
        self.decoder = torch.nn.Linear(n_synergies, n_muscles)  # W_d, b_d

    def forward(self, x):
        return torch.tanh(self.decoder(torch.relu(self.encoder(x))))


X, N = shown.train.T, shown.n_synergies
net = Autoencoder(X.shape[1], N)
with torch.no_grad():  # the library's restart 0: W_e, b_e, W_d, b_d
    for weights, start in zip(net.parameters(), initial_parameters(X.shape[1], N, random_state=0)):
        weights.copy_(torch.as_tensor(start))

# the library's trainer, from the same weights, with the study's schedule and stopping rule
library = SynergyAutoencoder(N, encoder="relu", decoder="tanh", n_restarts=1, random_state=0,
                             **config.autoencoder.training_params()).fit(X)
plain_losses = train_plain(net, X, n_epochs=library.n_epochs_, learning_rate=1e-3)
with torch.no_grad():
    r2_plain = r2_score(X, net(torch.as_tensor(X, dtype=torch.float32)).numpy())
print(f"plain PyTorch loop: R² = {r2_plain:.4f} after {library.n_epochs_} epochs\n"
      f"library's trainer:  R² = {library.r2_:.4f} after {library.n_epochs_} epochs")

fig, ax = plt.subplots(figsize=(6.5, 3.2), layout="constrained")
ax.loglog(np.arange(1, plain_losses.size + 1), plain_losses, label="plain loop, constant rate")
ax.loglog(np.arange(1, library.loss_history_.size + 1), library.loss_history_, "--",
          label="library's trainer (rate decayed at plateaus)")
ax.set_xlabel("Epoch")
ax.set_ylabel("Mean squared error")
ax.set_title(f"relu+tanh on participant {shown.index} (N = {N}), from the same weights")
ax.legend(fontsize=8)
plt.show()

# %% tags=["remove-cell"]
glue_values({"plain_r2": r2_plain, "plain_library_r2": library.r2_,
             "plain_epochs": library.n_epochs_})

# %% [markdown]
# The plain loop reaches $R^2$ = {glue:text}`plain_r2:.3f`, the library's trainer
# {glue:text}`plain_library_r2:.3f` from the same weights in the same
# {glue:text}`plain_epochs` epochs (it lowers the learning rate when the loss stalls,
# see {ref}`training` below). The library computes nothing else: it trains the
# sixteen pairings and their restarts as one batch of such networks, with the gradients
# written out by hand, which is faster, and its tests check it against `train_plain`. The
# rest of the chapter reads the study's results: every pairing with all its restarts, for
# every participant.
#
# ## Four activation functions

# %% mystnb={"figure": {"caption": "The four activation functions: the output $f(z)$ (blue) against the input $z$, one panel each. Dotted vermillion lines mark the bounds of the output: 0 for ReLU, 0 and 1 for the sigmoid, -1 and 1 for tanh; the linear function has none."}}
fig, axes = chapter.plot_activation_functions(z_range=(-3.0, 3.0))
fig.suptitle("The four activation functions (dotted: bounds of the output)", fontsize=10)
plt.show()

# %% [markdown]
# What each one does depends on where it sits.
#
# **In the encoder** it shapes the activations $h$:
# - *linear* and *tanh* are odd functions ($f(-z) = -f(z)$), so activations can be
#   negative, and the sign of each synergy is arbitrary: flipping the signs of row $k$ of
#   $W_e$, of $b_{e,k}$ and of column $k$ of $W_d$ gives exactly the same network. A synergy
#   that is the mirror image of a physiological one is as good a solution as the original.
#   A linear encoder with a linear decoder is moreover blind to any mixing of its
#   synergies: $W h = (W Q)(Q^{-1} h)$ for every invertible $Q$;
# - *ReLU* makes activations non-negative, like NMF's, and exactly zero when the unit's
#   input is negative; a unit whose input is negative on *every* sample receives no
#   gradient and never recovers: a **dead** synergy;
# - *sigmoid* makes activations lie in $(0, s_k)$: non-negative but never zero, so a
#   synergy is never fully off, and the rest level has to be cancelled elsewhere (by the
#   decoder bias, or by negative weights of other synergies). Its sign is not fixed
#   either: since $\sigma(-z) = 1 - \sigma(z)$, the same flip as for tanh, with column $k$
#   of $W_d$ added to the decoder bias, gives the same network again. Of the four, only
#   ReLU ties the sign of a synergy down.
#
# **In the decoder** it shapes the reconstruction $\hat x$:
# - *linear*: $\hat x$ is unbounded and can be negative, which EMG never is;
# - *ReLU*: $\hat x \ge 0$, like EMG, and exactly 0 where $W h + b_d < 0$. The decoder can
#   thus switch a muscle off, and negative weights become a way of doing it; a muscle
#   whose input is negative on every sample gets no gradient and stays at zero: a
#   **silent** muscle, whose reconstruction $R^2$ is at most 0;
# - *sigmoid*: $\hat x \in (0, 1)$, the range of the normalised data, but 0 is reached only
#   in the limit of a very negative input, and the slope is at most 1/4, which slows
#   training;
# - *tanh*: $\hat x \in (-1, 1)$; on the non-negative data it is used mostly on its
#   positive half, where it saturates softly towards 1.
#
# (training)=
# ## Training
#
# Every pairing is trained the same way (the parameters are in the table below):
#
# - **loss**: the mean squared error over the $S$ samples and $M$ muscles of the whole
#   training matrix, $L(\theta) = \frac{1}{SM}\lVert \hat X - X \rVert_F^2$;
# - **optimiser**: Adam {cite}`kingma2015adam`, **full batch**: every epoch is one
#   gradient step on the whole matrix, which makes training deterministic;
# - **restarts**: several random initialisations (PyTorch's default for linear
#   layers {cite}`paszke2019pytorch`, drawn from seeded NumPy generators); restart $r$ of
#   every pairing starts from the same weights, and the restart with the lowest final
#   training loss is kept;
# - **stopping rule** (as stated in `synergylib.autoencoder`): let $L_t$ be the loss after
#   $t$ updates and $L^\star$ the last loss that counted as progress, i.e. satisfied
#   $L_t < (1 - \mathrm{tol})\, L^\star$. When `patience` consecutive epochs bring no
#   progress, the learning rate is multiplied by `lr_decay` (and $L^\star$ kept); once it
#   has been decayed `n_lr_decays` times, the next such stall means *converged*: the model
#   is frozen with the parameters of its lowest loss $\min_t L_t$ and removed from
#   training. A model that reaches `max_epochs` first is kept as it is, and counted as
#   *not converged*.
#
# With this run's values, a model converges when its loss has improved by less than a
# fraction {glue:text}`ae_tol:g` in {glue:text}`ae_patience:d` consecutive epochs at a
# learning rate of {glue:text}`ae_lr_final:g` (the initial {glue:text}`ae_lr:g` decayed
# {glue:text}`ae_n_decays:d` times), within {glue:text}`ae_max_epochs:d` epochs; each
# pairing gets {glue:text}`ae_restarts:d` restarts.
#
# Why not start faster? A larger initial learning rate needs fewer epochs, and most
# pairings still reach the same loss; but on pairings with a ReLU decoder it changes which
# minimum the *best* restart lands in, and the best restart is the one this study reports.
# Even at the same loss the synergies can differ, because several sets of weights
# reconstruct the data equally well. The measurements are in the {doc}`benchmarks`
# (measured on protocol v1's clean data at $N$ = 2-3; the learning-rate variants of
# {doc}`08_robustness` check it on the realistic data): a faster study is not worth a
# different answer. {doc}`08_robustness` reruns the whole study at a rate ten times
# larger and shows which verdicts move.

# %%
ae_config = config.autoencoder
training_parameters = pd.DataFrame(ae_config.as_table(), columns=["parameter", "value", "description", "source"])
with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.max_colwidth", None):
    display(training_parameters.set_index("parameter"))

# %% tags=["remove-cell"]
glue_values(chapter.training_values(ae_config))

# %% [markdown]
# ## Did training converge?
#
# The figure below follows the training loss of the kept restart of every pairing for
# the example participant (both axes logarithmic). Each line ends where the model
# stopped: at convergence, or at `max_epochs`. A long plateau followed by a sudden drop,
# where it occurs, is why the stopping rule waits `patience` epochs and decays the
# learning rate before it declares a model converged.

# %% mystnb={"figure": {"caption": "Training loss of the kept restart of each of the 16 pairings for the example participant: mean squared error against the epoch (epoch 0 drawn at 1), both axes logarithmic. The colour gives the decoder and the line style the encoder; each line ends where its model stopped."}}
table = chapter.pairing_table(results)
fig, ax = plot_convergence(
    shown.ae_loss_history,
    epochs=np.maximum(shown.ae_loss_epochs, 1),  # epoch 0 drawn at 1 on the log axis
    labels=list(shown.pairings),
    title=f"Participant {shown.index}: training loss of the kept restart (N = {shown.n_synergies})",
    legend="outside right center",
)
fig.set_size_inches(9.0, 4.4)
ax.set_xscale("log")
plt.show()

# %% [markdown]
# Across all participants, the number of epochs the kept restart needed, pairing by
# pairing (open squares: stopped by `max_epochs` before converging):

# %% mystnb={"figure": {"caption": "Epochs the kept restart of each pairing trained for (logarithmic axis), one point per participant, spread sideways only to be seen: filled blue circles met the stopping rule, open vermillion squares stopped at `max_epochs` (dashed line) without converging."}}
fig, ax = chapter.plot_epochs_per_pairing(
    table,
    max_epochs=ae_config.max_epochs,
    log=True,
    title=f"Epochs of the kept restart, {len(results)} participants",
)
plt.show()

# %% tags=["remove-cell"]
glue_values(chapter.convergence_values(results, table))

# %% [markdown]
# Of the {glue:text}`n_models:d` kept models ({glue:text}`n_participants:d` participants
# $\times$ 16 pairings), {glue:text}`share_converged:.0%` met the stopping rule;
# {glue:text}`n_pairings_all_converged:d` of the 16 pairings converged for every
# participant. The median model stopped after {glue:text}`median_epochs:.0f` epochs.
# A model that did not converge is still used in what follows, with the parameters of
# its lowest loss: the figures show which ones they are.
#
# ## Reconstruction
#
# How well does each pairing reconstruct the EMG? The centred $R^2$
# ($1 - \mathrm{SSE}/\mathrm{SST}$ with SST taken around each muscle's mean, as for NMF in
# {doc}`03_nmf`) on the training repetitions and on the held-out repetition, averaged
# over participants:

# %% mystnb={"figure": {"caption": "Mean centred $R^2$ over participants of each pairing, encoder activation on the rows and decoder activation on the columns, on the training repetitions (left) and on the held-out repetition (right). Both panels share one colour scale; NMF's mean is in each title."}}
recon = chapter.reconstruction_table(results)
means = recon.groupby("model", sort=False)[["r2_train", "r2_test"]].mean()
nmf_means = means.loc["NMF"]
pairing_means = means.drop(index="NMF")
labels = [chapter.ACTIVATION_LABELS[a] for a in ACTIVATIONS]
fig, axes = plot_pairing_matrices(
    [chapter.pairing_matrix(pairing_means[column]) for column in ["r2_train", "r2_test"]],
    labels,
    labels,
    titles=[f"{name} R² (NMF: {nmf_means[column]:.3f})"
            for column, name in [("r2_train", "training"), ("r2_test", "held-out")]],
    colorbar_label="mean R² (centred)",
)
plt.show()

# %% [markdown]
# The same numbers with their spread across participants (mean ± sd), NMF first as the
# reference:

# %%
chapter.mean_sd_table(recon, {"r2_train": "R² training", "r2_test": "R² held-out"}, digits=3)

# %% tags=["remove-cell"]
glue_values(chapter.reconstruction_values(recon))

# %% [markdown]
# On held-out data the best pairing on average is {glue:text}`best_test_pairing`
# ($R^2$ = {glue:text}`best_test_r2:.3f`, against {glue:text}`nmf_r2_test:.3f` for NMF),
# the worst {glue:text}`worst_test_pairing` ({glue:text}`worst_test_r2:.3f`);
# {glue:text}`n_above_nmf_test:d` of the 16 pairings reach NMF's mean. With the same
# number of synergies an autoencoder has more freedom than NMF in some ways (no sign
# constraint, a decoder bias, a non-linear output) and less in another: NMF chooses the
# activations of every sample freely, while the autoencoder must compute them from the
# sample with one layer, $f_\mathrm{enc}(W_e x + b_e)$, which is also what lets it encode
# held-out data without refitting. Which of these wins depends on the activation
# functions. The largest mean drop from training to held-out data is
# {glue:text}`max_gap:.3f`, for {glue:text}`max_gap_pairing` (NMF:
# {glue:text}`nmf_gap:.3f`): the held-out repetition is a new execution of the same
# movements, and a bottleneck of $N$ units leaves little room to fit the noise of the
# training repetitions.
#
# ### At the true N, and the limit of a linear decoder
#
# The same means at the true $N$, beside those at the rule's $N$, with centred PCA of
# the same $N$ as a reference (`metrics_table(..., pca=True)`):

# %%
tables = {"rule": metrics_table(results, pca=True), "true": metrics_table(results_true, pca=True)}
display(two_n_table(tables, ["r2_train", "r2_test"]).round(3))

# %% tags=["remove-cell"]
glue_values({f"{key}_{n}": value for n, t in tables.items()
             for key, value in chapter.pca_limit_values(t).items()})

# %% [markdown]
# A pairing with a linear decoder reconstructs $\hat x = W h + b$, an affine function of
# $N$ numbers, whatever its encoder. The best such reconstruction of the training data
# in the least-squares sense is centred PCA with $N$ components (the Eckart-Young
# theorem): $R^2 =$ {glue:text}`pca_r2_train_rule:.3f` at the rule's $N$ and
# {glue:text}`pca_r2_train_true:.3f` at the true $N$. The four linear-decoder pairings
# reach between {glue:text}`linear_decoder_r2_min_rule:.3f` and
# {glue:text}`linear_decoder_r2_max_rule:.3f` at the rule's $N$
# ({glue:text}`n_at_pca_limit_rule` of them within 0.002 of PCA): where a pairing sits
# at that limit, its training loss is PCA's, and its synergies can be any basis of
# PCA's subspace (a matter for {doc}`05_comparison`). Only a non-linear decoder can
# reconstruct the training data better than PCA.
#
# ## Restarts
#
# Restarts guard against bad local minima. How much do they matter? Each grey point is
# one restart of one participant, its final loss divided by that of the kept restart
# (so the kept one sits at 1); the bar is the median, over participants, of the worst
# restart.

# %% mystnb={"figure": {"caption": "Final training loss of every restart divided by the kept restart's loss (logarithmic axis), per pairing: grey points are the restarts of every participant, black bars the median over participants of the worst restart."}}
restarts = chapter.restart_table(results)
fig, ax = chapter.plot_restart_spread(restarts, title="Final training loss of every restart")
plt.show()

# %% tags=["remove-cell"]
glue_values(chapter.restart_values(restarts))

# %% [markdown]
# {glue:text}`share_within_1pct:.0%` of the restarts that were not kept ended within 1 %
# of the kept restart's loss. The restarts matter most for {glue:text}`most_spread_pairing`,
# whose worst restart typically ends {glue:text}`most_spread_ratio:.2f` times higher, and
# least for {glue:text}`least_spread_pairing`. Pairings with a ReLU on either side can
# lose units for good (a dead synergy or a silent muscle), which one restart may do and
# another not: that is where restarts pay.
#
# ## The synergies of the example participant
#
# One figure per encoder, one panel per decoder, and in each panel one bar chart per
# synergy: the autoencoder's weights (blue; negative weights vermillion
# and hatched) next to the NMF synergy they were matched to (grey). The matching is the
# optimal one-to-one assignment on the *signed* cosine similarity
# {cite}`kuhn1955hungarian` (`synergylib.metrics.match_synergies`); the cosine of each
# pair is in its title. A synergy whose activation is zero on every training sample is
# marked "dead unit".

# %% mystnb={"figure": {"caption": "Synergies of the example participant for the four pairings of one encoder, one figure per encoder and one panel per decoder. In each panel one bar chart per synergy gives the autoencoder's weight of every muscle (blue; negative weights vermillion and hatched) beside the NMF synergy it was matched to (grey); the signed cosine of each pair is in its title."}}
for encoder in ACTIVATIONS:
    fig, matches = chapter.plot_pairing_synergies(
        shown,
        [p for p in shown.pairings if p.startswith(encoder + "+")],
        ncols=2,
        title=f"Participant {shown.index}, {chapter.ACTIVATION_LABELS[encoder]} encoder: "
        f"synergies matched to NMF's (N = {shown.n_synergies})",
    )
    plt.show()

# %% [markdown]
# Signs, dead units and silent muscles, pairing by pairing (means over participants;
# dead synergies and silent muscles are counts per participant):

# %%
sign_columns = {
    "negative_weight_share": "share of negative weights",
    "negative_mass_share": "share of negative weight mass",
    "nmf_mean_cosine": "mean cosine to NMF",
    "dead_synergies": "dead synergies",
    "silent_muscles": "silent muscles",
}
signs = table.groupby("pairing", sort=False)[list(sign_columns)].mean()
signs.rename(columns=sign_columns).round(2)

# %% tags=["remove-cell"]
glue_values(chapter.synergy_values(results, table))

# %% [markdown]
# What the figure and the table show:
#
# - **Negative weights.** Without a non-negativity constraint,
#   {glue:text}`n_pairings_negative:d` of the 16 pairings have negative weights for at
#   least one participant; on average they make up from
#   {glue:text}`least_negative_share:.0%` of the weights ({glue:text}`least_negative_pairing`)
#   to {glue:text}`most_negative_share:.0%` ({glue:text}`most_negative_pairing`).
#   Negative weights are not noise: with a bias
#   $b_d$ in the decoder, a synergy can *lower* some muscles while raising others, and
#   with non-negative activations (ReLU, sigmoid encoders) that is the only way a synergy
#   can say "less of this muscle".
# - **Mirrored synergies.** With a linear, tanh or sigmoid encoder, a synergy and its
#   mirror image fit equally well, so a matched pair can have a cosine near $-1$: the same muscle
#   pattern, upside down. The linear+linear network, which can only find the subspace
#   the synergies span, has a mean cosine of {glue:text}`linlin_cosine:.2f` with NMF's
#   synergies (averaged over participants); the closest pairing on average is
#   {glue:text}`closest_pairing` ({glue:text}`closest_cosine:.2f`), the farthest
#   {glue:text}`farthest_pairing` ({glue:text}`farthest_cosine:.2f`).
# - **Dead ReLU units.** {glue:text}`share_relu_enc_dead:.0%` of the models with a ReLU
#   encoder have at least one dead synergy (for the other encoders:
#   {glue:text}`share_other_enc_dead:.0%`); such a model works with fewer synergies than
#   NMF, and its dead synergy's weights are whatever they were when the unit died.
#   {glue:text}`share_relu_dec_silent:.0%` of the models with a ReLU decoder leave at
#   least one muscle silent (other decoders: {glue:text}`share_other_dec_silent:.0%`), and
#   {glue:text}`relu_dec_zero_share:.0%` of their reconstructed values are exactly zero.
#   Where a phasic envelope falls to zero between bursts, exact zeros are plausible; a
#   muscle that stays at zero throughout is not.
#
# All of this happens with $N$ between {glue:text}`n_syn_min:d` and
# {glue:text}`n_syn_max:d` synergies, the numbers NMF's $R^2$ rule chose, while the
# synthetic data were generated from {glue:text}`n_true:d` synergies ({doc}`03_nmf`);
# $N$ is below the truth for {glue:text}`n_below_true:d` of the
# {glue:text}`n_participants:d` participants. Where $N$ is below the truth, some
# extracted synergies stand for a blend of true ones, and a blend can be drawn in more
# than one way; the second run, at the true $N$, removes that excuse, and
# {doc}`05_comparison` measures the differences at both, across all participants, and
# tests the paper's claims with them.

# %% [markdown]
# ## Summary
#
# - An autoencoder's synergies are its decoder columns scaled to unit norm, and its
#   activations the encoder outputs. Nothing constrains their sign: of the four encoder
#   activations only ReLU fixes it, and a linear, tanh or sigmoid encoder leaves every
#   synergy free to come out mirrored.
# - Trained full batch with Adam, restarts and a plateau rule,
#   {glue:text}`share_converged:.0%` of the {glue:text}`n_models:d` kept models met the
#   stopping rule, and {glue:text}`share_within_1pct:.0%` of the other restarts ended
#   within 1 % of the kept one's loss; the restarts matter most for
#   {glue:text}`most_spread_pairing`.
# - On the held-out repetition the best pairing, {glue:text}`best_test_pairing`, reaches
#   $R^2$ = {glue:text}`best_test_r2:.3f` against {glue:text}`nmf_r2_test:.3f` for NMF,
#   and {glue:text}`n_above_nmf_test:d` of the 16 pairings reach NMF's mean. With a
#   linear decoder no pairing can reconstruct the training data better than PCA of the
#   same $N$ ($R^2$ = {glue:text}`pca_r2_train_rule:.3f` at the rule's $N$).
# - The synergies carry the marks of their architecture: negative weights in
#   {glue:text}`n_pairings_negative:d` of the 16 pairings (for at least one participant),
#   mirrored synergies, and a dead unit in {glue:text}`share_relu_enc_dead:.0%` of the
#   models with a ReLU encoder. Their mean cosine with NMF's synergies runs from
#   {glue:text}`farthest_cosine:.2f` ({glue:text}`farthest_pairing`) to
#   {glue:text}`closest_cosine:.2f` ({glue:text}`closest_pairing`).
# - {doc}`05_comparison` takes the kept model of every pairing, at the rule's $N$ and at
#   the true $N$, measures its synergies against the ground truth and against NMF's,
#   each beside its chance level, and tests the paper's three claims with them; the
#   restarts that end at the kept one's loss with other synergies come back there as
#   the equal-loss restarts.

# %% [markdown]
# ## Exercises

# %% [markdown]
# ```{exercise} train one pairing yourself
# :label: ex-autoencoders-1
# Train a `relu+tanh` autoencoder with
# `synergylib.autoencoder.SynergyAutoencoder` on the training matrix of the example
# participant (`shown`), with the same $N$ and a seed of your own, and compare its
# training $R^2$ and its synergies (matched with `synergylib.metrics.match_synergies`)
# with the cached model's. Then put its $R^2$ beside those of the study's own restarts
# (`shown.model("relu+tanh", restart=r)` rebuilds restart `r`): did your model end in the
# kept model's minimum, or in another one? And does the same loss mean the same synergies?
# ```

# %% [markdown]
# ```{solution-start} ex-autoencoders-1
# :class: dropdown
# ```

# %%
from synergylib.autoencoder import SynergyAutoencoder
from synergylib.metrics import match_synergies

res, name = shown, "relu+tanh"
i = res.pairing_index(name)
X = res.train.T  # (n_samples, n_muscles), the sklearn layout
# one restart from seed 1 (the study's come from another seed), trained as the study trains
ae = SynergyAutoencoder(res.n_synergies, encoder="relu", decoder="tanh", n_restarts=1,
                        random_state=1, **config.autoencoder.training_params()).fit(X)
study_r2 = np.array([res.model(name, restart=r).score(X) for r in range(res.ae_restart_losses.shape[1])])
losses = res.ae_restart_losses[i]  # final training loss of each of the study's restarts
n_equal = int(np.sum(losses <= 1.01 * losses.min()))  # within 1 % of the kept restart's loss
landed = ("the kept model's loss (within 1 %)" if ae.restart_losses_.min() <= 1.01 * losses.min()
          else "a higher loss, another minimum" if ae.converged_ else "a higher loss, not converged")
cosines = match_synergies(res.ae_synergies[i], ae.synergies_).cosine
n_similar = int(np.sum(cosines >= 0.8))
print(f"seed 1, one restart: R² = {ae.r2_:.3f} after {ae.n_epochs_:d} epochs (converged: {ae.converged_})")
print(f"the cached model, best of the study's {study_r2.size:d} restarts: R² = {res.ae_r2_train[i]:.3f}")
print("the study's restarts: R² = " + " ".join(f"{r2:.3f}" for r2 in study_r2))
print(f"{n_equal:d} of them within 1 % of the kept loss; the lowest R² {study_r2.min():.3f}")
print(f"the new model ended at {landed}")
print("cosines of its synergies to the cached ones: " + " ".join(f"{c:.2f}" for c in cosines)
      + f" (mean {cosines.mean():.2f}; {n_similar:d} of {cosines.size:d} at 0.8 or more)")

# %% tags=["remove-cell"]
glue_values({"ex_ae_1_r2": ae.r2_, "ex_ae_1_kept": res.ae_r2_train[i], "ex_ae_1_n_restarts": study_r2.size,
             "ex_ae_1_n_equal": n_equal, "ex_ae_1_lowest": study_r2.min(), "ex_ae_1_landed": landed,
             "ex_ae_1_mean_cosine": cosines.mean(), "ex_ae_1_n_similar": n_similar,
             "ex_ae_1_n_synergies": cosines.size})

# %% tags=["skip-execution"]
# skip-execution: trains relu+tanh to convergence from three restarts, minutes on 2 cores
res, name = shown, "relu+tanh"
i = res.pairing_index(name)
X = res.train.T
ae = SynergyAutoencoder(res.n_synergies, encoder="relu", decoder="tanh", n_restarts=3,
                        random_state=1, **config.autoencoder.training_params()).fit(X)
print(f"seed 1, best of {ae.n_restarts:d} restarts: R² = {ae.r2_:.3f} after {ae.n_epochs_:d} epochs "
      f"(converged: {ae.converged_}); cached: R² = {res.ae_r2_train[i]:.3f}")
print("final loss of each restart over the cached model's: "
      + " ".join(f"{loss / res.ae_restart_losses[i].min():.3f}" for loss in ae.restart_losses_))
cosines = match_synergies(res.ae_synergies[i], ae.synergies_).cosine
print("cosines of its synergies to the cached ones: " + " ".join(f"{c:.2f}" for c in cosines))

# %% [markdown]
# The first cell is the classroom size: one restart, trained as the study trains, which
# takes about as long as the library's trainer in the plain PyTorch section above. With
# the book's parameters it prints $R^2$ = {glue:text}`ex_ae_1_r2:.3f` for the restart
# from seed 1 against {glue:text}`ex_ae_1_kept:.3f` for the cached model: the new model
# ended at {glue:text}`ex_ae_1_landed`. Where one restart ends is a matter of its
# initial weights. The cached model is the best of the study's
# {glue:text}`ex_ae_1_n_restarts:d` restarts, and only
# {glue:text}`ex_ae_1_n_equal:d` of them ended within 1 % of its loss; the others
# stopped in local minima, the lowest at $R^2$ = {glue:text}`ex_ae_1_lowest:.3f`. A
# model trained once (or three times) can end in such a minimum, and then its $R^2$ is
# lower for no other reason than its initial weights: that is what the study's
# restarts guard against.
#
# The same loss does not mean the same synergies. The matched cosines between the new
# model's synergies and the cached ones average {glue:text}`ex_ae_1_mean_cosine:.2f`,
# and {glue:text}`ex_ae_1_n_similar:d` of the {glue:text}`ex_ae_1_n_synergies:d` pairs
# reach the 0.8 at which two synergies are usually called similar: `relu+tanh` has
# several minima of practically the same depth with different synergies, and which one
# a training ends in depends on where it starts. {doc}`05_comparison` scores every
# restart that ends within 1 % of the best loss (the equal-loss restarts), and
# {doc}`09_identifiability` asks why they differ.
#
# The second cell is the full version, not executed with the book because it trains
# for minutes on 2 cores: three restarts from seed 1, the best one kept, as the study
# keeps the best of ten. It prints the same comparison, and the final loss of every
# restart over the cached model's, where a restart that ended in a local minimum shows
# as a ratio well above 1.
#
# ```{solution-end}
# ```

# %% [markdown]
# ```{exercise} constrain after the fact
# :label: ex-autoencoders-2
# Set the negative weights of the `relu+tanh`
# synergies of the example participant to zero, keep the activations and the decoder bias,
# and recompute the training $R^2$. How much reconstruction did the negative weights
# buy? Repeat for `linear+linear`.
# ```

# %% [markdown]
# ```{solution-start} ex-autoencoders-2
# :class: dropdown
# ```

# %%
from synergylib.autoencoder import decode
from synergylib.metrics import r2_score

res, signed, clipped, negative = shown, {}, {}, {}
for name in ["relu+tanh", "linear+linear"]:
    i = res.pairing_index(name)
    W = np.clip(res.ae_synergies[i], 0, None)  # non-negative synergies
    X_hat = decode(res.ae_activations_train[i].T, W, res.ae_decoder_bias[i], name.split("+")[1]).T
    signed[name], clipped[name] = res.ae_r2_train[i], r2_score(res.train, X_hat, muscle_axis=0)
    negative[name] = np.mean(res.ae_synergies[i] < 0)
    print(f"{name}: R² = {signed[name]:.3f} with its negative weights ({negative[name]:.0%} of the "
          f"weights), {clipped[name]:.3f} without: they buy {signed[name] - clipped[name]:.3f}")

# %% tags=["remove-cell"]
glue_values({f"ex_ae_2_{name.replace('+', '_')}_{what}": value
             for name in signed
             for what, value in [("signed", signed[name]), ("clipped", clipped[name]),
                                 ("gain", signed[name] - clipped[name]), ("negative", negative[name])]})

# %% [markdown]
# With the book's parameters it prints, for `relu+tanh`, $R^2$ =
# {glue:text}`ex_ae_2_relu_tanh_signed:.3f` with its negative weights
# ({glue:text}`ex_ae_2_relu_tanh_negative:.0%` of the weights) and
# {glue:text}`ex_ae_2_relu_tanh_clipped:.3f` without them, and for `linear+linear`
# {glue:text}`ex_ae_2_linear_linear_signed:.3f` and
# {glue:text}`ex_ae_2_linear_linear_clipped:.3f`
# ({glue:text}`ex_ae_2_linear_linear_negative:.0%` of the weights negative): the
# negative weights buy {glue:text}`ex_ae_2_relu_tanh_gain:.3f` and
# {glue:text}`ex_ae_2_linear_linear_gain:.3f` of $R^2$. An $R^2$ below 0 means a
# reconstruction worse than each muscle's mean. The negative weights are not a small
# correction on top of a non-negative model: the activations and the decoder bias were
# trained together with them (a bias that raises the muscles, synergies that lower some
# of them while raising others), and without them the rest no longer adds up. A
# non-negative model has to be trained as one, like NMF, not obtained by clipping a
# signed one.
#
# ```{solution-end}
# ```

# %% [markdown]
# ```{exercise} compare restarts
# :label: ex-autoencoders-3
# Train `tanh+tanh` on the example participant with five different
# seeds (`n_restarts=1`, `random_state=0, ..., 4`) and match each model's synergies to
# the first one's: with the signed cosine (`synergylib.metrics.match_synergies`), with
# the cosine that ignores the sign (`synergylib.similarity.match_abs`) and with the
# similarity of the subspaces they span (`synergylib.similarity.subspace_similarity`).
# Do the restarts find the same synergies up to sign? Do the same for `relu+relu`. Why
# can a matched cosine be close to $-1$ for `tanh+tanh` but not for `relu+relu`? (In
# class, take the restarts the study trained instead:
# `shown.model("tanh+tanh", restart=r)` rebuilds restart `r`.)
# ```

# %% [markdown]
# ```{solution-start} ex-autoencoders-3
# :class: dropdown
# ```

# %%
from synergylib.metrics import match_synergies
from synergylib.similarity import match_abs, subspace_similarity

res, summary = shown, {}
for name in ["tanh+tanh", "relu+relu"]:
    losses = res.ae_restart_losses[res.pairing_index(name)]
    first = res.model(name, restart=0).synergies_
    signed, unsigned, subspace = [], [], []
    print(f"{name}, the study's restarts against restart 0:")
    for r in range(1, losses.size):
        W = res.model(name, restart=r).synergies_
        signed.append(match_synergies(first, W).cosine)
        unsigned.append(match_abs(first, W).mean_cosine)
        subspace.append(subspace_similarity(first, W))
        print(f"  restart {r:d}: loss {losses[r] / losses[0]:.3f} x restart 0's, cosines "
              + " ".join(f"{c:+.2f}" for c in signed[-1])
              + f", |cos| {unsigned[-1]:.2f}, subspace {subspace[-1]:.3f}")
    signed = np.concatenate(signed)
    summary[name] = {"n_equal": int(np.sum(np.abs(losses[1:] / losses[0] - 1) <= 0.01)),
                     "n_others": losses.size - 1, "cosine": signed.mean(), "lowest": signed.min(),
                     "abs_cosine": np.mean(unsigned), "subspace": np.mean(subspace)}
    s = summary[name]
    print(f"  {s['n_equal']:d} of {s['n_others']:d} within 1 % of restart 0's loss; mean cosine "
          f"{s['cosine']:.2f} (lowest {s['lowest']:+.2f}), mean |cos| {s['abs_cosine']:.2f}, "
          f"mean subspace similarity {s['subspace']:.3f}")

# %% tags=["remove-cell"]
glue_values({f"ex_ae_3_{name.replace('+', '_')}_{key}": value
             for name, s in summary.items() for key, value in s.items()})

# %% tags=["skip-execution"]
# skip-execution: trains tanh+tanh and relu+relu to convergence five times each, over ten minutes on 2 cores
from synergylib.autoencoder import SynergyAutoencoder

X, N = shown.train.T, shown.n_synergies
for name in ["tanh+tanh", "relu+relu"]:
    encoder, decoder = name.split("+")
    models = [SynergyAutoencoder(N, encoder=encoder, decoder=decoder, n_restarts=1, random_state=seed,
                                 **config.autoencoder.training_params()).fit(X) for seed in range(5)]
    first, loss0 = models[0].synergies_, models[0].restart_losses_[0]
    print(f"{name}, seeds 1-4 against seed 0:")
    for seed, m in enumerate(models[1:], start=1):
        cosines = match_synergies(first, m.synergies_).cosine
        print(f"  seed {seed:d}: loss {m.restart_losses_[0] / loss0:.3f} x seed 0's, cosines "
              + " ".join(f"{c:+.2f}" for c in cosines)
              + f", |cos| {match_abs(first, m.synergies_).mean_cosine:.2f}, "
              f"subspace {subspace_similarity(first, m.synergies_):.3f}")

# %% [markdown]
# The first cell is the classroom size: it trains nothing and compares the restarts
# the study already trained for the example participant, from other initial weights
# of the same kind. With the book's parameters, {glue:text}`ex_ae_3_tanh_tanh_n_equal:d`
# of the {glue:text}`ex_ae_3_tanh_tanh_n_others:d` other restarts of `tanh+tanh` end
# within 1 % of restart 0's loss, yet their synergies are not restart 0's, even up to
# sign: the matched cosine averages {glue:text}`ex_ae_3_tanh_tanh_cosine:.2f` and the
# cosine that ignores the sign only {glue:text}`ex_ae_3_tanh_tanh_abs_cosine:.2f`. What
# they share is the subspace (mean similarity
# {glue:text}`ex_ae_3_tanh_tanh_subspace:.3f`, 1 for the same span): the restarts find
# different bases of one subspace, as `linear+linear` does. Any mixing of the synergies
# undone in the activations leaves the decoder's output unchanged, and on these data the
# inputs of the tanh encoder stay in the near-linear part of tanh, where the encoder can
# undo a mixing almost as well as a linear one. `relu+relu` is another story: only
# {glue:text}`ex_ae_3_relu_relu_n_equal:d` of its
# {glue:text}`ex_ae_3_relu_relu_n_others:d` other restarts end within 1 % of restart
# 0's loss (the others end at losses that differ from it by large factors, up or down:
# with a ReLU on both sides a restart can lose units or muscles for good, and which ones
# it loses depends on where it starts), and their synergies share less of their
# subspace too (mean similarity
# {glue:text}`ex_ae_3_relu_relu_subspace:.3f`, matched cosine
# {glue:text}`ex_ae_3_relu_relu_cosine:.2f`).
#
# Why a cosine can be close to $-1$ for one pairing and not for the other is the
# symmetry of {ref}`ex-autoencoders-4`: tanh is odd, so flipping a synergy, its encoder
# row and its bias leaves the network unchanged and a restart can land on the mirror
# image of another's synergy; a ReLU encoder's activations are non-negative, so a
# mirrored synergy is another model, with another loss. Can is not will: the lowest
# matched cosine of `tanh+tanh` here is {glue:text}`ex_ae_3_tanh_tanh_lowest:+.2f`, far
# from $-1$, because the restarts differ by far more than a sign.
#
# The second cell is the full version of the exercise, not executed with the book
# because it trains ten models to convergence, over ten minutes on 2 cores: five seeds
# per pairing, each seed's model against seed 0's, printed as above.
#
# ```{solution-end}
# ```

# %% [markdown]
# ```{exercise} the mirror symmetry, exactly
# :label: ex-autoencoders-4
# Flipping the sign of a synergy $w_k$ *and* of its activation $h_k$ never changes the
# product $W h$, whatever the pairing. The question is whether the network can produce the
# flipped activation. For the `tanh+tanh` model of the example participant, flip the sign of
# the first synergy's encoder row, its encoder bias and its decoder column
# (`ParticipantResult.model` rebuilds the trained network; its `encoder_weights_`,
# `encoder_bias_` and `synergies_` are those parameters), and measure how much the
# network's reconstruction of the training data changes. Do the same for `relu+tanh`.
# Why is the mirrored network the same function for one pairing and not for the other?
# ```

# %% [markdown]
# ```{solution-start} ex-autoencoders-4
# :class: dropdown
# ```

# %%
res, X, flipped = shown, shown.train.T, {}
for name in ["tanh+tanh", "relu+tanh"]:
    model = res.model(name)  # a copy: the stored result is left as it is
    before, r2_before = model.reconstruct(X), model.score(X)
    model.encoder_weights_[0] *= -1  # encoder row of synergy 1
    model.encoder_bias_[0] *= -1
    model.synergies_[:, 0] *= -1  # its decoder column
    flipped[name] = {"change": np.abs(model.reconstruct(X) - before).max(),
                     "r2_before": r2_before, "r2_after": model.score(X)}
    print(f"{name}: largest change of the reconstruction {flipped[name]['change']:.2g}; "
          f"R² = {r2_before:.3f} before the flip, {flipped[name]['r2_after']:.3f} after")

# %% tags=["remove-cell"]
glue_values({f"ex_ae_4_{name.replace('+', '_')}_{key}": value
             for name, f in flipped.items() for key, value in f.items()})

# %% [markdown]
# With the book's parameters the reconstruction of `tanh+tanh` changes by at most
# {glue:text}`ex_ae_4_tanh_tanh_change:.2g` (its $R^2$ stays at
# {glue:text}`ex_ae_4_tanh_tanh_r2_after:.3f`), while that of `relu+tanh` changes by up
# to {glue:text}`ex_ae_4_relu_tanh_change:.2g` and its $R^2$ falls from
# {glue:text}`ex_ae_4_relu_tanh_r2_before:.3f` to
# {glue:text}`ex_ae_4_relu_tanh_r2_after:.3f`. tanh is odd, $\tanh(-z) = -\tanh(z)$: the
# flipped encoder outputs exactly $-h_1$, the flipped decoder column turns it back, and
# the network computes the same function, so the mirror image of a tanh-encoder synergy
# is as good a solution as the original. A ReLU encoder outputs
# $\mathrm{relu}(-z)$, not $-\mathrm{relu}(z)$: where the unit was active it is now
# silent and the other way round, so the flipped network is another function, with
# another loss, and a ReLU-encoder synergy has no mirror image among the equal-loss
# solutions.
#
# ```{solution-end}
# ```
