"""`python -m tests.bench`: the throughput and decay benchmark."""

import sys

from .throughput import main

sys.exit(main())
