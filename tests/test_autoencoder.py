"""Tests of synergylib.autoencoder: the batched trainer, the estimator, the grid."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from synergylib.autoencoder import (
    PAIRINGS,
    AutoencoderGrid,
    SynergyAutoencoder,
    activation_function,
    decode,
    _loss_and_gradients,
    _runs,
    fit_autoencoder_grid,
    initial_parameters,
    pairing_name,
    parse_pairing,
    train_plain,
    train_plain_reference,
)
from synergylib._validation import SynergyInputError

# Small, fast settings shared by the tests.
FAST = {"max_epochs": 300, "learning_rate": 1e-2, "patience": 20}
TORCH_ACT = {"linear": torch.nn.Identity, "relu": torch.nn.ReLU,
             "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh}


def _synergy_data(n_samples=500, n_muscles=8, n_synergies=3, noise=0.02, seed=0):
    """Non-negative rank-``n_synergies`` envelopes plus noise, max-normalised to [0, 1]."""
    rng = np.random.default_rng(seed)
    W = rng.random((n_muscles, n_synergies))
    t = np.linspace(0.0, 1.0, n_samples)
    centres = rng.random((n_synergies, 20))
    H = np.exp(-0.5 * ((t[None, None, :] - centres[:, :, None]) / 0.02) ** 2).sum(axis=1)
    X = (W @ H).T
    X = np.clip(X + noise * X.std() * rng.standard_normal(X.shape), 0.0, None)
    return X / X.max(axis=0)


@pytest.fixture(scope="module")
def X():
    return _synergy_data()


@pytest.fixture(scope="module")
def grid(X):
    return fit_autoencoder_grid(X, 3, n_restarts=2, random_state=0, **FAST)


def _network(model: SynergyAutoencoder) -> torch.nn.Sequential:
    """A plain torch network holding a fitted model's parameters (float64)."""
    n_muscles, n_syn = model.synergies_.shape
    enc = torch.nn.Linear(n_muscles, n_syn, dtype=torch.float64)
    dec = torch.nn.Linear(n_syn, n_muscles, dtype=torch.float64)
    with torch.no_grad():
        enc.weight.copy_(torch.from_numpy(model.encoder_weights_))
        enc.bias.copy_(torch.from_numpy(model.encoder_bias_))
        dec.weight.copy_(torch.from_numpy(model.synergies_ * model.synergy_scale_))
        dec.bias.copy_(torch.from_numpy(model.decoder_bias_))
    return torch.nn.Sequential(enc, TORCH_ACT[model.encoder](), dec, TORCH_ACT[model.decoder]())


# --------------------------------------------------------------------------- #
# Names
# --------------------------------------------------------------------------- #
def test_pairings_are_the_16_combinations():
    assert len(PAIRINGS) == 16 and len(set(PAIRINGS)) == 16
    assert PAIRINGS[0] == ("linear", "linear") and PAIRINGS[-1] == ("tanh", "tanh")
    assert pairing_name("ReLU", "tanh") == "relu+tanh"
    assert parse_pairing("relu+tanh") == ("relu", "tanh") == parse_pairing(("relu", "tanh"))


