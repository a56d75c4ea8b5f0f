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
# # Muscle synergies with autoencoders: a replication
#
# Is the best way to *reconstruct* muscle activity also the best way to *understand* it?
# Brambilla and colleagues {cite}`brambilla2025tradeoff` asked this of autoencoders, the
# neural networks that compress a signal through a narrow bottleneck and expand it back.
# Applied to electromyography (EMG), the bottleneck plays the part of the
# *muscle synergies* of motor control {cite}`davella2003combinations,cheung2005central,tresch2006matrix,bizzi2013neural`:
# a few patterns of co-activation from which the nervous system would build every movement.
# What an analysis finds depends on how it is made: on the method, and even on which and
# how many muscles were recorded {cite}`steele2013number`, which is why every choice of
# this book is a visible parameter.
#
# This book replicates their study in code you can run, and extends it. Every number and
# figure in it is computed by the notebooks when the book is built.
#
# ```{admonition} Learning objectives
# :class: tip
# After this book you should be able to
# - explain what a muscle synergy is and how non-negative matrix factorisation (NMF) extracts one;
# - build an autoencoder whose decoder weights are synergies, and say what its activation
#   functions change;
# - tell reconstruction quality ($R^2$, VAF) from physiological interpretability, and measure both;
# - judge a replication: which claims hold, under which choices, with what uncertainty.
# ```
#
# ## The paper and its three claims
#
# Upper-limb EMG of **16 muscles** was recorded from **15 participants** reaching towards
# **9 targets in each of 5 planes**. Synergies were extracted with autoencoders whose encoder
# and decoder layers each use one of four activation functions (linear, ReLU, sigmoid,
# tanh: **16 pairings**), and compared with standard NMF {cite}`lee1999learning`. From the
# abstract, the paper claims that
#
# 1. the extracted synergies are **highly sensitive** to the autoencoder's architecture;
# 2. the pairings with the **best reconstruction** are **not** those with the most
#    physiologically meaningful synergies;
# 3. the most physiologically meaningful synergies come from **ReLU + tanh** (we read this as
#    encoder ReLU, decoder tanh, and report the reverse order too).
#
# {doc}`05_comparison` tests each claim on the numbers computed in this build, with
# decision rules that are first shown to fail, at the rate they promise, on simulated
# data where the claim is false, and states plainly whether it holds.
#
# ## What this replication does
#
# The paper's data are not public, and only its abstract is known to us. So the book
#
# - **generates** a synthetic data set with the paper's shape, starting from raw EMG at 1 kHz,
#   with a *known ground truth*: the synergies that really generated the signals, calibrated
#   so that NMF finds in it what published studies found in real reaching EMG
#   ({doc}`01_data`);
# - **preprocesses** it with the research group's published chain ({doc}`02_preprocessing`);
# - extracts synergies with **NMF**, choosing their number by the $R^2 \ge 0.80$ rule
#   ({doc}`03_nmf`), and with the **16 autoencoder pairings** ({doc}`04_autoencoders`),
#   every analysis at the rule's number of synergies and at the true one;
# - compares reconstruction and interpretability, every similarity beside its chance
#   level, with statistics across participants, and tests the three claims
#   ({doc}`05_comparison`);
# - repeats the tests on real walking EMG ({doc}`06_walking`), on data mixed non-linearly
#   ({doc}`07_nonlinear`) and under other reasonable analysis choices
#   ({doc}`08_robustness`);
# - asks whether an autoencoder's synergies are determined by its data at all: many
#   weights give the same network, and restarts that end at the same loss end with other
#   synergies ({doc}`09_identifiability`).
#
# Chapters 1-5 are the replication, chapters 6-9 go beyond the paper, and the appendix
# holds the {doc}`10_glossary`, the replication {doc}`protocol`, the {doc}`benchmarks`
# and the software versions.
#
# The ground truth gives the one measure of "physiologically meaningful" that needs no
# assumption: how close the extracted synergies are to the ones that generated the data.

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
# ## Where to look things up
#
# The terms the chapters use are defined in the {doc}`10_glossary`, which also lists every
# choice the replication had to make (a parameter of the library each, with where its
# value comes from: the paper, the research group's earlier work, or ours). The
# replication protocol, with the reasons for those choices, is a page of this book
# ({doc}`protocol`), and so are the measurements of what the computations cost
# ({doc}`benchmarks`).
#
# ## How to run it
#
# Everything, from the raw synthetic EMG to this web site, is rebuilt by one command on a
# fresh machine (it installs what it needs, runs every chapter with papermill and builds the
# site):
#
# ```bash
# make book
# ```
#
# and the tests (the library's unit tests, every chapter run with quick parameters, the book
# built from those and checked in a headless browser) by
#
# ```bash
# make test
# ```
#
# The rocket icon at the top of each chapter opens it in **Binder** (a free, temporary
# Jupyter server with everything installed) or Colab. Each chapter starts with a cell of
# parameters: change them and rerun, or rerun one chapter from the command line with other
# values, for instance
#
# ```bash
# .venv/bin/python scripts/run_notebooks.py --profile full --only 03_nmf
# ```
#
# **For a class**, use the `classroom` profile of `notebooks/parameters.yml`: the same
# studies, read from the results shipped with the book (nothing is trained), with the
# computations a chapter makes itself scaled down (fewer participants in the calibration
# and recovery checks, fewer chance draws, simulations and bootstrap resamples), so that
# every chapter executes in a few minutes on two cores and an exercise that changes one of
# those parameters reruns as fast. Its numbers are close to this book's, not the same; the
# measured time per chapter is on the {doc}`benchmarks` page. Every exercise can be done
# in a class period with it; the few whose full solution trains new models for tens of
# minutes say so and give a classroom-sized variant.
#
# ```bash
# .venv/bin/python scripts/run_notebooks.py --profile classroom --only 05_comparison
# ```
#
# ## How to cite
#
# Cite the original paper {cite}`brambilla2025tradeoff`, and this book by its repository.
# The walking data of chapter 6 come from {cite}`santuz2020neuromotor` through the
# musclesyneRgies package {cite}`santuz2022musclesynergies`.
