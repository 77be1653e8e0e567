"""The data layer: every dataset from its official source, verified, cached and loaded.

``registry`` lists each dataset file at its official address with its checksum; ``downloads``
fetches
a file (the local cache first, never online when ``E2E_OFFLINE=1``, verified, written atomically);
``checksums``, ``cache`` and ``archives`` verify, check the data folder and extract safely;
``errors`` holds the errors, whose messages say which files to put where; ``wav`` reads recordings
as waveforms that carry their sample rate; ``containers`` holds what the loaders return; ``fsdd``,
``images`` and ``tabular`` load each dataset, and ``loaders`` dispatches by name (``load("fsdd")``).
Each module's ``__all__`` is its public surface; this package re-exports them.
"""

from . import (
    archives,
    cache,
    checksums,
    containers,
    downloads,
    errors,
    fsdd,
    images,
    loaders,
    registry,
    tabular,
    wav,
)
from .archives import *
from .cache import *
from .checksums import *
from .containers import *
from .downloads import *
from .errors import *
from .fsdd import *
from .images import *
from .loaders import *
from .registry import *
from .tabular import *
from .wav import *

__all__ = [
    *errors.__all__,
    *checksums.__all__,
    *cache.__all__,
    *registry.__all__,
    *downloads.__all__,
    *archives.__all__,
    *wav.__all__,
    *containers.__all__,
    *fsdd.__all__,
    *images.__all__,
    *tabular.__all__,
    *loaders.__all__,
]
