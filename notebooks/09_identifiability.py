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
# # Are autoencoder synergies identifiable?
#
# {doc}`04_autoencoders` reads the synergies of an autoencoder off its decoder weights and
# keeps, for every pairing, the restart with the lowest loss; {doc}`05_comparison`
# compares these synergies across the sixteen pairings, as the paper does
# {cite}`brambilla2025tradeoff`. Both take for granted that a trained network *has* one
# set of synergies. Two observations of the book put this in doubt: restarts of one
# pairing often end at practically the same loss with other synergies
# ({doc}`05_comparison`), and {doc}`08_robustness` asked whether the learning rate moves
# where those restarts land. This last chapter asks why: can two networks compute the
# same function, and so reach the same loss, with different synergies? If they can, the
# data cannot tell them apart, training returns one of them by the accident of its
# initial weights, and "the synergies of a pairing" are a set, not a point.
#
# ```{admonition} Learning objectives
# :class: tip
# After this chapter you can
# - write the mixed network $(A W_e, A b_e, W_d A^{-1})$ and say when it computes the
#   same function as the original, for a linear, ReLU, tanh or sigmoid encoder;
# - check numerically, on a trained network, that a mixing leaves the loss unchanged
#   while it changes the synergies;
# - measure how far apart the equal-loss restarts of a pairing are, and what that
#   means for a claim that one pairing gives the most physiological synergies.
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
cache_dir = "results"  # per-participant results, shared with chapters 3 (NMF) to 5 (comparison)
participant_shown = None  # None: a typical participant (comparison.typical_participant)
n_jobs = 1  # participants loaded (or computed) in parallel

# %% tags=["remove-stderr"]
import dataclasses

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from synergylib.book import glue_values
from synergylib.chapters import identifiability as chapter
from synergylib.claims import restart_score, restart_scores
from synergylib.comparison import typical_participant
from synergylib.identifiability import always_on_units, mixed_network, mixing_effect, sign_preserving_mixing
from synergylib.study import StudyConfig, quick_config, run_study

config = quick_config() if quick else StudyConfig()
results = run_study(config, cache_dir=cache_dir, n_jobs=n_jobs, progress=False)  # at the rule's N
participant_shown = typical_participant(results) if participant_shown is None else participant_shown
result = next(r for r in results if r.index == participant_shown)  # the participant whose networks are mixed
X = result.train.T  # samples x muscles, the layout of the networks
N = result.n_synergies
W_true = result.true_synergies

# %% tags=["remove-input"]
if quick:
    display(Markdown(
        "> **Quick build.** This page was built with the small configuration used for "
        f"continuous integration ({config.n_participants} participants, "
        f"{config.autoencoder.n_restarts} restarts, at most {config.autoencoder.max_epochs} "
        "epochs per model). The autoencoders are **not** trained to convergence and have too "
        "few restarts to form equal-loss sets, so the numbers and figures below show that the "
        "chapter runs, not what the study finds."
    ))

# %% tags=["remove-cell"]
glue_values({"participant_shown": participant_shown, "n_shown": N,
             "n_shown_share": np.mean([r.n_synergies == N for r in results])})

