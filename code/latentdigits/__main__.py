"""`python -m latentdigits` is the `vaebook` command."""

import sys

from .cli import main

sys.exit(main())
