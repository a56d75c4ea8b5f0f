"""The notebooks' glue helper hands myst-nb plain Python values."""

import numpy as np

import synergylib.book as book


def test_glue_value_converts_numpy_scalars_and_keeps_strings(monkeypatch):
    captured = []
    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display: captured.append((name, value, display)))
    book.glue_value("r2", np.float64(0.8125))
    book.glue_value("n", np.array(3))
    book.glue_value("best", "relu+tanh")
    assert captured == [("r2", 0.8125, False), ("n", 3, False), ("best", "relu+tanh", False)]
    assert type(captured[0][1]) is float and type(captured[1][1]) is int
