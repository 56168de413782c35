"""``bandit`` as ``make test`` runs it, without the "nosec encountered" noise.

Bandit runs each plugin on every node of a line. On a line whose finding is suppressed with a
justified ``# nosec B608`` (an f-string building SQL from quoted identifiers, say), the plugin
also runs on the line's other nodes (the other parts of the same f-string), finds nothing there,
and bandit then warns "nosec encountered (B608), but no failed test" once per node and per
run: dozens of lines in every ``make test`` that say nothing. Only those warnings are dropped;
findings, errors and every other message are unchanged, and so is the exit status.

    python scripts/run-bandit.py -q -r filot documents ... -ll
"""

from __future__ import annotations

import logging
import sys

from bandit.cli.main import main


class DropNosecNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "nosec encountered" not in record.getMessage()


logging.getLogger("bandit.core.tester").addFilter(DropNosecNoise())

if __name__ == "__main__":
    sys.exit(main())
