"""Would a larger learning rate make the grid faster without changing its results? (issue 4)

The library trains every model with Adam from ``learning_rate`` (default 1e-3), divides
it by 10 twice on plateaus, and stops on the plateau rule (see
:class:`synergylib.autoencoder.SynergyAutoencoder`). Most of the grid's time is epochs,
so a larger starting rate is the obvious lever. This script measures what it costs:
one participant of the main study (its data, ``N``, seeds and ground truth, so the
default rate reproduces its models in the book), all 16 pairings x ``--n-restarts``
restarts from the same initial weights, once per learning rate, and prints

* per rate: wall time of the grid (one thread), epochs of the restarts (median, max),
  the share that converged;
* per pairing and rate: the best restart's training loss relative to the default rate
  (``(L - L_default) / L_default``) and its mean cosine to the ground-truth synergies
  (the interpretability measure of the book's claims).

A lever that is free leaves every pairing's best loss and cosine where they were. A
pairing whose best loss stays put while its cosine moves has several equally good
solutions with different synergies (with a linear encoder, for one, any invertible
mixing of the bottleneck gives the same loss), and the optimiser's path picks one. Run
from the repository root::

    .venv/bin/python benchmarks/learning_rate.py                        # 4 rates, about 5 min
    .venv/bin/python benchmarks/learning_rate.py --participant 3 --learning-rates 0.001,0.003

Rates run in parallel (``--n-jobs``, one thread each), so the wall times of rates that
run together share the machine: compare them with each other, not with other runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from synergylib.autoencoder import fit_autoencoder_grid
from synergylib.metrics import ground_truth_similarity
from synergylib.study import (
    StudyConfig,
    _nmf_part,
    _participant_matrices,
    _seeds,
)


def run_rate(learning_rate: float, index: int, n_restarts: int) -> dict:
    """Participant ``index`` of the main study, its grid trained at one learning rate.

    Data, preprocessing, ``N``, seeds and ground truth are those of
    :func:`synergylib.study.run_study` with ``StudyConfig()``, so the default rate
    reproduces that participant's models in the main study.
    """
    import torch

    torch.set_num_threads(1)
    config = StudyConfig()
    matrices, W_true = _participant_matrices(index, config)
    nmf = _nmf_part(matrices, config, index)
    _, ae_seed = _seeds(config.random_state, index)
    params = dict(config.autoencoder.training_params(), learning_rate=learning_rate)
    start = time.perf_counter()
    grid = fit_autoencoder_grid(nmf.X, nmf.n_synergies, n_restarts=n_restarts,
                                random_state=ae_seed, **params)
    wall = time.perf_counter() - start
    cosine = [ground_truth_similarity(W_true, grid[name].synergies_)["mean_cosine"]
              for name in grid.names]
    return {
        "learning_rate": learning_rate,
        "n_synergies": nmf.n_synergies,
        "wall": wall,
        "names": list(grid.names),
        "best_loss": grid.restart_losses.min(axis=1),
        "cosine": np.array(cosine),
        "epochs": grid.n_epochs,
        "converged": grid.converged,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participant", type=int, default=0)
    parser.add_argument("--n-restarts", type=int, default=10)
    parser.add_argument("--learning-rates", default="0.001,0.003,0.01,0.03",
                        help="comma-separated; the library's default is compared against")
    parser.add_argument("--n-jobs", type=int, default=2, help="rates trained in parallel")
    args = parser.parse_args(argv)

    from joblib import Parallel, delayed

    others_settings = StudyConfig().autoencoder.training_params()
    default = others_settings.pop("learning_rate")
    rates = sorted({float(r) for r in args.learning_rates.split(",")} | {default})
    print(f"== learning rate: participant {args.participant} of the main study, 16 pairings x "
          f"{args.n_restarts} restarts; other training settings: {others_settings}")
    runs = Parallel(n_jobs=args.n_jobs)(
        delayed(run_rate)(r, args.participant, args.n_restarts) for r in rates
    )
    by_rate = {run["learning_rate"]: run for run in runs}
    base = by_rate[default]
    print(f"N = {base['n_synergies']} (the study's: smallest N with NMF R2 >= 0.80)\n")
    print(f"{'rate':>8} {'wall s':>8} {'epochs median':>14} {'epochs max':>11} {'converged':>10}")
    for r in rates:
        run = by_rate[r]
        print(f"{r:>8g} {run['wall']:>8.1f} {np.median(run['epochs']):>14.0f} "
              f"{run['epochs'].max():>11d} {run['converged'].mean():>10.0%}")

    others = [r for r in rates if r != default]
    print(f"\nbest restart's training loss relative to rate {default:g}, and mean cosine to the "
          "ground truth (rate: cosine)")
    print(f"{'pairing':<16}" + "".join(f"{f'loss @{r:g}':>12}" for r in others)
          + "".join(f"{f'cos @{r:g}':>12}" for r in rates))
    for k, name in enumerate(base["names"]):
        rel = [(by_rate[r]["best_loss"][k] - base["best_loss"][k]) / base["best_loss"][k]
               for r in others]
        print(f"{name:<16}" + "".join(f"{v:>+12.3f}" for v in rel)
              + "".join(f"{by_rate[r]['cosine'][k]:>12.3f}" for r in rates))
    for r in others:
        rel = (by_rate[r]["best_loss"] - base["best_loss"]) / base["best_loss"]
        dcos = np.abs(by_rate[r]["cosine"] - base["cosine"])
        same = np.abs(rel) <= 0.01
        k = int(np.argmax(np.where(same, dcos, -1.0)))
        print(f"rate {r:g}: time {by_rate[r]['wall'] / base['wall']:.2f}x the default's; "
              f"{int(same.sum())} of {len(rel)} pairings within 1% of the default's best loss "
              f"(largest |change| of loss {np.abs(rel).max():.3f}); among those, the cosine to "
              f"the ground truth moves by up to {dcos[k]:.3f} ({base['names'][k]})")


if __name__ == "__main__":
    main()