# %% [markdown]
# ## The question
#
# The autoencoder of {doc}`04_autoencoders` maps a sample $x$ of the $M$ muscles to
#
# $$
# \hat x = f_\mathrm{dec}\!\left(W_d\, f_\mathrm{enc}(z) + b_d\right), \qquad z = W_e x + b_e ,
# $$
#
# and its synergies are the columns of $W_d$ scaled to unit norm. Take any invertible
# $N \times N$ matrix $A$ and build the **mixed network**
#
# $$
# W_e' = A W_e, \qquad b_e' = A b_e, \qquad W_d' = W_d A^{-1}, \qquad b_d' = b_d .
# $$
#
# Its encoder receives $z' = A z$ and its decoder $W_d A^{-1} f_\mathrm{enc}(A z) + b_d$,
# so it computes the same function as the original network, on every sample, whenever
#
# $$
# f_\mathrm{enc}(A z) = A\, f_\mathrm{enc}(z) \quad \text{for every } z \text{ the data produce.}
# $$
#
# Then its loss is the same, and its synergies, the columns of $W_d A^{-1}$, are
# others. The decoder's activation plays no part: it sees the same input. What decides
# is the encoder:
#
# - **linear**, $f(z) = z$: the condition holds for *every* invertible $A$. Only the
#   span of the synergies is fixed by the data, not the synergies themselves.
# - **ReLU**, $f(z) = \max(z, 0)$: it holds for permutations and positive scalings
#   of the units, which change no synergy (the unit-norm columns are only reordered).
#   It also holds for a non-negative $A$ that mixes only units whose input is positive
#   on *every* sample (*always on*): there ReLU is the identity, and a non-negative
#   combination of positive numbers stays positive. A unit that switches off on some
#   samples cannot be mixed without changing the network there, and a unit that is
#   never on (a dead unit) can be given any synergy at all: its decoder column never
#   reaches the output.
# - **tanh** is odd, $\tanh(-z) = -\tanh(z)$: a sign flip $A = I - 2 e_k e_k^\top$ is
#   exact (the mirror image of a synergy is as good as the synergy). Any other mixing is
#   only approximately invisible, in the near-linear range $\tanh(z) \approx z$ of small
#   inputs, and costs some loss.
# - **sigmoid**, $\sigma(z) = \tfrac12 + \tfrac12 \tanh(z/2)$: a tanh with a rest level
#   $\sigma(0) = \tfrac12$. What mixes is the deviation from rest, so the mixed network
#   needs the decoder bias
#
#   $$
#   b_d' = b_d + \tfrac12\, W_d\left(\mathbf 1 - A^{-1}\mathbf 1\right)
#   $$
#
#   (`chapter.centred_mixed_network`); with it, a sign flip is exact
#   ($b_d' = b_d + w_k$, since $\sigma(-z) = 1 - \sigma(z)$) and small mixings are
#   approximately invisible, as for tanh.
#
# `synergylib.identifiability` builds the mixed network (`mixed_network`), finds the
# always-on units of an encoder (`always_on_units`), draws a mixing a ReLU encoder
# cannot see (`sign_preserving_mixing`) and measures what a mixing changes
# (`mixing_effect`). The rest of the chapter applies them to the networks the study
# trained for one participant of the main study, participant
# {glue:text}`participant_shown` (numbered from 0, as in the code). It has $N$ =
# {glue:text}`n_shown` synergies, as {glue:text}`n_shown_share:.0%` of the participants
# do: by default the chapter shows the first participant with the most common $N$
# (`comparison.typical_participant`). The chapter then asks whether training itself lands
# on different members of these sets, for every participant.
#
# ## A linear encoder: every mixing
#
# Two mixings of the `linear+linear` network: a random matrix (standard normal entries,
# seed 0) and a readable one, the *shear* $A = I + e_1 e_2^\top$, for which synergy 2
# becomes "synergy 2 minus synergy 1" and activation 1 becomes "activation 1 plus
# activation 2" ($w_1 h_1' + w_2' h_2 = w_1 (h_1 + h_2) + (w_2 - w_1) h_2$). The table
# compares the network before and after: $R^2$ of the reconstruction, its largest
# change, the relative change of the training loss, the mean matched cosine between
# the original and the mixed synergies (absolute and signed) and the mean matched
# $|\cos|$ to the true synergies before and after.

# %%
model = result.model("linear+linear")
mixings = {"random (seed 0)": chapter.random_mixing(N, random_state=0),
           "shear: S2 - S1": chapter.shear_mixing(N, 0, 1, 1.0)}
linear = chapter.mixing_table(model, X, mixings, W_true=W_true)
effect = mixing_effect(model, X, mixings["random (seed 0)"])  # the library's summary of one mixing
print(f"random mixing: R² {effect.r2_before:.4f} -> {effect.r2_after:.4f}, largest output change "
      f"{effect.max_output_change:.1e}, mean matched (signed) cosine to the original {effect.synergy_cosine:.2f}")
