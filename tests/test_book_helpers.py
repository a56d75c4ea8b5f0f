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


def _warn_like_nmf():
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    warnings.warn("3 of 10 NMF restarts reached max_iter=5 before tol=1e-4; increase max_iter.",
                  ConvergenceWarning)


def test_prepare_chapter_sets_style_and_hides_only_the_nmf_max_iter_warning():
    import warnings

    import matplotlib.pyplot as plt

    with warnings.catch_warnings(record=True) as caught, plt.rc_context():
        warnings.simplefilter("always")
        book.prepare_chapter({"font.size": 7.5})
        assert plt.rcParams["font.size"] == 7.5
        _warn_like_nmf()
        assert len(caught) == 1  # not hidden unless asked
        book.prepare_chapter(hide_nmf_max_iter=True)
        _warn_like_nmf()
        warnings.warn("another warning")
        assert [str(w.message) for w in caught[1:]] == ["another warning"]
