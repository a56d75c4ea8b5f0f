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
# # Robustness of the conclusions
#
# {doc}`05_comparison` turned one run of the study into three verdicts on the claims of
# {cite}`brambilla2025tradeoff`. That run rests on choices: the $R^2$ threshold that sets
# the number of synergies, the phasic envelope, the number of restarts, the learning
# rate, the amount of noise in the data, the seeds. None of them is wrong, and none of
# them is the only reasonable one. **Do the verdicts survive when one of these choices
# changes?** A conclusion that flips when the threshold moves from 0.80 to 0.85, or when
# the random seed changes, is a property of the protocol, not of the muscles.
#
# ```{admonition} Learning objectives
# :class: tip
# After this chapter you can
# - build variants of a study configuration that change one choice at a time, and check
#   from the configurations themselves what each variant changes;
# - evaluate the paper's three claims for every variant with the same decision rules;
# - read a robustness table (variant x claim) and say which conclusions depend on which
#   choice;
# - tell a change of verdict caused by a change of the data (noise, seed) from one caused
#   by a change of the analysis (threshold, envelope, restarts, learning rate).
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
n_participants = 6  # participants per variant (the paper has 15)
n_restarts = 3  # autoencoder restarts per pairing (paper: 10)
r2_thresholds = [0.85, 0.90]  # other NMF R2 thresholds for N (baseline 0.80)
total_envelope = True  # include the total (not phasic) envelope
restart_counts = [10]  # other numbers of autoencoder restarts
learning_rates = [0.01]  # other initial learning rates of Adam (baseline 0.001)
noise_levels = [0.5, 2.0]  # other noise levels of the generator (baseline 1)
seeds = [1]  # other seeds, of data and training together (baseline 0)
clean_generator = True  # include the clean generator of protocol v1 as a variant
n_resamples = 1999  # bootstrap resamples of the claims' rules (permutations: five times as many)
n_jobs = 1  # participants run in parallel (joblib)

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from synergylib.book import glue_values, prepare_chapter
from synergylib import comparison_report as report
from synergylib.chapters import robustness as chapter
from synergylib.claims import evaluate_rules, restart_score, restart_scores
from synergylib.comparison import METRICS, ClaimCriteria
from synergylib.study import StudyConfig, quick_config
from synergylib.sweeps import (
    rules_by_variant,
    run_sweep,
    sweep_means,
    sweep_summary,
    sweep_table,
    vary,
    verdict_matrix,
    with_dataset,
)

# Thousands of NMF fits below: their "max_iter" warning is hidden here,
# but joblib's worker processes still print it (see the outputs below).
prepare_chapter({"font.size": 10, "axes.titlesize": 11}, hide_nmf_max_iter=True)


# %% [markdown]
# ## The claims and their rules
#
# The verdicts come from the three rules of {doc}`05_comparison`
# (`synergylib.claims.evaluate_rules`, written before the results and shown there to
# say "holds" at most at $\alpha = 0.05$ on simulated tables where the claim is false).
# Interpretability is measured against the ground truth that only synthetic data have
# (the metric below); reconstruction is the held-out $R^2$.

# %% mystnb={"markdown_format": "gfm"}
criteria = ClaimCriteria()
display(Markdown(f"- interpretability: {METRICS[criteria.interpretability][0]} (`{criteria.interpretability}`)\n"
                 f"- reconstruction: {METRICS[criteria.reconstruction][0]} (`{criteria.reconstruction}`)\n"
                 f"- the claimed pairing: `{criteria.claimed_best}` (encoder + decoder)"))

# %% [markdown]
# ## The variants
#
# The baseline is the main configuration of the book at the scale set in the
# `parameters` cell and stated below the table: the paper-scale study costs about ten
# minutes per configuration on two cores, so the cell's defaults are a reduced scale that
# runs by hand in under an hour, and the book's build runs the paper's scale. Each other
# variant changes one choice of the baseline (the seed variant
# changes both seeds, of the data and of the training). The column *changes* is read
# from the configurations, not typed.

# %% mystnb={"markdown_format": "myst"}
base_config = quick_config() if quick else StudyConfig()
base_config = vary(base_config, n_participants=n_participants, autoencoder={"n_restarts": n_restarts})

variants = {"baseline": base_config}
for t in r2_thresholds:
    variants[f"R² ≥ {t:.2f} for N"] = vary(base_config, r2_threshold=t)
if total_envelope:
    variants["total envelope"] = vary(base_config, preprocessing={"phasic": False})
for r in restart_counts:
    variants[f"{r} restarts"] = vary(base_config, autoencoder={"n_restarts": r})
