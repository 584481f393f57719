"""ASGI entry point for uvicorn workers: `nichely.web.asgi:app`."""

import gc

from nichely.app import create_app

# A search allocates tens of thousands of short-lived objects (rows, features, passages). At the
# default threshold of 700 the young generation was collected dozens of times a request and the
# older ones often enough to put collector pauses in the slowest 1% of searches (p99 74-86 ms
# against 49 ms with this threshold on the search benchmark). Long-lived objects are frozen out of
# the collector's reach once built (see `search.service.parser_for`).
gc.set_threshold(20_000, 10, 10)
app = create_app()