chapter.style_mixing_table(linear)

# %% [markdown]
# The original synergies (grey) and those of the randomly mixed network (blue), each
# mixed synergy matched to an original one on $|\cos|$ and turned to the same sign:

# %% mystnb={"figure": {"caption": "The synergies of the linear+linear network of the participant shown (grey) and of the same network mixed by a random invertible matrix (blue), one panel per synergy. Each mixed synergy is matched to an original one on |cos| and turned to the same sign; x: muscle; y: weight of the unit-norm synergy; hatched vermilion bars: negative weights; panel titles: the matched pair's |cos|."}}
mixed = mixed_network(model, mixings["random (seed 0)"])
fig, axes, _ = chapter.plot_mixed_synergies(
    model.synergies_, mixed.synergies_, result.muscles, ncols=3,
    title=f"linear+linear, participant {participant_shown}: the same network, other synergies")
plt.show()

# %% tags=["remove-cell"]
glue_values(chapter.linear_values(linear, random="random (seed 0)", shear="shear: S2 - S1"))

# %% [markdown]
# The random mixing changes no reconstructed value by more than
# {glue:text}`lin_max_change:.1e`, rounding error: $R^2$ is
# {glue:text}`lin_r2_before:.4f` before and {glue:text}`lin_r2_after:.4f` after. The
# synergies are others: matched to the original ones, their mean $|\cos|$ is
# {glue:text}`lin_random_cos:.2f`, and their mean $|\cos|$ to the true synergies moves
# from {glue:text}`lin_true_before:.2f` to {glue:text}`lin_true_after:.2f`. The shear
# changes one synergy only (mean $|\cos|$ to the original set
# {glue:text}`lin_shear_cos:.2f`). Nothing in the data prefers one of these networks:
# a linear encoder fixes only the subspace its synergies span (for `linear+linear` at
# its optimum, the subspace centred PCA finds, {doc}`04_autoencoders`), and any basis of
# it is a solution, the true synergies' included if they lie in it.
#
# ## A ReLU encoder: mixings among units that are always on
#
# A ReLU unit whose input is positive on every training sample works as a linear unit,
# and such units can be mixed with non-negative weights. `unit_states` says which units
# are on always, sometimes or never. For two pairings with a ReLU encoder, the table
# applies `sign_preserving_mixing` (strength 1: $A = I + P$, $P$ uniform on $[0, 1)$
# between always-on units) and the same draws between *all* units
# (`chapter.nonnegative_mixing`).

# %%
relu_states, relu_tables = {}, {}
for name in ["relu+tanh", "relu+linear"]:
    net = result.model(name)
    relu_states[name] = chapter.unit_states(net, X)
    relu_tables[name] = chapter.mixing_table(net, X, {
        "among always-on units": sign_preserving_mixing(net, X, strength=1.0, random_state=0),
        "among all units": chapter.nonnegative_mixing(N, strength=1.0, random_state=0)})
    on = np.flatnonzero(always_on_units(net, X)) + 1
    print(f"{name}: always on: {', '.join(f'S{k}' for k in on) or 'none'}; share of samples on:",
          relu_states[name]["share_on"].round(3).tolist())
chapter.style_mixing_table(pd.concat(relu_tables, names=["pairing", "mixing"]))

# %% tags=["remove-cell"]
glue_values(chapter.relu_values(relu_states, relu_tables, on_row="among always-on units",
                                all_row="among all units"))