for lr in learning_rates:
    variants[f"learning rate {lr:g}"] = vary(base_config, autoencoder={"learning_rate": lr})
for level in noise_levels:
    variants[f"noise × {level:g}"] = vary(base_config, dataset={"noise_level": level})
for seed in seeds:
    variants[f"seed {seed}"] = vary(base_config, data_seed=seed, random_state=seed)
if clean_generator:
    variants["clean generator (v1)"] = with_dataset(base_config, generator="clean")

changes = chapter.describe_changes(base_config, variants)
display(changes.to_frame())
print(
    f"baseline: {base_config.n_participants} participants x "
    f"{len(base_config.autoencoder.pairings)} pairings x {base_config.autoencoder.n_restarts} "
    f"restarts, at most {base_config.autoencoder.max_epochs} epochs; "
    f"{len(variants)} configurations in all"
)
min_p = 2 / 2**base_config.n_participants  # smallest two-sided exact Wilcoxon p-value
if quick:
    display(Markdown(
        f"```{{warning}}\nThis is the quick build: {base_config.n_participants} participants, models "
        f"trained for at most {base_config.autoencoder.max_epochs} epochs, fewer variants. It checks "
        f"that the chapter runs; its numbers and verdicts mean nothing (the smallest possible "
        f"Wilcoxon p-value is {min_p:.3g}).\n```"
    ))

# %% tags=["remove-cell"]
glue_values({
    "n_variants": len(variants) - 1, "n_participants": base_config.n_participants,
    "n_restarts": base_config.autoencoder.n_restarts, "n_pairings": len(base_config.autoencoder.pairings),
    "main_participants": StudyConfig().n_participants, "min_p": min_p,
})

# %%
results = run_sweep(variants, cache_dir=cache_dir, n_jobs=n_jobs, progress=False)
# compute time of each configuration (summed over participants; loaded results keep theirs)
cost = pd.Series({v: sum(r.elapsed_s for r in res) / 60 for v, res in results.items()})
print("compute time per variant (min, summed over participants):")
print(cost.round(1).to_string())
table = sweep_table(results, key="variant")
claims = rules_by_variant(results, table, key="variant", interpretability=criteria.interpretability,
                          reconstruction=criteria.reconstruction, n_bootstrap=n_resamples,
                          n_permutations=5 * n_resamples + 4)
matrix = verdict_matrix(claims, key="variant")

# %% [markdown]
# ## The robustness table
#
# One row per variant, one column per claim (the rules are those of the table above).
# Beside the verdicts: the mean number of synergies $N$ the threshold picked, and where the
# paper's `relu+tanh` ranks among the pairings on closeness to the ground truth (1 = the
# closest). The figure of the next section shows which pairing reconstructs best.

# %%
summary = sweep_summary(table, [criteria.reconstruction, criteria.interpretability], key="variant")
means = sweep_means(table, [criteria.interpretability], key="variant")
pairing_means = means[means["model"] != "NMF"].pivot(
    index="variant", columns="model", values=criteria.interpretability
).reindex(list(variants))
claimed_rank = pairing_means.rank(axis=1, ascending=False, method="min")[criteria.claimed_best]

overview = pd.concat(
    [
        matrix,
        summary["mean_n_synergies"].map("{:.2f}".format).rename("mean N"),
        claimed_rank.astype(int).rename(f"rank of {criteria.claimed_best}"),
    ],
    axis=1,
)
overview.index.name = "variant"
colours = {"holds": "#c7e9c0", "partly": "#fff3b0", "does not hold": "#fcbba1"}
display(
    overview.style.map(
        lambda v: f"background-color: {colours.get(v, 'white')}; white-space: nowrap",
        subset=list(matrix.columns),
    )
)

# %% [markdown]
# Each claim's verdict in the baseline, and how many variants keep it (generated from the
# table):

# %% tags=["hide-input"]
others = [v for v in variants if v != "baseline"]
lines = []
for claim in matrix.columns:
    base_verdict = matrix.loc["baseline", claim]
    changed = [v for v in others if matrix.loc[v, claim] != base_verdict]
    kept = len(others) - len(changed)
    line = f"- **{claim.capitalize()}** ({base_verdict} in the baseline): same verdict in {kept} of {len(others)} variants"
    if changed:
        line += "; changes under " + ", ".join(f"*{v}* ({matrix.loc[v, claim]})" for v in changed)
    lines.append(line + ".")
display(Markdown("\n".join(lines)))

# %% tags=["remove-cell"]
glue_values(chapter.stability_values(matrix))

# %% [markdown]
# {glue:text}`n_stable` of the {glue:text}`n_claims` verdicts are the same in every one of
# the {glue:text}`n_variants` variants. The evidence behind every verdict (test
# statistics, p-values, the pairings involved) is in the next cell; click to show it.

