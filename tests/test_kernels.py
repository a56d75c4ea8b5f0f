"""Tests of synergylib._kernels: the float32 sigmoid and tanh that the compiled sweep uses.

The sweep itself is checked against autograd and against PyTorch's operations in
``test_autoencoder.py``; here the two approximations are checked on their own, over
the whole range of float32 inputs, against the exact functions in float64.
"""

from __future__ import annotations

import numba
import numpy as np
import pytest
from scipy.special import expit

from synergylib import _kernels


@numba.njit
def _apply_sigmoid(z, out):
    for i in range(z.size):
        out[i] = _kernels.sigmoid(z[i])


@numba.njit
def _apply_tanh(z, out):
    for i in range(z.size):
        out[i] = _kernels.tanh(z[i])


def _inputs(dtype):
    """Dense grid over the saturating range, the float32 extremes and exact points."""
    dense = np.linspace(-110.0, 110.0, 2_000_001)
    fine = np.linspace(-1e-3, 1e-3, 20_001)  # around 0, where tanh(z) ~ z
    finfo = np.finfo(np.float32)
    special = [0.0, -0.0, 1.0, -1.0, 88.0, -87.0, 89.0, -104.0, finfo.max, -finfo.max,
               finfo.tiny, -finfo.tiny]
    return np.concatenate([dense, fine, special]).astype(dtype)


def _run(apply, z):
    out = np.empty_like(z)
    apply(z, out)
    return out


def test_float32_sigmoid_within_a_few_rounding_units_of_the_exact_function():
    """The Cephes exp with exponent bits gives the logistic function to relative error
    below 5e-7 (a few float32 units in the last place, eps = 1.2e-7) down to z = -87,
    where it reaches the smallest normal float32; below that it stays in [0, 2e-38]
    (the exact value underflows). 0.5 exactly at 0."""
    z = _inputs(np.float32)
    got = _run(_apply_sigmoid, z)
    exact = expit(z.astype(np.float64))
    assert got.dtype == np.float32
    normal = z >= -87
    relative = np.abs(got[normal] - exact[normal]) / exact[normal]
    assert np.max(relative) < 5e-7, (z[normal][np.argmax(relative)], np.max(relative))
    assert np.all((got[~normal] >= 0) & (got[~normal] < 2e-38))
    assert np.all(got[z == 0] == 0.5)
    assert np.all((got >= 0) & (got <= 1))
    assert np.all(np.diff(got[: 2_000_001]) >= 0)  # monotone on the dense grid


def test_float32_tanh_within_a_few_rounding_units_of_the_exact_function():
    """Eigen's rational tanh: absolute error below 5e-7 everywhere, relative error below
    5e-7 near 0 (no cancellation, down to 1e-30), exactly odd, and within [-1, 1]."""
    z = _inputs(np.float32)
    got = _run(_apply_tanh, z)
    exact = np.tanh(z.astype(np.float64))
    assert got.dtype == np.float32
    assert np.max(np.abs(got - exact)) < 5e-7
    small = (np.abs(z) < 1e-3) & (np.abs(z) > 1e-30)
    assert np.max(np.abs(got[small] - exact[small]) / np.abs(exact[small])) < 5e-7
    np.testing.assert_array_equal(_run(_apply_tanh, -z), -got)
    assert np.all(np.abs(got) <= 1) and np.all(got[z == 0] == 0)


@pytest.mark.parametrize("name, apply, exact", [("sigmoid", _apply_sigmoid, expit),
                                                 ("tanh", _apply_tanh, np.tanh)])
def test_float64_uses_the_exact_functions(name, apply, exact):
    """In float64 (the dtype the tests compare with autograd) nothing is approximated."""
    z = np.linspace(-40, 40, 10_001)
    np.testing.assert_allclose(_run(apply, z), exact(z), rtol=4e-16, atol=0)


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_stubs_are_not_for_python(name):
    with pytest.raises(NotImplementedError, match="numba-compiled code"):
        getattr(_kernels, name)(0.0)