# %% [markdown]
# {glue:text}`relu_tanh_sentence`
#
# {glue:text}`relu_linear_sentence`
#
# A ReLU encoder therefore narrows the set of equivalent networks, but only as far as
# its units actually switch off on the data. A unit that is on for almost every sample
# is almost linear, and a mixing that involves it costs almost nothing.
#
# ## tanh and sigmoid encoders: sign flips, and mixings only nearly
#
# Two mixings for `tanh+tanh` and `sigmoid+tanh`: the sign flip of unit 1, and a small
# mixing $A = I + 0.01\,P$ ($P$ uniform on $[0, 1)$ off the diagonal). The sigmoid
# network is mixed twice, with the decoder bias left as it is (`mixed_network`) and
# with its rest level moved into the decoder bias (`centred_mixed_network`).

# %%
mixings = {"sign flip of S1": chapter.sign_flip(N, 0),
           "small mixing (0.01)": chapter.nonnegative_mixing(N, strength=0.01, random_state=0)}
saturating = pd.concat({
    "tanh+tanh": chapter.mixing_table(result.model("tanh+tanh"), X, mixings, W_true=W_true),
    "sigmoid+tanh": chapter.mixing_table(result.model("sigmoid+tanh"), X, mixings, W_true=W_true),
    "sigmoid+tanh, rest level in b_d": chapter.mixing_table(result.model("sigmoid+tanh"), X, mixings,
                                                            W_true=W_true, centred=True),
}, names=["network", "mixing"])
chapter.style_mixing_table(saturating)

# %% tags=["remove-cell"]
glue_values(chapter.saturating_values(saturating, tanh="tanh+tanh", sigmoid="sigmoid+tanh",
                                      sigmoid_centred="sigmoid+tanh, rest level in b_d",
                                      flip="sign flip of S1", small="small mixing (0.01)"))

# %% [markdown]
# The flip leaves `tanh+tanh` exactly as it was (largest change
# {glue:text}`tanh_flip_change:.1e`); its synergy 1 is now the mirror image of the old
# one, which the signed matched cosine counts (mean {glue:text}`tanh_flip_cos:.2f`) and
# the absolute one does not. The same flip of the sigmoid network without moving the
# rest level takes $R^2$ from {glue:text}`sigmoid_flip_r2_before:.3f` to
# {glue:text}`sigmoid_flip_r2_plain:.3f`; with the decoder bias corrected it is exact
# again ({glue:text}`sigmoid_flip_change_centred:.1e`). Sign flips are why the book
# compares synergies on $|\cos|$ where a model admits them.
#
# The small mixing is not exact: it changes $R^2$ by {glue:text}`tanh_small_r2_change:+.1e`
# for `tanh+tanh` (relative loss change {glue:text}`tanh_small_loss_change:+.1e`) and by
# {glue:text}`sigmoid_small_r2_change:+.1e` for the centred sigmoid network
# ({glue:text}`sigmoid_small_loss_change:+.1e`), while the synergies move little (mean
# $|\cos|$ to the original {glue:text}`tanh_small_cos:.3f` and
# {glue:text}`sigmoid_small_cos:.3f`). At a minimum of the loss, any small change of the
# weights raises the loss only at second order; what matters is how far the synergies
# can move before the loss rises by more than the 1 % that makes two restarts "equal".
#
# ### How far can the synergies move at equal loss?
#
# Each line follows one mixing direction $A(s) = I + sD$ from $s = 0.001$ to $s = 1$
# ($D$ the off-diagonal part of the random non-negative mixing above, restricted to the
# always-on units for the first ReLU line): the relative change of the training loss
# (x) against the synergy distance to the original network (y, one minus the mean
# matched $|\cos|$). Exact invariances stay at the left edge; the shaded band is where
# a network would count as an equal-loss restart.