# %% tags=["hide-output"]
with pd.option_context("display.max_colwidth", None):
    display(claims[["variant", "claim", "verdict", "evidence"]].style.hide(axis="index"))

# %% [markdown]
# ## Equal-loss restarts under other learning rates
#
# The claims' rules score every restart that ends within 1 % of its pairing's best loss
# ({doc}`05_comparison`). Does the learning rate move where those restarts land? One
# row per learning rate (the baseline's is Adam's default): every equal-loss restart's
# cosine to the truth, per pairing, the kept restarts' mean marked.

# %%
lr_keys = ["baseline"] + [k for k in variants if k.startswith("learning rate")]
lr_pairings = list(results["baseline"][0].pairings)
lr_scores = {k: restart_scores(results[k], restart_score(criteria.interpretability), pairings=lr_pairings)
             for k in lr_keys}
fig, axes = plt.subplots(len(lr_keys), 1, figsize=(12.0, 3.6 * len(lr_keys)), layout="constrained",
                         sharey=True, squeeze=False)
for ax, k in zip(axes[:, 0], lr_keys):
    rate = variants[k].autoencoder.learning_rate
    report.plot_restart_scores(lr_scores[k], lr_pairings, ax=ax,
                               ylabel=report.metric_label(criteria.interpretability),
                               title=f"{k}: Adam's learning rate {rate:g}")
plt.show()

# %% [markdown]
# Where a pairing's box moves between rows while its training $R^2$ stays the same
# ({ref}`ex-robustness-5`), the learning rate chose among equally good solutions: the
# synergies are the optimiser's choice as much as the data's (see
# {doc}`09_identifiability`).
#
# ## Where the claimed pairing sits in each variant
#
# The table gives ranks; the figure shows distances. Every row is a variant, every grey
# dot one autoencoder pairing at its mean closeness to the true synergies; the paper's
# pairing and its reverse order are coloured, NMF is the black square, and the open
# circle marks the pairing that reconstructs the held-out EMG best in that variant.
# Claim 2 says the open circle is *not* the rightmost dot; claim 3 says the red dot is.

# %%
reverse = "+".join(reversed(criteria.claimed_best.split("+")))
rows = len(variants)
fig, ax = plt.subplots(figsize=(8, 0.5 * rows + 1.8), layout="constrained")
chapter.plot_variant_dots(
    means,
    criteria.interpretability,
    key="variant",
    highlight={criteria.claimed_best: "tab:red", reverse: "tab:orange"},
    best_by=summary[f"best_{criteria.reconstruction}"].to_dict(),
    best_label="best held-out R²",
    ax=ax,
    xlabel="mean cosine to the ground-truth synergies",
    title=f"Closeness to the truth per variant ({base_config.n_participants} participants each)",
)
plt.show()

# %% [markdown]
# ## What it means
#
# A verdict that stays the same across the variants is a statement about the data and the
# models; one that flips tells us which choice it hinges on. Two kinds of change deserve
# different readings. Changes of the *data* (another seed of the synthetic participants,
# the clean generator, more noise) ask whether the claim would replicate on another
# sample or another kind of data: a flip there means the evidence is thin at this number
# of participants, or tied to the data. Changes of the *analysis* (threshold for $N$,
# learning rate, phasic or total envelope, restarts) ask whether the claim depends on a
# methodological choice the paper could have made differently: a flip there means the
# claim should be stated together with that choice. The table above shows which of these
# this build ran (the `parameters` cell sets them). The threshold matters in a
# particular way: it sets $N$ for every model at once, and all the similarity measures
# compare $N$ extracted synergies with a ground truth that has more.
#
# The learning rate of the optimiser (Adam from $10^{-3}$, see {doc}`04_autoencoders`)
# matters more than it seems, because a pairing can reach the same training loss with
# different synergies. With a linear encoder this is exact: for any invertible
# $N \times N$ matrix $A$, the weights $(A W_e, A b_e, W_d A^{-1})$ reconstruct every
# sample exactly as $(W_e, b_e, W_d)$ do, so the loss cannot tell them apart, and which of
# them training ends in is decided by the initial weights and the optimiser's path.
# {ref}`ex-robustness-5` separates the two effects of a larger rate: other minima, or
# equally good ones with other synergies.
#
# ```{note}
# Scale of this chapter: {glue:text}`n_participants` participants per variant,
# {glue:text}`n_pairings` pairings, {glue:text}`n_restarts` restarts in the baseline
# ({doc}`05_comparison`: {glue:text}`main_participants` participants). With
# {glue:text}`n_participants` participants the smallest possible two-sided exact Wilcoxon
# p-value is $2/2^{n}$ = {glue:text}`min_p:.2g`. When both numbers of participants and
# restarts are the comparison chapter's, the baseline *is* that chapter's study and its row
# repeats that chapter's verdicts; with fewer (the quick build, or the cell's defaults run
# by hand) the tests behind claims 2 and 3 are weaker, and the verdicts of
# {doc}`05_comparison` are the reference. Either way, the other rows say how fragile each
# verdict is.
# ```
#
# ## Exercises

