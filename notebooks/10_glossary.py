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
# # Glossary and choices
#
# The terms the chapters use, then every choice the replication had to make, with where
# its value comes from. The chapters link here; {doc}`protocol` gives the reasons.
#
# ## Glossary
#
# ```{glossary}
# activation
#   The time course $h_k(t) \ge 0$ of a synergy: how strongly synergy $k$ is recruited at
#   each sample. In NMF the rows of $H$; in an autoencoder the outputs of the encoder,
#   scaled by the norms of the decoder's columns ({doc}`04_autoencoders`).
#
# autoencoder
#   A neural network trained to reproduce its input through a narrow layer: here
#   $\hat x = f_\mathrm{dec}(W_d\, f_\mathrm{enc}(W_e x + b_e) + b_d)$, with a bottleneck of
#   $N$ units ({doc}`04_autoencoders`).
#
# chance level
#   The value a similarity takes for random synergies of the same number, matched the
#   same way: a score is informative only as far above it as it sits
#   ({doc}`05_comparison`).
#
# cosine similarity
#   $\cos(w, v) = w^\top v / (\lVert w\rVert \lVert v\rVert)$ between two synergy vectors;
#   1 for the same direction. Two sets of synergies are compared after the one-to-one
#   matching that maximises the mean cosine (the Hungarian algorithm).
#
# decision rule
#   A test fixed before the results it judges, that says whether one of the paper's
#   claims holds. Its **false-positive rate** (how often it says "holds" on simulated
#   data where the claim is false) and its **power** (how often it says so where the
#   claim is true) are measured and printed beside it ({doc}`05_comparison`).
#
# decoder
#   The second layer of an autoencoder, from the $N$ units back to the $M$ muscles; its
#   weights $W_d$, with unit-norm columns, are the autoencoder's synergies.
#
# encoder
#   The first layer of an autoencoder, from the $M$ muscles to the $N$ units; its outputs
#   are the activations.
#
# envelope
#   The slow amplitude of an EMG signal: band-passed, rectified and low-pass filtered
#   ({doc}`02_preprocessing`).
#
# equal-loss restarts
#   The restarts of one pairing whose final training loss is within 1 % of its best:
#   equally good fits of the data, which may carry different synergies
#   ({doc}`05_comparison`, {doc}`09_identifiability`).
#
# ground truth
#   The synergies and activations that generated the synthetic data: known here, never
#   in a real recording ({doc}`01_data`).
#
# held-out repetition
#   The tenth execution of every movement, kept out of training and used to test how well
#   a model reconstructs data it has not seen.
#
# Holm correction
#   A correction of several p-values for multiple comparisons: the $i$-th smallest of
#   $m$ is multiplied by $m - i + 1$ (and kept non-decreasing).
#
# identifiability
#   Whether the data determine a model's synergies: they do not when other weights
#   compute the same function with other synergies ({doc}`09_identifiability`).
#
# muscle synergy
#   A fixed pattern of co-activation of several muscles, $w_k \in \mathbb{R}^M$, recruited
#   as a unit; the EMG is modelled as a combination $x(t) \approx \sum_k w_k h_k(t)$ of a
#   few of them.
#
# NMF
#   Non-negative matrix factorisation: $X \approx W H$ with $W, H \ge 0$, the standard way
#   to extract synergies ({doc}`03_nmf`).
#
# number of synergies
#   $N$: chosen for each participant as the smallest number whose NMF reconstruction
#   reaches $R^2 \ge 0.80$ (the rule's $N$), or set to the number that generated the
#   synthetic data (the true $N$).
#
# pairing
#   One choice of encoder and decoder activation functions among linear, ReLU, sigmoid
#   and tanh, written `encoder+decoder`: 16 pairings.
#
# phasic EMG
#   The envelope minus its tonic part, a straight line between the mean levels before
#   and after the movement, with negative values set to zero ({doc}`02_preprocessing`).
#
# R²
#   The share of the variance around each muscle's mean that a reconstruction explains,
#   $R^2 = 1 - \sum (x - \hat x)^2 / \sum (x - \bar x)^2$ (centred).
#
# restart
#   One training of a model from other random initial weights; the restart with the
#   lowest training loss is kept.
#
# stance and swing
#   The two phases of a gait cycle: the foot on the ground, then in the air
#   ({doc}`06_walking`).
#
# subspace similarity
#   A similarity of two sets of synergies that ignores which basis spans their subspace:
#   the mean squared cosine of their principal angles.
#
# VAF
#   Variance accounted for, $1 - \sum (x - \hat x)^2 / \sum x^2$: like $R^2$ but around
#   zero instead of the mean (uncentred), so higher for the same fit.
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
# Parameters (papermill overrides them when the book is built).
quick = False
cache_dir = "results"

# %% [markdown]
# ## What we had to choose
#
# Where the abstract is silent we followed the research group's earlier public code and
# papers, and where they are silent too we chose. Every choice is a parameter of the library;
# the table below is generated from the library's defaults, so it cannot drift from the
# code. *Source* says where each value comes from: **paper** (the abstract), **group** (the
# group's earlier work), or **choice** (ours).

# %%
import pandas as pd

from synergylib.book import glue_values
from synergylib.study import StudyConfig, choices_table

pd.set_option("display.max_colwidth", 120)
choices = choices_table(StudyConfig())
choices.style.hide(axis="index")

# %% tags=["remove-cell"]
counts = choices["source"].value_counts()
glue_values({f"n_{source}": int(counts.get(source, 0)) for source in ("paper", "group", "choice")})

# %% [markdown]
# The table has {glue:text}`n_paper` values fixed by the paper, {glue:text}`n_group` taken
# from the group's practice and {glue:text}`n_choice` of our own. {doc}`01_data` lists the
# generator's parameters with their meaning, {doc}`05_comparison` the choices behind the
# claims' decision rules, and {doc}`06_walking` the choices that real data add.