# %% mystnb={"figure": {"caption": "How far mixing the trained networks of the participant shown moves their synergies, against what it costs in loss: one line per network and mixing direction, one marker per strength $s$ of the mixing $A(s) = I + sD$. x: relative change of the training loss (log scale; changes below $10^{-9}$, exact invariances, are drawn at $10^{-9}$); y: synergy change, one minus the mean matched |cos| to the original synergies; dashed line and grey band: within 1 % of the loss, where a network counts as an equal-loss restart."}}
strengths = np.geomspace(1e-3, 1.0, 19)
D = chapter.nonnegative_mixing(N, strength=1.0, random_state=0) - np.eye(N)
relu_net = result.model("relu+tanh")
paths = {"linear+linear": chapter.mixing_path(result.model("linear+linear"), X, D, strengths)}
if always_on_units(relu_net, X).sum() >= 2:  # a ReLU mixing needs two always-on units
    D_on = sign_preserving_mixing(relu_net, X, strength=1.0, random_state=0) - np.eye(N)
    paths["relu+tanh, always-on units"] = chapter.mixing_path(relu_net, X, D_on, strengths)
paths["relu+tanh, all units"] = chapter.mixing_path(relu_net, X, D, strengths)
paths["tanh+tanh"] = chapter.mixing_path(result.model("tanh+tanh"), X, D, strengths)
paths["sigmoid+tanh (rest level in b_d)"] = chapter.mixing_path(result.model("sigmoid+tanh"), X, D,
                                                                strengths, centred=True)
fig, ax = chapter.plot_mixing_paths(
    paths, title=f"Participant {participant_shown}: mixing the trained networks (N = {N})")
plt.show()

# %% tags=["remove-cell"]
glue_values(chapter.path_values(paths, tolerance=0.01))

# %% [markdown]
# Within 1 % of the loss, these mixings move the synergies by up to (one minus the mean
# matched $|\cos|$): {glue:text}`paths_sentence`. These are one direction each, so they
# are lower bounds of how far apart two equal-loss networks of a pairing can be. Do the
# restarts of the study actually land on such different members of one set?
#
# ## Equal-loss restarts of the whole study
#
# Every pairing was trained from several initial weights (restarts) for every
# participant, and {doc}`04_autoencoders` keeps the one with the lowest loss. Here every
# restart within 1 % of that loss is kept (`claims.equal_loss_restarts` on
# `ae_restart_losses`), its network rebuilt from the stored weights, and the restarts of
# a set are compared pairwise: the synergy distance (one minus the mean matched
# $|\cos|$, the measure of claim 1 in {doc}`05_comparison`) and the subspace similarity
# of their spans (1: the same span, whatever the basis;
# {cite}`bjorck1973numerical`). Each point is one participant's set of two or more
# restarts, at the rule's $N$ and at the true $N$; the dotted line is the distance
# between two sets of random signed synergies.

# %% mystnb={"figure": {"caption": "How far apart the equal-loss restarts of each pairing are, at the rule's $N$ (blue) and at the true $N$ (orange). x: pairing (encoder+decoder); y: mean pairwise synergy distance within a participant's equal-loss set (one minus the mean matched |cos|; 0: the same synergies up to order and sign); small dots: one participant's set of two or more restarts; thick horizontal lines: the mean over those participants; dotted line: two sets of random signed synergies."}}
results_by_n = {"rule": results,  # loaded above
                "true": run_study(dataclasses.replace(config, n_synergies="true"), cache_dir=cache_dir,
                                  n_jobs=n_jobs, progress=False)}
sets = {n: chapter.equal_loss_table(r) for n, r in results_by_n.items()}
chance = chapter.chance_distance(results_by_n["rule"])
fig, ax = chapter.plot_within_set_distance(sets, chance=chance,
                                           title="How far apart the equal-loss restarts of a pairing are")
plt.show()

# %% [markdown]
# Per pairing, the participants' sets in numbers (means over the sets of two or more
# restarts; the score range is that of the cosine to the truth, the score of claim 3):

# %%
summary = pd.concat({n: chapter.equal_loss_summary(t) for n, t in sets.items()}, axis=1)
summary.rename(columns={**chapter.SUMMARY_COLUMNS, "rule": "rule's N", "true": "true N"}).round(3)

# %% tags=["remove-cell"]
glue_values(chapter.equal_loss_values(sets, chance=chance))

