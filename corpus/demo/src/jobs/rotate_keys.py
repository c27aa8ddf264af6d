"""Nightly job: issues the scheduler's callback token. Run as `python -m src.jobs.rotate_keys`."""

import sys

from src.core.security import issue_token


def main() -> int:
    print(issue_token("scheduler"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