# %% [markdown]
# ```{exercise} another measure of interpretability
# :label: ex-robustness-1
# The ground-truth cosine is one possible measure of "physiologically meaningful".
# Apply claims 2 and 3 for every variant with the subspace similarity to the truth
# (`interpretability="true_subspace"`), which no change of basis affects, instead.
# Which verdicts change?
# ```

# %% [markdown]
# ```{solution-start} ex-robustness-1
# :class: dropdown
# ```

# %%
alt = rules_by_variant(results, table, interpretability="true_subspace", claims=(2, 3),
                       n_bootstrap=n_resamples, n_permutations=5 * n_resamples + 4)
display(pd.concat({"cosine": matrix[["claim 2", "claim 3"]], "subspace": verdict_matrix(alt)}, axis=1))

# %% [markdown]
# ```{solution-end}
# ```

# %% [markdown]
# ```{exercise} claim 1 participant by participant
# :label: ex-robustness-2
# Claim 1's rule averages, over participants, how much more the synergies of two
# pairings differ than those of equal-loss restarts of one pairing ($T_i$). In the
# baseline, for how many participants is $T_i$ positive, and how large is the mean
# between- and within-pairing dissimilarity?
# ```

# %% [markdown]
# ```{solution-start} ex-robustness-2
# :class: dropdown
# ```

# %%
base = table[table["variant"] == "baseline"].drop(columns=["variant"])
claim1 = evaluate_rules(results["baseline"], base, claims=(1,), n_permutations=5 * n_resamples + 4)
details = claim1.loc[0, "result"].details
print("T_i per participant:", [round(t, 3) for t in details["T_participant"]])
print(f"positive for {details['share_positive']:.0%} of participants; mean between "
      f"{details['mean_between']:.3f}, mean within {details['mean_within']:.3f}; "
      f"verdict: {claim1.loc[0, 'verdict']}")

# %% [markdown]
# ```{solution-end}
# ```

# %% [markdown]
# ```{exercise} N across the thresholds
# :label: ex-robustness-3
# How much does the number of synergies $N$ change between the threshold variants, per
# participant?
# ```

# %% [markdown]
# ```{solution-start} ex-robustness-3
# :class: dropdown
# ```

# %%
n = table[table["model"] == "NMF"].pivot(index="participant", columns="variant", values="n_synergies")
display(n)

# %% [markdown]
# ```{solution-end}
# ```

# %% [markdown]
# ```{exercise} a variant of your own
# :label: ex-robustness-4
# Add a variant of your own: the non-linear mixing of {doc}`07_nonlinear` at $s = 2$.
# Do the claims survive non-linear data?
# ```

# %% [markdown]
# ```{solution-start} ex-robustness-4
# :class: dropdown
# ```

# %% tags=["skip-execution"]
# skip-execution: a new study (15 participants x 16 pairings), about 10 min on 2 cores
extra = {"baseline": base_config, "nonlinearity 2": vary(base_config, dataset={"nonlinearity": 2.0})}
extra_table = sweep_table(run_sweep(extra, cache_dir=cache_dir))  # loaded again below
extra_results = run_sweep(extra, cache_dir=cache_dir)
display(verdict_matrix(rules_by_variant(extra_results, extra_table)))

# %% [markdown]
# ```{solution-end}
# ```

# %% [markdown]
# ```{exercise} the learning rate
# :label: ex-robustness-5
# For which pairings does the mean closeness to the truth move between the baseline and
# the learning-rate variant? Compare their training $R^2$ (`r2_train`, the training loss
# on another scale) in the two: did the larger rate find other minima, or equally good
# ones with other synergies?
# ```

# %% [markdown]
# ```{solution-start} ex-robustness-5
# :class: dropdown
# ```

# %%
lr_variant = f"learning rate {learning_rates[0]:g}"
pair = table[table["variant"].isin(["baseline", lr_variant]) & (table["model"] != "NMF")]
display(pair.groupby(["model", "variant"])[["r2_train", criteria.interpretability]]
        .mean().unstack("variant").round(4))

# %% [markdown]
# ```{solution-end}
# ```