# %% [markdown]
# {glue:text}`sets_sentence_rule` {glue:text}`sets_sentence_true`
#
# Where the spans agree and the synergies do not, the restarts of a pairing differ as
# the mixings above do: the same span, other bases. Training does not pick "the"
# synergies of a pairing; it picks one member of a set of equally good networks, and
# which one depends on where it started.
#
# ## What it means for claim 3
#
# Claim 3 says that `relu+tanh` gives the most physiological synergies. Its
# score here is the one claim 3's rule uses ({doc}`05_comparison`): the mean matched
# cosine to the true synergies, computed for every equal-loss restart
# (`claims.restart_scores`, the kept restart first). How typical of its set is the kept
# restart (`claims.kept_restart_typicality`), and how far could the ranking move if
# another restart of the same loss had been kept?

# %%
pairings = list(results[0].pairings)
scores = {n: restart_scores(r, restart_score("true_mean_cosine"), pairings=pairings)
          for n, r in results_by_n.items()}
chapter.claimed_ranks(scores, pairings).rename(columns={"rule": "rule's N", "true": "true N"})

# %% tags=["remove-cell"]
glue_values(chapter.claim3_values(scores, pairings))

# %% [markdown]
# At the rule's $N$, the kept `relu+tanh` restarts have a mean cosine to the truth of
# {glue:text}`kept_mean_rule:.3f`, {glue:text}`kept_rank_rule` of the {glue:text}`n_pairings` pairings (the
# highest other pairing is {glue:text}`leader_rule`, {glue:text}`leader_mean_rule:.3f`).
# {glue:text}`sentence_rule` Had every participant's best equal-loss `relu+tanh` restart
# been kept instead, its mean would be {glue:text}`best_mean_rule:.3f`
# ({glue:text}`best_rank_rule`); had the worst been kept, {glue:text}`worst_mean_rule:.3f`
# ({glue:text}`worst_rank_rule`).
#
# At the true $N$, the kept restarts score {glue:text}`kept_mean_true:.3f`
# ({glue:text}`kept_rank_true`; highest other pairing {glue:text}`leader_true`,
# {glue:text}`leader_mean_true:.3f`). {glue:text}`sentence_true` With the best equal-loss
# restarts: {glue:text}`best_mean_true:.3f` ({glue:text}`best_rank_true`); with the
# worst: {glue:text}`worst_mean_true:.3f` ({glue:text}`worst_rank_true`).
#
# What this means:
#
# - A pairing's synergies are a **set**, not a point. A linear encoder admits every
#   mixing; a ReLU encoder admits non-negative mixings of the units that never switch
#   off, and nearly so of those that rarely do; tanh and sigmoid encoders admit sign
#   flips exactly and small mixings at a small cost. Where the study has several
#   equal-loss restarts of a pairing, they are different members of its set.
# - A statement such as "`relu+tanh` gives the most physiological synergies" is
#   therefore about a set, and can only be judged over it: the rule of claim 3 in
#   {doc}`05_comparison` resamples each pairing's equal-loss restarts as well as the
#   participants, and the range between the best and the worst equal-loss restart above
#   is the part of a ranking that the kept restart decides by chance.
# - The sets shrink only when something breaks the invariance: a constraint that a
#   mixed network would violate. Non-negativity is one (NMF's synergies and activations
#   may not become negative, which leaves little room to mix them; exercise
#   {ref}`ex-identifiability-3`), sparseness or a fixed scale of the activations are
#   others. The autoencoders of this study have none, by design ({doc}`04_autoencoders`):
#   what they show is what the activation functions alone do.
#
# ## Summary
#
# - An autoencoder's loss does not fix its synergies: the mixed network
#   $(A W_e, A b_e, W_d A^{-1})$ computes the same function with others, for every
#   invertible $A$ with a linear encoder and for fewer mixings with ReLU, tanh and
#   sigmoid encoders. For the participant shown, a random mixing of `linear+linear`
#   changed no reconstructed value by more than {glue:text}`lin_max_change:.1e` and left
#   a mean matched $|\cos|$ of {glue:text}`lin_random_cos:.2f` with the original synergies.
# - Within 1 % of the loss, one mixing direction per network moved the synergies by up to
#   {glue:text}`path_max_distance:.2g` (one minus the mean matched $|\cos|$, for
#   {glue:text}`path_max_label`).
# - Over the whole study at the rule's $N$, {glue:text}`share_multi_rule:.0%` of the
#   participant-pairing cells have two or more equal-loss restarts; their synergies are
#   {glue:text}`mean_distance_rule:.2f` apart on average (two sets of random signed
#   synergies: {glue:text}`chance_distance:.2f`), with a mean subspace similarity of
#   {glue:text}`mean_subspace_rule:.3f`.
# - Claim 3's pairing, `relu+tanh`, comes {glue:text}`kept_rank_rule` of the
#   {glue:text}`n_pairings` pairings at the rule's $N$ with its kept restarts, and
#   {glue:text}`best_rank_rule` or {glue:text}`worst_rank_rule` with the best or the worst
#   of its equal-loss restarts.
# - For the book as a whole: the pairings trained in {doc}`04_autoencoders` are sets of
#   equally good networks, not single points. This is why the rules of
#   {doc}`05_comparison` resample each pairing's equal-loss restarts as well as the
#   participants, and why an optimiser setting varied in {doc}`08_robustness` can move the
#   synergies without changing the fit. NMF, whose non-negativity leaves little room to
#   mix ({ref}`ex-identifiability-3`), is the steadier reference.

