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
# *Placeholder chapter: the chapter writers replace this file.*

# %% tags=["parameters"]
# Parameters: scripts/run_notebooks.py injects notebooks/parameters.yml here.
quick = False
cache_dir = ".cache/full"

# %%
import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(0)
x = np.linspace(0.0, 1.0, 100)
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(x, np.sin(2 * np.pi * x) + 0.1 * rng.standard_normal(x.size))
ax.set_title("Reconstruction against number of synergies (placeholder)")
ax.set_xlabel("normalised time")
plt.show()
