"""Lodestar's benchmarks: `make bench` (or `python -m bench.run [name ...]`).

`run.py` prepares a throwaway database and real servers once (see `context.py`), then calls
each benchmark in `BENCHMARKS`; a benchmark is a function of that context yielding
`(name, value)` figures, printed as `BENCH <name> <value>` lines on stdout.
"""
