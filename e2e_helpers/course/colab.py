"""Google Colab: the repository URL, the "Open in Colab" badge and the setup cell.

The repository's address is defined here and nowhere else; a test checks that
every notebook's badge and setup cell are exactly what :func:`badge` and
:func:`setup_source` produce. In Colab the setup cell installs this package
from the repository at the tag of this release (``v`` + the package version).
Its requirements only give lower bounds and next-major caps, so the install
keeps Colab's own torch, torchvision and torchaudio, built for its GPU.
"""

from __future__ import annotations

from .. import __version__

__all__ = [
    "badge",
    "pip_arguments",
    "setup_source",
]

#: The course's public repository (owner/name on GitHub).
REPOSITORY = "e2e-course/end-to-end-deep-learning-hands-on"

_BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"


def ref() -> str:
    """The git tag Colab installs from: ``v`` + this package's version."""
    return f"v{__version__}"


def notebook_url(stem: str) -> str:
    """The Colab address of ``notebooks/<stem>.ipynb`` at this release's tag."""
    if not stem or "/" in stem or stem.endswith(".ipynb"):
        raise ValueError(f"expected a notebook stem such as '01_intuition', got {stem!r}")
    return (
        f"https://colab.research.google.com/github/{REPOSITORY}/blob/{ref()}/notebooks/{stem}.ipynb"
    )


def badge(stem: str) -> str:
    """Markdown for the "Open in Colab" badge of notebook *stem*."""
    return f"[![Open In Colab]({_BADGE_IMAGE})]({notebook_url(stem)})"


def install_spec(source: str | None = None) -> str:
    """The pip requirement that installs this package from the repository's tag (or from *source*, a
    URL).

    >>> install_spec("file:///home/me/course")
    'e2e-helpers @ file:///home/me/course'
    """
    return f"e2e-helpers @ {source or f'git+https://github.com/{REPOSITORY}@{ref()}'}"


def pip_arguments(source: str | None = None) -> list[str]:
    """The arguments of the setup cell's ``%pip`` (the Colab replica runs the same, from a local
    *source*)."""
    return ["install", "--quiet", install_spec(source)]


def setup_source() -> str:
    """The source of every notebook's guarded setup cell (does nothing outside Colab)."""
    return (
        "# Colab only: install the course's helper package (Colab's own torch stays as it is).\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f'    %pip {" ".join(pip_arguments()[:-1])} "{install_spec()}"'
    )
