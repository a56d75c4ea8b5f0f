"""Tests of synergylib.plotting: figures built on small arrays with the Agg backend."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # the test module selects the backend, never the library

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from synergylib import plotting  # noqa: E402
from synergylib._validation import SynergyInputError  # noqa: E402
from synergylib.plotting import (  # noqa: E402
    NEGATIVE_COLOR,
    POSITIVE_COLOR,
    REFERENCE_COLOR,
    plot_activations,
    pairing_line_style,
    plot_convergence,
    plot_pairing_matrices,
    plot_pairing_matrix,
    plot_r2_curve,
    plot_raw_emg,
    plot_reconstruction,
    plot_synergies,
    plot_tradeoff,
)

MUSCLES = ["DA", "DM", "DP", "PM", "TB", "BB"]
ACTS = ["linear", "relu", "sigmoid", "tanh"]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def W():
    rng = np.random.default_rng(0)
    W = rng.uniform(0.05, 1.0, size=(6, 3))
    W[2, 1] = -0.4  # one negative weight
    return W


def same_color(a, b) -> bool:
    return np.allclose(mcolors.to_rgba(a), mcolors.to_rgba(b))


def assert_labelled(ax, x=True, y=True):
    if x:
        assert ax.get_xlabel().strip(), "missing x label"
    if y:
        assert ax.get_ylabel().strip(), "missing y label"


# -- synergies -------------------------------------------------------------------------


def test_plot_synergies_bars_equal_weights(W):
    fig, axes = plot_synergies(W, MUSCLES, names=["A", "B", "C"])
    assert len(fig.axes) == 3 and len(axes) == 3
    for k, ax in enumerate(axes):
        bars = ax.containers[0]
        np.testing.assert_allclose([b.get_width() for b in bars], W[:, k])
        # bar i belongs to muscle i: tick labels in the muscle order, first on top
        centres = [b.get_y() + b.get_height() / 2 for b in bars]
        ticks = dict(zip([t.get_text() for t in ax.get_yticklabels()], ax.get_yticks()))
        np.testing.assert_allclose(centres, [ticks[m] for m in MUSCLES])
        assert ax.get_ylim()[0] > ax.get_ylim()[1]  # inverted: first muscle at the top
        assert ax.get_title() == "ABC"[k]
        assert_labelled(ax)


def test_plot_synergies_negative_weight_colour(W):
    fig, axes = plot_synergies(W, MUSCLES)
    bars = list(axes[1].containers[0])
    assert bars[2].get_width() == pytest.approx(-0.4)
    assert same_color(bars[2].get_facecolor(), NEGATIVE_COLOR)
    assert bars[2].get_hatch()
    for i in (0, 1, 3, 4, 5):
        assert same_color(bars[i].get_facecolor(), POSITIVE_COLOR)
        assert not bars[i].get_hatch()
    assert min(axes[1].get_xlim()) < -0.4  # the negative bar is inside the axes


def test_plot_synergies_with_reference_side_by_side(W):
    W_ref = np.abs(W[:, ::-1])
    fig, axes = plot_synergies(W, MUSCLES, W_ref=W_ref, ref_label="NMF")
    for k, ax in enumerate(axes):
        main, ref = ax.containers[0], ax.containers[1]
        np.testing.assert_allclose([b.get_width() for b in ref], W_ref[:, k])
        np.testing.assert_allclose([b.get_width() for b in main], W[:, k])
        assert all(same_color(b.get_facecolor(), REFERENCE_COLOR) for b in ref)
        # side by side: the same muscle, different positions, no overlap
        for a, b in zip(main, ref):
            assert a.get_y() + a.get_height() <= b.get_y() + 1e-9
    legend_texts = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "NMF" in legend_texts and "negative weight" in legend_texts


def test_plot_synergies_vertical_and_given_axes(W):
    fig, given = plt.subplots(1, 3)
    fig2, axes = plot_synergies(W, MUSCLES, axes=given, orientation="vertical")
    assert fig2 is fig
    np.testing.assert_allclose([b.get_height() for b in axes[0].containers[0]], W[:, 0])
    assert_labelled(axes[0])


def test_plot_synergies_bad_input(W):
    with pytest.raises(SynergyInputError, match="muscle names"):
        plot_synergies(W, MUSCLES[:-1])
    with pytest.raises(SynergyInputError, match="synergy names"):
        plot_synergies(W, MUSCLES, names=["A"])
    with pytest.raises(SynergyInputError, match="W_ref has shape"):
        plot_synergies(W, MUSCLES, W_ref=W[:, :2])
    with pytest.raises(SynergyInputError, match="2-D"):
        plot_synergies(W[:, 0], MUSCLES)
    with pytest.raises(SynergyInputError, match="NaN"):
        plot_synergies(np.full((6, 2), np.nan), MUSCLES)
    with pytest.raises(SynergyInputError, match="Need 3 axes"):
        plot_synergies(W, MUSCLES, axes=plt.subplots(1, 2)[1])
    with pytest.raises(SynergyInputError, match="orientation"):
        plot_synergies(W, MUSCLES, orientation="diagonal")


# -- activations -----------------------------------------------------------------------


def test_plot_activations():
    H = np.abs(np.sin(np.linspace(0, 6, 300)))[None, :] * np.array([[1.0], [0.5]])
    fig, axes = plot_activations(H, n_points=100, movement_labels=["a", "b", "c"],
                                 H_ref=H * 0.9, phase_fractions=(0.5,))  # fmt: skip
    assert len(fig.axes) == 2
    line = axes[1].get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), H[1])
    np.testing.assert_allclose(line.get_xdata(), np.arange(300) / 100)
    # movement boundaries at 1 and 2, phase lines at 0.5, 1.5, 2.5
    vlines = sorted(
        ln.get_xdata()[0] for ln in axes[0].get_lines() if np.ptp(ln.get_xdata()) == 0
    )
    np.testing.assert_allclose(vlines, [0.5, 1, 1.5, 2, 2.5])
    assert [t.get_text() for t in axes[-1].get_xticklabels()] == ["a", "b", "c"]
    assert_labelled(axes[-1])
    assert all(ax.get_ylabel() for ax in axes)


def test_plot_activations_bad_input():
    with pytest.raises(SynergyInputError, match="whole number of movements"):
        plot_activations(np.ones((2, 150)), n_points=100)
    with pytest.raises(SynergyInputError, match="movement names"):
        plot_activations(np.ones((2, 200)), n_points=100, movement_labels=["a"])
    with pytest.raises(SynergyInputError, match="phase_fractions"):
        plot_activations(np.ones((2, 200)), phase_fractions=(1.5,))
    with pytest.raises(SynergyInputError, match=r"phase_fractions\[1\] == 0, must be > 0"):
        plot_activations(np.ones((2, 200)), phase_fractions=(0.5, 0))
    with pytest.raises(SynergyInputError, match="n_points == 0, must be >= 1"):
        plot_activations(np.ones((2, 200)), n_points=0)
    with pytest.raises(SynergyInputError, match="n_points"):
        plot_activations(np.ones((2, 200)), n_points=100.0)  # an integer, not a float
    with pytest.raises(SynergyInputError, match="bool"):
        plot_activations(np.ones((2, 200)), n_points=True)


# -- R² curve, reconstruction, trade-off, convergence ----------------------------------


def test_plot_r2_curve_single_and_several():
    n = np.arange(1, 7)
    r2 = np.array([0.4, 0.6, 0.75, 0.83, 0.88, 0.91])
    fig, ax = plot_r2_curve(n, r2, threshold=0.8, chosen=4)
    assert len(fig.axes) == 1
    assert_labelled(ax)
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), r2)
    threshold = [ln for ln in ax.get_lines() if np.allclose(ln.get_ydata(), 0.8)]
    assert threshold and threshold[0].get_linestyle() == "--"
    chosen = [ln for ln in ax.get_lines() if ln.get_markersize() > 10]
    assert len(chosen) == 1
    assert chosen[0].get_xdata()[0] == 4 and chosen[0].get_ydata()[0] == pytest.approx(0.83)

    curves = np.vstack([r2, r2 - 0.05])
    fig, ax = plot_r2_curve(n, curves, chosen=[4, 5], sd=np.full_like(curves, 0.02),
                            labels=["ReLU+tanh", "NMF"])  # fmt: skip
    assert len(ax.collections) == 2  # two shaded bands
    with pytest.raises(SynergyInputError, match="chosen N=9"):
        plot_r2_curve(n, r2, chosen=9)
    with pytest.raises(SynergyInputError, match="values per curve"):
        plot_r2_curve(n, r2[:-1])


def test_plot_reconstruction():
    rng = np.random.default_rng(1)
    X = rng.uniform(size=(5, 40))
    X_hat = X + 0.05 * rng.standard_normal(X.shape)
    fig, axes = plot_reconstruction(X, X_hat, MUSCLES[:5], ncols=3)
    assert len(fig.axes) == 5  # unused grid cells removed
    for m, ax in enumerate(axes):
        assert_labelled(ax)
        np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), X[m])
        np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), X_hat[m])
        assert ax.get_title().startswith(MUSCLES[m])
    r2_0 = 1 - np.sum((X[0] - X_hat[0]) ** 2) / np.sum((X[0] - X[0].mean()) ** 2)
    assert f"R² = {r2_0:.2f}" in axes[0].get_title()
    with pytest.raises(SynergyInputError, match="muscle names"):
        plot_reconstruction(X, X_hat, MUSCLES)
    with pytest.raises(SynergyInputError, match="X_hat has shape"):
        plot_reconstruction(X, X_hat[:, :10], MUSCLES[:5])


def test_plot_tradeoff():
    labels = [f"{e}+{d}" for e in ACTS for d in ACTS]
    rng = np.random.default_rng(2)
    recon, interp = rng.uniform(0.7, 0.95, 16), rng.uniform(0.3, 0.9, 16)
    fig, ax = plot_tradeoff(recon, interp, labels, reference=(0.85, 0.8),
                            xerr=np.full(16, 0.01), yerr=np.full((2, 16), 0.02))  # fmt: skip
    assert len(fig.axes) == 1
    assert_labelled(ax)
    assert ax.get_xlabel() == "Reconstruction R²"
    texts = [t.get_text() for t in ax.texts]
    assert sorted(texts) == sorted(labels)
    points = np.vstack([c.get_offsets() for c in ax.collections if len(c.get_offsets())
                        and c.get_offsets().shape[0] in (15, 1)])  # fmt: skip
    i = labels.index("relu+tanh")
    assert any(np.allclose(p, [recon[i], interp[i]]) for p in points)
    highlighted = [t for t in ax.texts if t.get_text() == "relu+tanh"][0]
    assert same_color(highlighted.get_color(), NEGATIVE_COLOR)
    ref_lines = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert {tuple(ln.get_xdata()) for ln in ref_lines} >= {(0.85, 0.85)}
    with pytest.raises(SynergyInputError, match="pairing names"):
        plot_tradeoff(recon, interp, labels[:-1])
    with pytest.raises(SynergyInputError, match="recon has 16 values"):
        plot_tradeoff(recon, interp[:3], labels)


def test_plot_convergence():
    h1 = np.exp(-np.arange(50) / 10) + 0.01
    h2 = np.exp(-np.arange(30) / 5) + 0.02
    fig, ax = plot_convergence([h1, h2], ["relu+tanh", "linear+linear"])
    assert len(fig.axes) == 1
    assert ax.get_yscale() == "log"
    assert_labelled(ax)
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), h2)
    np.testing.assert_allclose(ax.get_lines()[1].get_xdata(), np.arange(1, 31))
    with pytest.raises(SynergyInputError, match="<= 0"):
        plot_convergence([np.array([1.0, 0.0])])
    with pytest.raises(SynergyInputError, match="history names"):
        plot_convergence([h1, h2], ["one"])


def test_plot_convergence_at_stored_epochs_leaves_out_nan():
    """A stored history: values at given epochs, NaN after the model stopped."""
    epochs = np.array([0, 1, 10, 100, 1000])
    stored = np.array([[1.0, 0.5, 0.2, 0.1, np.nan], [1.0, 0.4, 0.3, 0.2, 0.1]])
    fig, ax = plot_convergence(stored, epochs=epochs)
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [0, 1, 10, 100])
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), [1.0, 0.5, 0.2, 0.1])
    np.testing.assert_array_equal(ax.get_lines()[1].get_xdata(), epochs)
    with pytest.raises(SynergyInputError, match="epochs must match"):
        plot_convergence(stored, epochs=epochs[:3])


def test_plot_convergence_tells_the_16_pairings_apart():
    """Colour by decoder, line style by encoder: no two pairings share both."""
    pairings = [f"{e}+{d}" for e in ACTS for d in ACTS]
    histories = [np.exp(-np.arange(20) / (5 + k)) + 0.01 for k in range(16)]
    fig, ax = plot_convergence(histories, pairings)
    lines = ax.get_lines()
    styles = [(mcolors.to_hex(ln.get_color()), ln.get_linestyle()) for ln in lines]
    assert len(set(styles)) == 16
    for ln, name in zip(lines, pairings):
        encoder, decoder = name.split("+")
        assert ln.get_label() == name
        assert same_color(ln.get_color(), plotting.DECODER_COLORS[decoder])
        assert ln.get_linestyle() == mcolors_linestyle(plotting.ENCODER_LINESTYLES[encoder])
    # the legend says what colour and style mean: one entry per decoder, one per encoder
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts == [f"{d} decoder" for d in ACTS] + [f"{e} encoder" for e in ACTS]
    assert "decoder" in ax.get_legend().get_title().get_text()
    # outside the axes, as a legend of the figure
    fig, ax = plot_convergence(histories, pairings, legend="outside right center")
    assert ax.get_legend() is None and len(fig.legends) == 1
    assert plot_convergence(histories, pairings, legend=None)[1].get_legend() is None
    # other labels: 28 different lines before a combination repeats
    fig, ax = plot_convergence([histories[0]] * 16, [f"h{i}" for i in range(16)])
    assert len({(mcolors.to_hex(ln.get_color()), ln.get_linestyle()) for ln in ax.get_lines()}) == 16
    assert pairing_line_style("relu+tanh") == {"color": plotting.DECODER_COLORS["tanh"],
                                               "linestyle": plotting.ENCODER_LINESTYLES["relu"]}
    assert pairing_line_style("NMF") is None and pairing_line_style("relu+softmax") is None


def mcolors_linestyle(style: str) -> str:
    """The line style as a Line2D reports it (matplotlib writes '-' as '-' and ':' as ':')."""
    from matplotlib.lines import Line2D

    return Line2D([], [], linestyle=style).get_linestyle()


def test_plot_pairing_matrices_share_one_colour_scale_and_one_colour_bar():
    a = np.arange(16, dtype=float).reshape(4, 4) / 15  # 0 .. 1
    b = 0.5 + a / 4  # 0.5 .. 0.75
    b[0, 0] = np.nan
    fig, axes = plot_pairing_matrices([a, b], ACTS, ACTS, titles=["training", "held-out"],
                                      colorbar_label="R²")
    assert len(axes) == 2 and len(fig.axes) == 3  # two heat maps, one colour bar
    clims = [ax.images[0].get_clim() for ax in axes]
    assert clims[0] == clims[1] == (0.0, 1.0)
    assert [ax.get_title() for ax in axes] == ["training", "held-out"]
    colorbar_axes = [ax for ax in fig.axes if ax not in list(axes)]
    assert colorbar_axes[0].get_ylabel() == "R²"
    # one colour means one value: the same number gets the same annotation colour in both
    assert texts_obj(axes[1], (1, 2)).get_text() == f"{b[2, 1]:.2f}"
    fig, axes = plot_pairing_matrices([a, b], ACTS, ACTS, vmin=-1, vmax=2, ncols=1)
    assert all(ax.images[0].get_clim() == (-1.0, 2.0) for ax in axes)
    fig, ax = plot_pairing_matrix(a, ACTS, ACTS, colorbar=False)
    assert len(fig.axes) == 1
    with pytest.raises(SynergyInputError, match="one shape"):
        plot_pairing_matrices([a, a[:3]], ACTS, ACTS)
    with pytest.raises(SynergyInputError, match="empty"):
        plot_pairing_matrices([], ACTS, ACTS)


def test_plot_pairing_matrix():
    values = np.arange(16, dtype=float).reshape(4, 4) / 15
    values[3, 0] = np.nan
    fig, ax = plot_pairing_matrix(values, ACTS, ACTS, colorbar_label="R²")
    assert len(fig.axes) == 2  # heat map + colour bar
    assert_labelled(ax)
    texts = {(t.get_position()): t.get_text() for t in ax.texts}
    assert texts[(1, 2)] == f"{values[2, 1]:.2f}"  # (x = decoder j, y = encoder i)
    assert texts[(0, 3)] == "n/a"
    assert [t.get_text() for t in ax.get_yticklabels()] == ACTS
    np.testing.assert_allclose(ax.images[0].get_array()[1, 2], values[1, 2])
    # annotation colour contrasts with the cell
    assert same_color(texts_obj(ax, (0, 0)).get_color(), "white")  # dark end of viridis
    assert same_color(texts_obj(ax, (3, 3)).get_color(), "black")  # light end
    with pytest.raises(SynergyInputError, match="decoder names"):
        plot_pairing_matrix(values, ACTS, ACTS[:3])


def texts_obj(ax, position):
    return [t for t in ax.texts if t.get_position() == position][0]


def test_plot_raw_emg():
    t = np.arange(500) / 1000
    emg = np.random.default_rng(3).standard_normal((3, 500))
    fig, axes = plot_raw_emg(t, emg, MUSCLES[:3], units="µV", events=[0.1, 0.3])
    assert len(fig.axes) == 3
    assert axes[-1].get_xlabel() == "Time (s)"
    for m, ax in enumerate(axes):
        assert MUSCLES[m] in ax.get_ylabel() and "µV" in ax.get_ylabel()
        np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), emg[m])
    with pytest.raises(SynergyInputError, match="muscle names"):
        plot_raw_emg(t, emg, MUSCLES)
    with pytest.raises(SynergyInputError, match="t has 400 values"):
        plot_raw_emg(t[:400], emg, MUSCLES[:3])


def test_library_does_not_set_backend():
    import inspect

    source = inspect.getsource(plotting)
    assert "matplotlib.use(" not in source and ".show(" not in source


def test_autoencoder_diagram_draws_every_connection_and_colours_one_synergy():
    fig, ax = plotting.plot_autoencoder_diagram(6, 2, encoder="tanh", decoder="linear", highlight=1)
    lines = [line for line in ax.get_lines() if len(line.get_xdata()) == 2]
    assert len(lines) == 2 * 6 * 2  # encoder and decoder connections
    coloured = [line for line in lines if mcolors.same_color(line.get_color(), plotting.POSITIVE_COLOR)]
    assert len(coloured) == 6 and all(line.get_xdata()[0] == 1.0 for line in coloured)  # unit 2's column of W_d
    text = " ".join(t.get_text() for t in ax.texts)
    assert "tanh" in text and "linear" in text and "synergy 2" in text
    plt.close(fig)
    for bad, match in [({"n_synergies": 7}, "n_synergies"), ({"highlight": 2}, "highlight")]:
        with pytest.raises(SynergyInputError, match=match):
            plotting.plot_autoencoder_diagram(6, **({"n_synergies": 2} | bad))
