"""The data layer: every dataset from its official source, verified, cached and loaded.

``wav`` reads recordings as waveforms that carry their sample rate (integer PCM scaled to [-1, 1]);
``fsdd``, ``images`` and ``tabular`` load each dataset, and ``loaders`` dispatches by name
(``load("fsdd")``); ``errors`` holds the errors, whose messages say which files to put where. The
machinery behind them is private: ``_registry`` lists each dataset file at its official address
with its checksum, ``_downloads`` fetches a file with pooch (the local cache first, never online
when ``E2E_OFFLINE=1``, verified, written atomically), ``_checksums``, ``_cache`` and ``_archives``
verify, check the data folder and extract safely, and ``_containers`` holds what the loaders
return. Each public module's ``__all__`` is its public surface; this package re-exports them.
"""

from . import errors, fsdd, images, loaders, tabular, wav
from .errors import *
from .fsdd import *
from .images import *
from .loaders import *
from .tabular import *
from .wav import *

__all__ = [
    *errors.__all__,
    *wav.__all__,
    *fsdd.__all__,
    *images.__all__,
    *tabular.__all__,
    *loaders.__all__,
]
