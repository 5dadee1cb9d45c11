"""The REST API at /api/v1/: a second door into the same rules.

Reads start from `claims.selectors` (the one definition of public); writes go
through `claims.services` and `claims.services`, exactly as the admin's do.
"""
