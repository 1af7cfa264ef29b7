"""`python -m dunning.cli`: the same as the `dunning` command (tests and schedulers without the script).

It imports only dunning.cli, the face it runs.
"""

from __future__ import annotations

import sys

from dunning.cli import main

sys.exit(main())
