"""Production: plans the parts of a render, runs them (process pool or Dask), joins and publishes
the files, keys what can be reused, and owns the manifest. It drives the scene layer; nothing
below it knows it exists.
"""
