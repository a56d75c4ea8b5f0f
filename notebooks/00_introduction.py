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
# # Muscle synergies with autoencoders
#
# *Placeholder chapter: the chapter writers replace this file.*
#
# This book replicates {cite:t}`brambilla2025tradeoff`: muscle synergies
# {cite:p}`davella2003combinations,bizzi2013neural` are extracted from EMG with
# non-negative matrix factorization {cite:p}`lee1999learning` and with
# autoencoders {cite:p}`hinton2006reducing`.

# %% tags=["parameters"]
# Parameters: scripts/run_notebooks.py injects notebooks/parameters.yml here.
quick = False
cache_dir = ".cache/full"

# %%
import sys

print(f"Python {sys.version.split()[0]}; quick profile: {quick}")
