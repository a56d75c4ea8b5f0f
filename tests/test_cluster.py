"""A study runs on a Dask cluster through joblib and gives the results of ``n_jobs=1``.

The README's "Running on a cluster" recipe, on a local cluster of two worker
processes (the same scheduler/worker protocol as a cluster of machines): every
field of every participant's result is identical to the one computed in this
process, and the cluster's workers, not this process, ran the tasks.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")
joblib = pytest.importorskip("joblib")

import synergylib.study as study  # noqa: E402
from synergylib.study import AutoencoderConfig, ParticipantResult, StudyConfig, run_study  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

# The smallest configuration of tests/test_study.py (seconds per participant), with two
# pairings of each parity, so that run_study splits each participant's pairings in two
# tasks of two models (synergylib.study._pairing_groups), the path the last participants
# take. (A task of a single model, one pairing with one restart, trains differently in
# the last digits from the same model in a batch, with loky as with dask: not tested here.)
TINY = StudyConfig(
    n_participants=2,
    generator="clean",  # the pipeline's mechanics, fast: clean data reach R2 >= 0.8 by N = 3
    dataset={"n_repetitions": 3},
    n_max=4,
    nmf_restarts=1,
    nmf_max_iter=400,
    autoencoder=AutoencoderConfig(
        n_restarts=1, max_epochs=40, pairings=(("linear", "linear"), ("relu", "tanh"), ("linear", "relu"), ("tanh", "sigmoid"))
    ),
)
PARTICIPANTS = [0, 1]


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.shutdown()  # stops the scheduler and the workers (and the cluster)
        cluster.close()


def _assert_same_results(a: ParticipantResult, b: ParticipantResult) -> None:
    for f in dataclasses.fields(ParticipantResult):
        if f.name == "elapsed_s":  # a timing
            continue
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            np.testing.assert_array_equal(x, y, err_msg=f"participant {a.index}: {f.name}")
        else:
            assert x == y, f"participant {a.index}: {f.name}"


def test_study_on_a_dask_cluster_gives_the_results_of_one_process(client, tmp_path):
    workers = set(client.scheduler_info()["workers"])
    assert len(workers) == 2
    with distributed.get_task_stream(client) as stream:
        with joblib.parallel_config(backend="dask"):
            on_cluster = run_study(TINY, participants=PARTICIPANTS, cache_dir=tmp_path,
                                   n_jobs=2, progress=False)
    # Not vacuous: the cluster's worker processes ran the study's tasks, both kinds.
    assert stream.data, "the dask cluster ran no task: joblib did not use the dask backend"
    assert {task["worker"] for task in stream.data} <= workers
    keys = " ".join(str(task["key"]) for task in stream.data)
    assert "_prepare" in keys and "_autoencoder_part" in keys, keys

    # The calling process saved the results; read back, by the workers, they are the same.
    assert len(list(tmp_path.glob("participant*.npz"))) == len(PARTICIPANTS)
    study._DATA_CACHE.clear()  # this process keeps the data the workers sent; forget them
    with distributed.get_task_stream(client) as stream:
        with joblib.parallel_config(backend="dask"):
            from_cache = run_study(TINY, participants=PARTICIPANTS, cache_dir=tmp_path,
                                   n_jobs=2, progress=False)
    assert "_load" in " ".join(str(task["key"]) for task in stream.data)

    local = run_study(TINY, participants=PARTICIPANTS, n_jobs=1, progress=False)
    assert [r.index for r in on_cluster] == [r.index for r in local] == PARTICIPANTS
    for results in (on_cluster, from_cache):
        for a, b in zip(results, local):
            _assert_same_results(a, b)