# %% [markdown]
# ## Exercises

# %% [markdown]
# ```{exercise} the sigmoid's mirror image, by hand
# :label: ex-identifiability-1
# Flip the sign of unit 1 of the `sigmoid+tanh` network of the participant shown: its
# encoder row, its encoder bias and its decoder column (`synergylib.identifiability.network_weights`
# returns the raw $W_e, b_e, W_d, b_d$; `SynergyAutoencoder.from_weights` builds a
# network from them). Measure the largest change of the reconstruction, first with the
# decoder bias as it was, then with the old decoder column added to it. The first change
# should be of the order of the data (tenths or more), the second of the order of
# $10^{-15}$.
# ```

# %% [markdown]
# ```{solution-start} ex-identifiability-1
# :class: dropdown
# ```

# %%
from synergylib.autoencoder import SynergyAutoencoder
from synergylib.book import glue_values
from synergylib.identifiability import network_weights

net = result.model("sigmoid+tanh")
W_e, b_e, W_d, b_d = (np.array(a) for a in network_weights(net))
W_e[0], b_e[0] = -W_e[0], -b_e[0]
column = W_d[:, 0].copy()
W_d[:, 0] = -column
change = {}
for key, label, bias in [("plain", "decoder bias as it was", b_d), ("moved", "old column added to it", b_d + column)]:
    flipped = SynergyAutoencoder.from_weights(W_e, b_e, W_d, bias, encoder="sigmoid", decoder="tanh")
    change[key] = np.abs(flipped.reconstruct(X) - net.reconstruct(X)).max()
    print(f"{label}: largest change {change[key]:.2g}")


# %% tags=["remove-cell"]
glue_values({"ex_ident_1_plain": change["plain"], "ex_ident_1_moved": change["moved"]})

# %% [markdown]
# It prints a largest change of {glue:text}`ex_ident_1_plain:.2g` with the decoder bias as
# it was, of the order of the data, and {glue:text}`ex_ident_1_moved:.2g` with the old
# column added to it, rounding error. Why: $\sigma(-z) = 1 - \sigma(z)$, so the flipped
# unit outputs $1 - h$ where it output $h$, and its new decoder column gives
# $-w\,(1 - h) = w h - w$. The decoder's input is the same once $+w$ is added to its bias:
# the mirror image of a sigmoid unit's synergy is an equally good network, provided the
# rest level moves into the bias.
#
# ```{solution-end}
# ```

