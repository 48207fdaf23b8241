"""The five-criteria assessment and the failure-mode warnings, as plain code over plain data.

`inputs.build_input(mission)` reads the database once and returns JSON-ready data; everything
else in this package (`statement`, `facts`, `rules`, `signals`, `warnings`) is pure functions over
that data, so the rules can be tested without a database and re-run on any stored input.
"""
