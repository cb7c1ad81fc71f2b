"""`python -m monitor_aoj` is the same as the `monitor-aoj` command."""

from monitor_aoj.cli import main

main()