# --------------------------------------------------------------------------- #
# The hand-written forward/backward pass
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("use_kernel", [True, False], ids=["numba-sweep", "torch-ops"])
@pytest.mark.parametrize("S", [40, 1100], ids=["one-block", "three-blocks"])
def test_batched_gradients_equal_autograd(use_kernel, S, monkeypatch):
    """Losses and gradients of all 16 pairings at once equal autograd's, model by model,
    with the compiled decoder sweep (CPU default) and with PyTorch's operations (CUDA's
    path); 1100 samples are two full blocks of the sweep and a partial one."""
    import synergylib.autoencoder as ae

    monkeypatch.setattr(ae, "_USE_KERNEL", use_kernel)
    gen = torch.Generator().manual_seed(0)
    M, N = 6, 3
    X = torch.rand(S, M, dtype=torch.float64, generator=gen)
    m = len(PAIRINGS)
    theta = [torch.randn(*shape, dtype=torch.float64, generator=gen)
             for shape in ((m, N, M), (m, N), (m, M, N), (m, M))]
    codes = {a: i for i, a in enumerate(("linear", "relu", "sigmoid", "tanh"))}
    enc = np.array([codes[e] for e, _ in PAIRINGS])
    dec = np.array([codes[d] for _, d in PAIRINGS])
    # Decoder slices are not sorted here on purpose: runs of length one must work too.
    losses, grads = _loss_and_gradients(X.T.contiguous(), X, *theta, _runs(enc), _runs(dec))
    leaves = [t.clone().requires_grad_() for t in theta]
    f = {"linear": lambda z: z, "relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}
    ref = torch.stack([
        torch.mean((f[d](f[e](X @ leaves[0][i].T + leaves[1][i]) @ leaves[2][i].T + leaves[3][i]) - X) ** 2)
        for i, (e, d) in enumerate(PAIRINGS)
    ])
    ref_grads = torch.autograd.grad(ref.sum(), leaves)
    torch.testing.assert_close(losses, ref.detach(), rtol=1e-12, atol=1e-14)
    for g, r in zip(grads, ref_grads):
        torch.testing.assert_close(g, r, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("N", [1, 4, 7])
def test_compiled_sweep_equals_torch_operations_in_float32(N, monkeypatch):
    """In float32 (the training dtype) the compiled sweep and PyTorch's operations agree
    to float32 rounding for every pairing, for several N (one kernel is generated per N)."""
    import synergylib.autoencoder as ae

    gen = torch.Generator().manual_seed(N)
    S, M = 1500, 16
    X = torch.rand(S, M, generator=gen)
    m = len(PAIRINGS)
    theta = [0.5 * torch.randn(*shape, generator=gen) for shape in ((m, N, M), (m, N), (m, M, N), (m, M))]
    enc = np.array([ae.ACTIVATIONS.index(e) for e, _ in PAIRINGS])
    dec = np.array([ae.ACTIVATIONS.index(d) for _, d in PAIRINGS])
    out = {}
    for use_kernel in (True, False):
        monkeypatch.setattr(ae, "_USE_KERNEL", use_kernel)
        out[use_kernel] = _loss_and_gradients(X.T.contiguous(), X, *theta, _runs(enc), _runs(dec))
    (kernel_losses, kernel_grads), (torch_losses, torch_grads) = out[True], out[False]
    torch.testing.assert_close(kernel_losses.float(), torch_losses, rtol=2e-6, atol=0)
    for g, r in zip(kernel_grads, torch_grads):
        assert g.dtype == r.dtype == torch.float32
        torch.testing.assert_close(g, r, rtol=1e-5, atol=1e-5 * float(r.abs().max()))


# --------------------------------------------------------------------------- #
# Every pairing
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("pairing", PAIRINGS, ids=[pairing_name(*p) for p in PAIRINGS])
def test_every_pairing_trains_and_reconstructs_through_its_synergies(grid, X, pairing):
    model = grid[pairing]
    assert model.loss_history_[-1] < 0.5 * model.loss_history_[0]  # it learned
    assert model.restart_losses_.shape == (2,)
    assert model.restart_losses_[model.best_restart_] == model.restart_losses_.min()
    assert model.loss_history_.shape == (model.n_epochs_ + 1,)
    assert model.restart_losses_.min() == np.nanmin(model.loss_history_)
    # Unit-norm synergies; W H is the decoder's input without bias.
    np.testing.assert_allclose(np.linalg.norm(model.synergies_, axis=0), 1.0, rtol=1e-12)
    H = model.transform(X)
    assert H.shape == (X.shape[0], 3) and H.dtype == np.float64
    f_enc = {"linear": lambda z: z, "relu": lambda z: np.maximum(z, 0),
             "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh}[model.encoder]
    W_d = model.synergies_ * model.synergy_scale_
    np.testing.assert_allclose(H @ model.synergies_.T,
                               f_enc(X @ model.encoder_weights_.T + model.encoder_bias_) @ W_d.T,
                               atol=1e-12)
    # inverse_transform(transform(X)) is the network's own output.
    with torch.no_grad():
        forward = _network(model)(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(model.inverse_transform(H), forward, atol=1e-5)
    np.testing.assert_allclose(model.reconstruct(X), forward, atol=1e-5)
    # The kept loss is the network's MSE (training ran in float32).
    np.testing.assert_allclose(np.mean((forward - X) ** 2), model.restart_losses_.min(), rtol=1e-4)
    assert model.score(X) == pytest.approx(model.r2_)


def test_grid_access_and_shapes(grid):
    assert isinstance(grid, AutoencoderGrid) and len(grid) == 16
    assert grid["relu+tanh"] is grid[("relu", "tanh")]
    assert "relu+tanh" in grid and "nope" not in grid
    assert grid.restart_losses.shape == (16, 2)
    assert grid.loss_histories.shape[:2] == (16, 2)
    assert grid.n_epochs.shape == grid.converged.shape == (16, 2)
    np.testing.assert_array_equal(grid.best_restart, [grid[p].best_restart_ for p in grid])
    small = fit_autoencoder_grid(_synergy_data(50), 2, pairings=["relu+tanh"], n_restarts=1,
                                 random_state=0, max_epochs=5)
    with pytest.raises(KeyError, match="linear\\+linear"):
        small["linear+linear"]


# --------------------------------------------------------------------------- #
# Reproducibility and independence of the models in a batch
# --------------------------------------------------------------------------- #
def _fit(X, **kw):
    params = {"n_synergies": 3, "encoder": "tanh", "decoder": "sigmoid", "n_restarts": 2, "random_state": 1}
    params.update(FAST)
    params.update(kw)
    return SynergyAutoencoder(**params).fit(X)


def test_same_seed_bit_identical_different_seed_differs(X):
    a, b, c = _fit(X), _fit(X), _fit(X, random_state=2)
    for name in ("synergies_", "encoder_weights_", "decoder_bias_", "loss_history_", "restart_losses_"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.allclose(a.synergies_, c.synergies_)


def test_grid_model_equals_standalone_model(grid, X):
    """Training alongside 31 other models changes nothing beyond float rounding.

    What holds: the histories agree to 1e-6 relative and the parameters to 1e-5
    (in practice they are usually bit-identical on CPU, but BLAS may block a
    matrix product differently for different batch sizes, so bitwise equality is
    not promised).
    """
    for enc, dec in [("relu", "tanh"), ("sigmoid", "linear")]:
        alone = SynergyAutoencoder(3, encoder=enc, decoder=dec, n_restarts=2, random_state=0,
                                   **FAST).fit(X)
        in_grid = grid[(enc, dec)]
        assert alone.best_restart_ == in_grid.best_restart_
        assert alone.n_epochs_ == in_grid.n_epochs_
        np.testing.assert_allclose(alone.loss_history_, in_grid.loss_history_, rtol=1e-6)
        np.testing.assert_allclose(alone.synergies_, in_grid.synergies_, atol=1e-5)
        np.testing.assert_allclose(alone.encoder_weights_, in_grid.encoder_weights_, atol=1e-5)


@pytest.mark.parametrize("pairing", [("linear", "linear"), ("relu", "tanh"), ("sigmoid", "sigmoid")])
def test_batched_training_matches_plain_torch_loop(X, pairing):
    """Same initialisation and epochs as an nn.Sequential + torch.optim.Adam loop: same R2."""
    epochs, lr = 200, 1e-2
    # Constant learning rate, no stopping (tol=0 and patience beyond max_epochs).
    grid = fit_autoencoder_grid(X, 3, pairings=[pairing], n_restarts=1, random_state=3,
                                max_epochs=epochs, learning_rate=lr, n_lr_decays=0, tol=0.0,
                                patience=epochs + 1)
    model, losses = train_plain_reference(X, 3, *pairing, n_epochs=epochs, learning_rate=lr,
                                          restart=0, random_state=3)
    np.testing.assert_allclose(grid.loss_histories[0, 0, :10], losses[:10], rtol=1e-5)
    with torch.no_grad():
        plain_fit = model(torch.as_tensor(X, dtype=torch.float32)).double().numpy()
    from synergylib.metrics import r2_score

    assert abs(grid[pairing].r2_ - r2_score(X, plain_fit)) < 1e-3


def test_converged_model_is_frozen(X):
    """A model that converged early keeps exactly the parameters it had when it froze,
    however long the others train: it equals the same model run for only that many epochs."""
    pairings = [("linear", "linear"), ("sigmoid", "sigmoid")]
    grid = fit_autoencoder_grid(X, 3, pairings=pairings, n_restarts=1, random_state=0,
                                max_epochs=2000, patience=10, tol=1e-3, learning_rate=1e-2)
    fast, slow = grid[pairings[0]], grid[pairings[1]]
    assert fast.converged_ and fast.n_epochs_ < slow.n_epochs_
    history = grid.loss_histories[0, 0]
    assert np.isnan(history[fast.n_epochs_ + 1:]).all() and np.isfinite(history[: fast.n_epochs_ + 1]).all()
    stopped = fit_autoencoder_grid(X, 3, pairings=pairings[:1], n_restarts=1, random_state=0,
                                   max_epochs=fast.n_epochs_, patience=10, tol=1e-3,
                                   learning_rate=1e-2)[pairings[0]]
    np.testing.assert_allclose(stopped.encoder_weights_, fast.encoder_weights_, atol=1e-6)
    np.testing.assert_allclose(stopped.synergies_, fast.synergies_, atol=1e-6)
    np.testing.assert_allclose(stopped.restart_losses_, fast.restart_losses_, rtol=1e-6)


def test_linear_autoencoder_recovers_rank_n_data():
    X = _synergy_data(noise=0.0)
    model = SynergyAutoencoder(3, encoder="linear", decoder="linear", n_restarts=1,
                               random_state=0, max_epochs=4000,
                               learning_rate=1e-2).fit(X)
    assert model.r2_ > 0.9999
    assert model.converged_


def test_float64_and_auto_device(X):
    model = _fit(X, dtype="float64", device="auto", max_epochs=20)
    assert model.synergies_.dtype == np.float64 and np.isfinite(model.r2_)


# --------------------------------------------------------------------------- #
# Bad input
# --------------------------------------------------------------------------- #
def test_nan_input_rejected(X):
    bad = X.copy()
    bad[3, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        SynergyAutoencoder(2, max_epochs=5).fit(bad)


def test_inf_input_rejected(X):
    bad = X.copy()
    bad[0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        fit_autoencoder_grid(bad, 2, max_epochs=5)


def test_1d_input_rejected(X):
    with pytest.raises(ValueError, match="2D"):
        SynergyAutoencoder(2, max_epochs=5).fit(X[:, 0])


def test_fewer_samples_than_synergies(X):
    with pytest.raises(ValueError, match="fewer samples than synergies"):
        SynergyAutoencoder(3, max_epochs=5).fit(X[:2])


@pytest.mark.parametrize("n", [0, 9])
def test_n_synergies_out_of_range(X, n):
    with pytest.raises(ValueError, match="n_synergies"):
        SynergyAutoencoder(n, max_epochs=5).fit(X)


@pytest.mark.parametrize("role", ["encoder", "decoder"])
def test_unknown_activation(X, role):
    with pytest.raises(ValueError, match=f"Unknown {role} activation 'softplus'"):
        SynergyAutoencoder(2, max_epochs=5, **{role: "softplus"}).fit(X)


@pytest.mark.parametrize(
    "param, value",
    [("n_restarts", 0), ("learning_rate", -1e-3), ("learning_rate", float("nan")),
     ("max_epochs", 0), ("tol", -1.0), ("patience", 0), ("dtype", "float16")],
)
def test_bad_training_parameters(X, param, value):
    kwargs = {"max_epochs": 5, param: value}
    with pytest.raises(ValueError, match=param):
        SynergyAutoencoder(2, **kwargs).fit(X)


def test_unknown_device(X):
    with pytest.raises(ValueError, match="Unknown device 'tpu'"):
        SynergyAutoencoder(2, max_epochs=5, device="tpu").fit(X)


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA is available here")
def test_cuda_requested_without_cuda(X):
    with pytest.raises(ValueError, match="CUDA is not available"):
        SynergyAutoencoder(2, max_epochs=5, device="cuda").fit(X)


def test_bad_grid_arguments(X):
    with pytest.raises(ValueError, match="Unknown training parameter"):
        fit_autoencoder_grid(X, 2, max_epoch=5)
    with pytest.raises(ValueError, match="relu\\+tanh"):
        fit_autoencoder_grid(X, 2, pairings=["relu-tanh"], max_epochs=5)
    with pytest.raises(ValueError, match="duplicates"):
        fit_autoencoder_grid(X, 2, pairings=["relu+tanh", ("relu", "tanh")], max_epochs=5)


# The scale check: models built for max-normalised envelopes refuse other scales.
def _no_training(*args, **kwargs):
    raise AssertionError("training started: the scale check must come before any torch work")


@pytest.mark.parametrize("scale, shown", [(300.0, "300"), (1e-30, "1e-30")])
def test_fit_refuses_data_far_from_unit_scale(X, scale, shown, monkeypatch):
    """Envelopes in microvolts (x 300) or absurdly small ones: a SynergyInputError that
    names the maximum found and the fix, in fit and in the grid, before training."""
    import synergylib.autoencoder as ae

    monkeypatch.setattr(ae, "_train_batched", _no_training)
    for fit in (lambda Z: SynergyAutoencoder(2, max_epochs=5).fit(Z),
                lambda Z: fit_autoencoder_grid(Z, 2, max_epochs=5)):
        with pytest.raises(SynergyInputError) as info:
            fit(X * scale)
        message = str(info.value)
        assert f"largest absolute value of {shown}," in message
        assert "outside [0.1, 3]" in message
        assert "max-normalised" in message
        assert "dividing each muscle by its maximum" in message
        assert "synergylib.preprocessing.amplitude_normalise" in message


def test_fit_refuses_all_zero_data(monkeypatch):
    import synergylib.autoencoder as ae

    monkeypatch.setattr(ae, "_train_batched", _no_training)
    with pytest.raises(SynergyInputError, match="all zeros"):
        SynergyAutoencoder(2, max_epochs=5).fit(np.zeros((20, 4)))
    with pytest.raises(SynergyInputError, match="all zeros"):
        fit_autoencoder_grid(np.zeros((20, 4)), 2, max_epochs=5)


def test_accepted_scale_range_is_0_1_to_3(X):
    """max|X| = 0.1 and 3 train (also negative values: the check is on |X|); just
    outside is refused; transform and score do not refuse held-out values above 3."""
    assert X.max() == 1.0
    for peak in (0.1, 3.0):
        model = _fit(X * peak, n_synergies=2, n_restarts=1)
        assert np.isfinite(model.r2_)
        assert np.isfinite(model.score(X * 5.0))
        assert np.isfinite(model.transform(X * 300.0)).all()
    grid = fit_autoencoder_grid(-3.0 * X, 2, pairings=["linear+linear"], n_restarts=1,
                                random_state=0, **FAST)
    assert np.isfinite(grid["linear+linear"].r2_)
    for peak in (0.099, 3.01):
        with pytest.raises(SynergyInputError, match=f"largest absolute value of {peak:g},"):
            SynergyAutoencoder(2, max_epochs=5).fit(X * peak)
        with pytest.raises(SynergyInputError, match=f"largest absolute value of {peak:g},"):
            fit_autoencoder_grid(-X * peak, 2, max_epochs=5)


def test_transform_checks_shapes(X):
    model = _fit(X, max_epochs=5)
    with pytest.raises(ValueError, match="features"):
        model.transform(X[:, :5])
    with pytest.raises(ValueError, match="synergies"):
        model.inverse_transform(np.zeros((4, 2)))


# --------------------------------------------------------------------------- #
# scikit-learn compatibility
# --------------------------------------------------------------------------- #
#: Checks whose data (iris, blobs, normal(loc=100): max|X| from 4.9 to 103) is outside
#: the training scale that fit accepts, [0.1, 3]; test_sklearn_checks_refused_for_scale
#: runs them with the scale check switched off.
SCALE_CHECKS: tuple[str, ...] = (
    "check_estimators_overwrite_params",
    "check_estimators_fit_returns_self",
    "check_readonly_memmap_input",
    "check_positive_only_tag_during_fit",
    "check_fit_idempotent",
    "check_fit_check_is_fitted",
    "check_n_features_in",
)
#: Checks that fail by design, with the reason (reported by check_estimator as expected failures).
EXPECTED_FAILED_CHECKS: dict[str, str] = {
    name: "fit refuses data far from unit scale (max|X| outside [0.1, 3])" for name in SCALE_CHECKS
}


def test_sklearn_estimator_checks():
    from sklearn.utils.estimator_checks import check_estimator

    est = SynergyAutoencoder(1, n_restarts=1, max_epochs=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(est, expected_failed_checks=EXPECTED_FAILED_CHECKS, on_fail=None)
    failed = [r for r in results if r["status"] == "failed"]
    assert not failed, [(r["check_name"], str(r["exception"])) for r in failed]


@pytest.mark.parametrize("name", SCALE_CHECKS)
def test_sklearn_checks_refused_for_scale(name, monkeypatch):
    """The checks expected to fail fail only because of the scale check: they refuse
    with a SynergyInputError, and pass once any scale is accepted."""
    import sklearn.utils.estimator_checks as checks

    import synergylib.autoencoder as ae

    check = getattr(checks, name)
    est = SynergyAutoencoder(1, n_restarts=1, max_epochs=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(Exception) as info:
            check("SynergyAutoencoder", est)
        error = info.value
        while error is not None and not isinstance(error, SynergyInputError):
            error = error.__cause__ or error.__context__
        assert error is not None and "largest absolute value" in str(error)
        monkeypatch.setattr(ae, "_TRAINING_SCALE_RANGE", (0.0, np.inf))
        check("SynergyAutoencoder", est)


@pytest.mark.parametrize("name", ["linear", "relu", "sigmoid", "tanh"])
def test_in_place_activation_matches_torch(name):
    """_activate_ (NumPy's tanh on CPU) gives torch's values, on contiguous slices and
    on a non-contiguous view (which falls back to torch)."""
    from synergylib.autoencoder import _activate_

    z = torch.linspace(-12, 12, 4 * 5 * 301, dtype=torch.float32).reshape(4, 5, 301)
    expected = {"linear": z, "relu": torch.relu(z), "sigmoid": torch.sigmoid(z),
                "tanh": torch.tanh(z)}[name]
    inside = z.clone()
    _activate_(inside[1:3], name)  # a contiguous slice of a buffer, as in training
    torch.testing.assert_close(inside[1:3], expected[1:3], rtol=0, atol=2e-7)
    assert torch.equal(inside[0], z[0]) and torch.equal(inside[3], z[3])  # untouched
    strided = z.clone().transpose(1, 2)
    _activate_(strided, name)
    torch.testing.assert_close(strided, expected.transpose(1, 2), rtol=0, atol=2e-7)


def test_training_does_not_depend_on_the_cpu_chunk_size(X, monkeypatch):
    """With PyTorch's operations on CPU, chunks only split the batch for the cache: 5
    models per chunk train the same models as 16 (up to float32 rounding of
    differently blocked products)."""
    import synergylib.autoencoder as ae

    monkeypatch.setattr(ae, "_USE_KERNEL", False)
    kwargs = dict(pairings=ae.PAIRINGS[:6], n_restarts=2, random_state=0, **FAST)
    default = fit_autoencoder_grid(X, 3, **kwargs)
    monkeypatch.setattr(ae, "_CPU_CHUNK", 5)
    small = fit_autoencoder_grid(X, 3, **kwargs)
    np.testing.assert_allclose(small.restart_losses, default.restart_losses, rtol=1e-4)
    np.testing.assert_array_equal(small.best_restart, default.best_restart)


def test_activation_functions_known_values():
    z = np.array([-2.0, 0.0, 1.5])
    assert np.allclose(activation_function("linear")(z), z)
    assert np.allclose(activation_function("relu")(z), [0.0, 0.0, 1.5])
    assert np.allclose(activation_function("sigmoid")(z), 1 / (1 + np.exp(-z)))
    assert np.allclose(activation_function("tanh")(z), np.tanh(z))
    with pytest.raises(SynergyInputError, match="softplus"):
        activation_function("softplus")


def test_decode_is_what_the_estimator_reconstructs():
    rng = np.random.default_rng(3)
    X = rng.random((40, 5))
    model = SynergyAutoencoder(2, encoder="relu", decoder="tanh", n_restarts=1,
                               max_epochs=30, random_state=0).fit(X)
    H = model.transform(X)
    np.testing.assert_array_equal(
        model.reconstruct(X), decode(H, model.synergies_, model.decoder_bias_, "tanh"))
    np.testing.assert_array_equal(
        decode(H, model.synergies_, model.decoder_bias_, "tanh"),
        np.tanh(H @ model.synergies_.T + model.decoder_bias_))


def test_a_network_of_ones_own_trains_as_the_reference():
    """A plain torch module started from initial_parameters and trained with
    train_plain follows train_plain_reference loss for loss; bad models are refused."""
    import torch

    rng = np.random.default_rng(5)
    X = rng.random((60, 6))

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = torch.nn.Linear(6, 2)
            self.dec = torch.nn.Linear(2, 6)

        def forward(self, x):
            return torch.tanh(self.dec(torch.relu(self.enc(x))))

    net = Net()
    W_e, b_e, W_d, b_d = initial_parameters(6, 2, random_state=3, restart=1)
    with torch.no_grad():
        for p, v in ((net.enc.weight, W_e), (net.enc.bias, b_e),
                     (net.dec.weight, W_d), (net.dec.bias, b_d)):
            p.copy_(torch.as_tensor(v, dtype=torch.float32))
    losses = train_plain(net, X, n_epochs=50, learning_rate=1e-2)
    _, reference = train_plain_reference(X, 2, "relu", "tanh", n_epochs=50, learning_rate=1e-2,
                                         restart=1, random_state=3)
    np.testing.assert_array_equal(losses, reference)
    assert losses[-1] < losses[0]
    with pytest.raises(SynergyInputError, match="torch.nn.Module"):
        train_plain("not a model", X)
    with pytest.raises(SynergyInputError, match="shape"):
        train_plain(torch.nn.Linear(6, 2), X, n_epochs=1)
    with pytest.raises(SynergyInputError, match="restart"):
        initial_parameters(6, 2, restart=-1)