# %% [markdown]
# ```{exercise} what a linear encoder identifies
# :label: ex-identifiability-2
# For the `linear+linear` network and its random mixing above, compute the subspace
# similarity (`synergylib.similarity.subspace_similarity`) between the original and the
# mixed synergies, and the subspace similarity of each to the true synergies. It should
# print 1 (to rounding) for the first, and the same number twice for the other two,
# although the matched cosines in the table differ.
# ```

# %% [markdown]
# ```{solution-start} ex-identifiability-2
# :class: dropdown
# ```

# %%
from synergylib.book import glue_values
from synergylib.similarity import subspace_similarity

span = subspace_similarity(model.synergies_, mixed.synergies_)
before = subspace_similarity(W_true, model.synergies_)
after = subspace_similarity(W_true, mixed.synergies_)
print(f"original vs mixed: {span:.6f}")
print(f"to the truth, before: {before:.6f}, after: {after:.6f}")


# %% tags=["remove-cell"]
glue_values({"ex_ident_2_span": span, "ex_ident_2_before": before, "ex_ident_2_after": after})

# %% [markdown]
# It prints {glue:text}`ex_ident_2_span:.6f` for the original against the mixed synergies,
# and {glue:text}`ex_ident_2_before:.6f` and {glue:text}`ex_ident_2_after:.6f` for their
# similarity to the truth. $W_d A^{-1}$ spans the same space as $W_d$: a mixing changes
# the basis, never the span, so every measure of the span is blind to it. What a linear
# encoder identifies is that space; the matched cosines, which compare individual
# synergies, are the part left to chance.
#
# ```{solution-end}
# ```

# %% [markdown]
# ```{exercise} non-negativity breaks the invariance
# :label: ex-identifiability-3
# NMF writes the data as $W H$ with $W, H \ge 0$. The shear $A = I + a\,e_i e_j^\top$
# ($a > 0$) turns synergy $j$ into $w_j - a w_i$ and activation $i$ into $h_i + a h_j$:
# the product is unchanged, and the activations stay non-negative. For the NMF synergies
# of the participant shown (`result.nmf_synergies`), find for every pair $i \ne j$ the
# largest $a$ for which $w_j - a w_i$ stays non-negative. It should print a matrix of
# small numbers (most of them 0): almost no mixing of NMF's synergies stays an NMF
# solution, which is what makes them (nearly) identifiable.
# ```

# %% [markdown]
# ```{solution-start} ex-identifiability-3
# :class: dropdown
# ```

# %%
from synergylib.book import glue_values

W = result.nmf_synergies
n = W.shape[1]
a_max = np.full((n, n), np.nan)
for i in range(n):
    for j in range(n):
        if i != j:
            on = W[:, i] > 0  # w_j - a w_i >= 0  <=>  a <= w_j / w_i where w_i > 0
            a_max[i, j] = np.min(W[on, j] / W[on, i])
print(np.round(a_max, 3))
n_pairs = n * (n - 1)
n_none = int(np.sum(a_max < 0.0005))  # shown as 0.000 above
print(f"largest admissible shear: {np.nanmax(a_max):.3f}; {n_none:d} of {n_pairs:d} pairs admit none "
      "(0.000 to three decimals)")


# %% tags=["remove-cell"]
glue_values({"ex_ident_3_a_max": np.nanmax(a_max), "ex_ident_3_n_none": n_none, "ex_ident_3_n_pairs": n_pairs})

# %% [markdown]
# The largest admissible shear is {glue:text}`ex_ident_3_a_max:.3f`, and
# {glue:text}`ex_ident_3_n_none:d` of the {glue:text}`ex_ident_3_n_pairs:d` ordered pairs
# admit none at all (to three decimals): subtracting even a little of one synergy from
# another makes some weight negative, because each NMF synergy has muscles at or near zero
# where the other has weight. Almost no mixing of NMF's synergies stays an NMF solution,
# which is what makes them (nearly) identifiable, unlike the linear autoencoder's.
#
# ```{solution-end}
# ```
