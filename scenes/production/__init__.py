"""Production: plans the parts of a render, runs them (process pool or Dask), joins and publishes
the files, keys what can be reused, and owns the manifest. It drives the scene layer; nothing
below it knows it exists.

Modules, each importing only those listed before it: ``video`` and ``subtitles`` (media files),
``encoding`` (Manim's file writer), ``manifest`` (the only reader and writer of
``manifest.json``), ``keys`` (reuse), ``plan`` (parts at beat boundaries), ``worker`` (Manim's
settings, one part drawn), ``cluster`` (parts on Dask workers), ``publish`` (join, narrate,
convert, rename into place) and ``run`` (the entry point, :func:`scenes.production.run.render`).
"""
