"""synergylib: muscle synergies from EMG with NMF and autoencoders.

The library behind *synergy-book*, an executable replication of Brambilla et al.
(2025), "The trade-off between maximizing reconstruction and physiological
interpretation of muscle synergies with autoencoders".
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("synergylib")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

from ._validation import ACTIVATIONS, SynergyInputError

__all__ = ["ACTIVATIONS", "SynergyInputError", "__version__"]
