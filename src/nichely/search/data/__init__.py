"""Model files shipped with search, each produced by a `nichely bench ...-train` command (see docs/benchmarks.md)."""
