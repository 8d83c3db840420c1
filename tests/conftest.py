"""Shared test settings.

Hypothesis profiles: ``ci`` (default) keeps property tests quick and deterministic on 2 cores;
``thorough`` (``--hypothesis-profile=thorough``) runs many more examples.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
