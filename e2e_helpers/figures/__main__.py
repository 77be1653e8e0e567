"""``python -m e2e_helpers.figures [names] --out pic``: redraw the pipeline diagrams."""

import sys

from .diagrams import main

sys.exit(main())
