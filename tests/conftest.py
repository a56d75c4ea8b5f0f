"""Shared test configuration.

* The real-data tests read the Santuz et al. (2020) files from ``../shared/data/santuz2020``
  (beside the repository) through the library's own fetcher, so the suite never needs the
  network: ``SYNERGYLIB_DATA_DIR`` points the cache there unless the caller set it already.
* Torch uses at most two threads, the size of the CI machine.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_SANTUZ = REPO_ROOT.parent / "shared" / "data" / "santuz2020"

if SHARED_SANTUZ.is_dir():
    os.environ.setdefault("SYNERGYLIB_DATA_DIR", str(SHARED_SANTUZ))

try:
    import torch

    torch.set_num_threads(min(2, os.cpu_count() or 1))
except ImportError:  # pragma: no cover
    pass
