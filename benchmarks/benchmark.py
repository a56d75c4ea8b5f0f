"""Speed and memory benchmark of synergylib's autoencoder grid (issue 4).

Run from the repository root::

    .venv/bin/python benchmarks/benchmark.py --quick          # smoke test, < 1 min
    .venv/bin/python benchmarks/benchmark.py                  # paper scale (long)
    .venv/bin/python benchmarks/benchmark.py --participants 2 --n-jobs 1,2

It prints, in one run:

1. the machine: cores, load average, torch threads, and the measured float32
   matrix-multiply peak (a large ``torch.mm``);
2. plain loop vs library on the *same work*: every pairing x restart trained for
   the same number of epochs with the same data, initial weights, optimiser (Adam)
   and constant learning rate; the plain loop is
   :func:`synergylib.autoencoder.train_plain_reference` (one ``nn.Sequential`` per
   model, one after another), the library is
   :func:`synergylib.autoencoder.fit_autoencoder_grid` (all models batched, no
   stopping rule). Runs are interleaved (plain, library, plain, library) so that a
   change in the machine's load hits both; the medians are reported, with the
   ratio, the largest difference of final R2 per pairing, and the arithmetic rate
   achieved (matrix-product FLOPs of forward + backward per second);
3. the training schedule: every pairing trained from the same initial weights
   with the library's default recipe (step decay + plateau stopping rule) and
   with a slow recipe (Adam, constant lr 1e-3, many epochs); the final losses per
   pairing are compared, and the loss curves saved as ``benchmarks/schedule.png``;
4. the full grid: :func:`synergylib.study.run_study` on a fresh cache, for all
   participants or ``--participants K`` (then the time for 15 is extrapolated and
   labelled as such), for each ``--n-jobs`` value;
5. ``torch.compile``: one chunk of 16 relu+tanh models, the library's hand-written
   pass (:func:`synergylib.autoencoder._loss_and_gradients`) against the same
   loss and gradients written plainly and compiled by inductor (compile time and
   microseconds per model-epoch);
6. peak memory: during the full grid, the peak of the memory this process and its
   workers hold together (the sum of their proportional set sizes, sampled); at the
   end, ``ru_maxrss`` of this process and of its largest reaped child.

Timings on a shared machine are noisy: read the ratios, and the load average
printed with them.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from synergylib.autoencoder import (  # noqa: E402
    DEFAULT_TRAINING,
    PAIRINGS,
    fit_autoencoder_grid,
    pairing_name,
    train_plain_reference,
)
from synergylib.metrics import r2_score  # noqa: E402


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} (1 / 5 / 15 min) on {os.cpu_count()} cores"


def matmul_peak(size: int = 2048, repeats: int = 5) -> float:
    """Best float32 GFLOP/s of ``torch.mm`` on two ``size`` x ``size`` matrices."""
    a = torch.randn(size, size)
    b = torch.randn(size, size)
    torch.mm(a, b)
    best = np.inf
    for _ in range(repeats):
        t = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t)
    return 2.0 * size**3 / best / 1e9


def flops_per_model_epoch(n_samples: int, n_muscles: int, n_synergies: int) -> float:
    """Matrix-product FLOPs of one forward + backward pass of one autoencoder.

    Five products of size S x M x N (encoder, decoder, decoder-weight gradient,
    gradient through the decoder, encoder-weight gradient), 2 FLOPs per
    multiply-add; element-wise work is not counted.
    """
    return 10.0 * n_samples * n_muscles * n_synergies


def participant_matrix(index: int = 0) -> np.ndarray:
    """Training matrix of synthetic participant ``index``, (n_samples, n_muscles)."""
    from synergylib.datasets import make_reaching_participant
    from synergylib.preprocessing import preprocess_participant

    matrices = preprocess_participant(make_reaching_participant(index, random_state=0))
    return np.asarray(matrices.train, dtype=np.float64).T


def same_work(X, n_synergies, n_restarts, epochs, lr, repeats):
    """Plain loop vs library, interleaved; returns times, R2 differences and rates."""
    pairings = PAIRINGS
    n_models = len(pairings) * n_restarts
    constant = {"max_epochs": epochs, "learning_rate": lr, "n_lr_decays": 0, "tol": 0.0,
                "patience": epochs + 1}
    plain_times, library_times = [], []
    # Compile the library's CPU kernel (about a second, once per process and N) outside the timing.
    fit_autoencoder_grid(X, n_synergies, pairings=pairings[:1], n_restarts=1, max_epochs=1)
    for _ in range(repeats):
        t = time.perf_counter()
        plain = {
            (p, r): train_plain_reference(X, n_synergies, *p, n_epochs=epochs, learning_rate=lr,
                                          restart=r, random_state=0)[0]
            for p in pairings
            for r in range(n_restarts)
        }
        plain_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        grid = fit_autoencoder_grid(X, n_synergies, n_restarts=n_restarts, random_state=0, **constant)
        library_times.append(time.perf_counter() - t)
    Xt = torch.as_tensor(np.array(X), dtype=torch.float32)
    r2_diff = {}
    for i, p in enumerate(pairings):
        model = grid[p]
        with torch.no_grad():
            out = plain[(p, int(grid.best_restart[i]))](Xt).double().numpy()
        r2_diff[pairing_name(*p)] = abs(model.r2_ - r2_score(X, out))
    t_plain, t_lib = float(np.median(plain_times)), float(np.median(library_times))
    flops = flops_per_model_epoch(*X.shape, n_synergies) * n_models * epochs
    return {
        "n_models": n_models,
        "plain_s": t_plain,
        "library_s": t_lib,
        "plain_all": plain_times,
        "library_all": library_times,
        "r2_diff": r2_diff,
        "rate_plain": flops / t_plain / 1e9,
        "rate_library": flops / t_lib / 1e9,
    }


def schedule_comparison(X, n_synergies, slow_epochs, figure: Path | None, *, pairings=PAIRINGS,
                        max_epochs=None):
    """Default recipe vs slow recipe (Adam lr 1e-3 constant), restart 0 of every pairing."""
    t = time.perf_counter()
    fast = fit_autoencoder_grid(X, n_synergies, pairings=pairings, n_restarts=1, random_state=0,
                                max_epochs=max_epochs)
    t_fast = time.perf_counter() - t
    t = time.perf_counter()
    slow = fit_autoencoder_grid(X, n_synergies, pairings=pairings, n_restarts=1, random_state=0,
                                learning_rate=1e-3,
                                n_lr_decays=0, tol=0.0, patience=slow_epochs + 1,
                                max_epochs=slow_epochs)
    t_slow = time.perf_counter() - t
    rows = []
    for i, name in enumerate(fast.names):
        lf, ls = float(fast.restart_losses[i, 0]), float(slow.restart_losses[i, 0])
        rows.append((name, int(fast.n_epochs[i, 0]), bool(fast.converged[i, 0]), lf, ls, lf / ls - 1.0))
    if figure is not None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        n_cols = 4
        n_rows = -(-len(fast.names) // n_cols)
        fig, axes = plt.subplots(n_rows, n_cols, figsize=(12, 2.5 * n_rows + 0.8), sharex=True,
                                 squeeze=False)
        for ax in axes.ravel()[len(fast.names):]:
            ax.set_visible(False)
        for i, (ax, name) in enumerate(zip(axes.ravel(), fast.names)):
            ax.semilogy(slow.loss_histories[i, 0], color="0.6", label="Adam lr 1e-3 constant")
            ax.semilogy(fast.loss_histories[i, 0], color="C0", label="library default")
            ax.axvline(fast.n_epochs[i, 0], color="C0", ls=":", lw=0.8)
            ax.set_title(f"{name}: {rows[i][5]:+.2%}", fontsize=9)
        from matplotlib.ticker import FuncFormatter

        for ax in axes.ravel():
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v / 1000:g}k"))
        for ax in axes[-1]:
            ax.set_xlabel("epoch")
        for ax in axes[:, 0]:
            ax.set_ylabel("MSE")
        axes[0, 0].legend(fontsize=7)
        fig.suptitle("Training loss, same initial weights: library default schedule vs slow recipe\n"
                     "(title: relative difference of the final loss, default vs slow)")
        fig.tight_layout()
        fig.savefig(figure, dpi=110)
        plt.close(fig)
    return rows, t_fast, t_slow


def compiled_comparison(X, n_synergies, n_models=16, repeats=30):
    """Library pass vs a plainly written pass compiled with torch.compile (relu+tanh)."""
    from synergylib.autoencoder import _initial_parameters, _loss_and_gradients, _restart_seeds

    S, M = X.shape
    N = n_synergies
    inits = [_initial_parameters(seed, M, N) for seed in _restart_seeds(0, n_models)]
    W_e, b_e, W_d, b_d = (torch.as_tensor(np.stack([p[i] for p in inits]), dtype=torch.float32)
                          for i in range(4))
    Xt = torch.tensor(X, dtype=torch.float32)
    XT = Xt.T.contiguous()
    runs = [(0, n_models, "relu")], [(0, n_models, "tanh")]

    def library():
        return _loss_and_gradients(XT, Xt, W_e, b_e, W_d, b_d, *runs)

    def plain(XT, X, W_e, b_e, W_d, b_d):
        A = torch.relu(torch.matmul(W_e, XT) + b_e[:, :, None])
        Y = torch.tanh(torch.bmm(W_d, A) + b_d[:, :, None])
        R = Y - XT
        losses = (R * R).mean(dim=(1, 2))
        D = R * (1 - Y * Y) * (2.0 / (S * M))
        G = torch.bmm(W_d.transpose(1, 2), D) * (A > 0)
        return losses, (torch.matmul(G, X), G.sum(2), torch.bmm(D, A.transpose(1, 2)), D.sum(2))

    def per_model_epoch_us(f):
        f()
        t = time.perf_counter()
        for _ in range(repeats):
            f()
        return (time.perf_counter() - t) / repeats / n_models * 1e6

    out = {"library_us": per_model_epoch_us(library),
           "eager_us": per_model_epoch_us(lambda: plain(XT, Xt, W_e, b_e, W_d, b_d))}
    try:
        compiled = torch.compile(plain)
        t = time.perf_counter()
        reference = compiled(XT, Xt, W_e, b_e, W_d, b_d)
        out["compile_s"] = time.perf_counter() - t
        out["compiled_us"] = per_model_epoch_us(lambda: compiled(XT, Xt, W_e, b_e, W_d, b_d))
        mine = library()
        out["max_rel_diff"] = max(
            float((a - b).abs().max() / b.abs().max())
            for a, b in zip((reference[0],) + reference[1], (mine[0],) + mine[1])
        )
    except Exception as error:  # no C++ compiler, unsupported platform, ...
        out["error"] = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
    return out


def full_grid(n_participants, n_jobs, quick, keep: Path | None = None):
    """Wall time of ``run_study`` on a fresh, empty cache.

    With ``keep``, the computed result files are then copied into that folder (the
    book's cache, say), without overwriting files already there. Each is copied to a
    temporary name that ``run_study`` removes as a leftover, then renamed, so an
    interrupted copy leaves no partial result in the cache.
    """
    import shutil

    from synergylib.study import StudyConfig, quick_config, run_study

    config = quick_config(n_participants=n_participants) if quick else StudyConfig()
    with tempfile.TemporaryDirectory(prefix="synergy-bench-") as cache:
        t = time.perf_counter()
        results = run_study(config, cache_dir=cache, participants=range(n_participants),
                            n_jobs=n_jobs, progress=False)
        wall = time.perf_counter() - t
        # Shut joblib's worker processes down so that they are reaped and their peak
        # memory shows in RUSAGE_CHILDREN (see peak_memory_mb).
        from joblib.externals.loky import get_reusable_executor

        get_reusable_executor().shutdown(wait=True)
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            for path in Path(cache).glob("*.npz"):
                if not (keep / path.name).exists():
                    partial = keep / f".{path.stem}.tmp"
                    shutil.copy2(path, partial)
                    os.replace(partial, keep / path.name)
    return wall, results


class TotalMemorySampler:
    """Peak of the memory this process and all its descendants use together.

    Every ``interval`` seconds, a thread sums the proportional set size (PSS, from
    ``/proc/<pid>/smaps_rollup``) of this process and of every process descended
    from it (joblib's workers). PSS counts a page shared by k processes (the
    libraries' code, say) as 1/k in each, so the sum is the memory the run holds,
    where the sum of resident sizes would count shared libraries once per process.
    Linux only; ``peak_mib`` stays NaN elsewhere. A sample costs about 16 ms of CPU
    (measured with two 600 MB workers), so the default of one per second takes about
    1.6 % of one core from the run it measures.
    """

    def __init__(self, interval: float = 1.0):
        import threading

        self.interval = interval
        self.peak_mib = float("nan")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _descendants(root: int) -> list[int]:
        parent = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                parent[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        found, frontier = [root], [root]
        while frontier:
            frontier = [pid for pid, ppid in parent.items() if ppid in frontier]
            found += frontier
        return found

    @staticmethod
    def _pss_kib(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            total = sum(self._pss_kib(pid) for pid in self._descendants(os.getpid())) / 1024
            if total > 0:
                self.peak_mib = total if np.isnan(self.peak_mib) else max(self.peak_mib, total)
            self._stop.wait(self.interval)

    def __enter__(self):
        if Path("/proc/self/smaps_rollup").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def peak_memory_mb() -> tuple[float, float]:
    """ru_maxrss (KiB on Linux) of this process and of its reaped children, in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke test (< 1 min)")
    parser.add_argument("--participants", type=int, default=None,
                        help="run K participants of the full grid and extrapolate to 15")
    parser.add_argument("--n-jobs", default="2", help="comma-separated n_jobs values, e.g. 1,2")
    parser.add_argument("--threads", type=int, default=1, help="torch threads in this process")
    parser.add_argument("--epochs", type=int, default=None, help="epochs of the same-work comparison")
    parser.add_argument("--slow-epochs", type=int, default=None, help="epochs of the slow recipe")
    parser.add_argument("--keep-results", type=Path, default=None, metavar="DIR",
                        help="copy the full grid's result files into DIR afterwards "
                             "(e.g. results, so that `make book` reuses them)")
    parser.add_argument("--sections", default="same,schedule,compile,grid",
                        help="comma-separated subset of same,schedule,compile,grid "
                             "(to run them separately)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    quick = args.quick
    epochs = args.epochs or (100 if quick else 200)
    slow_epochs = args.slow_epochs or (1000 if quick else 40000)
    n_restarts = 1 if quick else 10
    repeats = 1 if quick else 3
    n_synergies = 3
    jobs = [int(j) for j in args.n_jobs.split(",")]

    print("== machine")
    print(f"{load()}; torch {torch.__version__}, {torch.get_num_threads()} thread(s) in this process")
    peak1 = matmul_peak()
    print(f"torch.mm 2048x2048 float32 peak: {peak1:.1f} GFLOP/s ({torch.get_num_threads()} thread(s))")
    print(f"library defaults: {DEFAULT_TRAINING}")

    sections = set(args.sections.split(","))
    X = participant_matrix(0)
    if "same" in sections:
        print(f"\n== same work: participant 0, X {X.shape}, N = {n_synergies}, 16 pairings x {n_restarts} "
              f"restart(s), {epochs} epochs, Adam lr 1e-3 constant, {repeats} interleaved repeat(s)")
        print(f"   {load()}")
        sw = same_work(X, n_synergies, n_restarts, epochs, 1e-3, repeats)
        per = 1e3 / (sw["n_models"] * epochs)
        print(f"plain loop : {sw['plain_s']:.2f} s ({sw['plain_s'] * per:.4f} ms per model-epoch); "
              f"runs {[round(v, 2) for v in sw['plain_all']]}")
        print(f"library    : {sw['library_s']:.2f} s ({sw['library_s'] * per:.4f} ms per model-epoch); "
              f"runs {[round(v, 2) for v in sw['library_all']]}")
        print(f"ratio plain / library: {sw['plain_s'] / sw['library_s']:.1f}x")
        worst = max(sw["r2_diff"], key=sw["r2_diff"].get)
        print(f"largest |R2 library - R2 plain| over pairings: {sw['r2_diff'][worst]:.2e} ({worst}); "
              f"all <= 1e-3: {max(sw['r2_diff'].values()) <= 1e-3}")
        print(f"arithmetic rate (matrix-product FLOPs fwd+bwd): library {sw['rate_library']:.1f} GFLOP/s, "
              f"plain {sw['rate_plain']:.1f} GFLOP/s, torch.mm peak {peak1:.1f} GFLOP/s "
              f"(library at {sw['rate_library'] / peak1:.0%} of peak)")

    if "schedule" in sections:
        print(f"\n== schedule: default recipe vs slow recipe (Adam lr 1e-3 constant, {slow_epochs} epochs), "
              f"restart 0 of each pairing, same initial weights, N = {n_synergies}")
        figure = ROOT / "benchmarks" / ("schedule_quick.png" if quick else "schedule.png")
        if quick:  # four pairings, both recipes capped at slow_epochs: a smoke test, not evidence
            print(f"   QUICK: 4 pairings, default recipe capped at {slow_epochs} epochs")
            rows, t_fast, t_slow = schedule_comparison(
                X, n_synergies, slow_epochs, figure, max_epochs=slow_epochs,
                pairings=[("linear", "linear"), ("relu", "tanh"), ("sigmoid", "sigmoid"), ("tanh", "relu")])
        else:
            rows, t_fast, t_slow = schedule_comparison(X, n_synergies, slow_epochs, figure)
        print(f"{'pairing':<18}{'epochs':>8}{'conv':>6}{'loss default':>14}{'loss slow':>12}{'rel. diff':>11}")
        for name, ep, conv, lf, ls, rel in rows:
            print(f"{name:<18}{ep:>8}{str(conv):>6}{lf:>14.6g}{ls:>12.6g}{rel:>+11.3%}")
        rel = np.array([r[5] for r in rows])
        print(f"default recipe {t_fast:.1f} s, slow recipe {t_slow:.1f} s; relative loss difference "
              f"(default - slow) / slow: max {rel.max():+.3%}, min {rel.min():+.3%}; "
              f"pairings more than 1% worse than the slow recipe: {int(np.sum(rel > 0.01))}")
        print(f"figure: {figure.relative_to(ROOT)}")

    if "compile" in sections:
        print(f"\n== torch.compile: one chunk of 16 relu+tanh models, X {X.shape}, N = {n_synergies}")
        cc = compiled_comparison(X, n_synergies)
        print(f"library hand-written pass: {cc['library_us']:.1f} us per model-epoch; "
              f"plain formulation, eager: {cc['eager_us']:.1f} us")
        if "error" in cc:
            print(f"torch.compile failed here: {cc['error']}")
        else:
            print(f"plain formulation, torch.compile (inductor): {cc['compiled_us']:.1f} us per model-epoch "
                  f"after {cc['compile_s']:.1f} s of compilation; largest relative difference to the "
                  f"library {cc['max_rel_diff']:.1e}")

    if "grid" in sections:
        k = args.participants or (1 if quick else 15)
        label = "quick_config()" if quick else "StudyConfig()"
        for n_jobs in jobs:
            print(f"\n== full grid: run_study({label}) on {k} participant(s), n_jobs={n_jobs}, fresh cache")
            print(f"   {load()}")
            with TotalMemorySampler() as memory:
                wall, results = full_grid(k, n_jobs, quick, keep=args.keep_results)
            print(f"wall time {wall:.1f} s for {k} participant(s); per-participant compute "
                  f"{[round(r.elapsed_s, 1) for r in results]} s (NMF + autoencoders, excluding data)")
            print(f"peak total memory of this process and its workers together (sum of PSS, "
                  f"sampled every {memory.interval:g} s): {memory.peak_mib:.0f} MiB")
            epochs_run = np.concatenate([r.ae_n_epochs for r in results])
            conv = np.concatenate([r.ae_converged for r in results])
            print(f"kept restarts: epochs median {np.median(epochs_run):.0f}, max {epochs_run.max()}; "
                  f"converged {conv.mean():.0%}")
            if k < 15 and not quick:
                print(f"EXTRAPOLATED to 15 participants: {wall * 15 / k / 60:.1f} min "
                      f"(linear in participants; not measured)")
            print(f"   {load()}")

    own, children = peak_memory_mb()
    print(f"\n== peak resident memory: this process {own:.0f} MiB, largest reaped child {children:.0f} MiB "
          f"(the joblib workers of the grid included: they are shut down after it)")


if __name__ == "__main__":
    main()
