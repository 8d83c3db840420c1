import os

# Only the CPU is used; without this JAX probes for TPU and GPU plugins at start-up and logs
# about each one it does not find.
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402


def enable_x64() -> None:
    """Switch JAX to double precision before any array is made.

    Observations such as 10000.000001 and 10000.000002 must stay distinct (spec section 2), which
    float32 cannot do. The flag is process-wide, so it is set once, on first import of the maths.
    """
    jax.config.update("jax_enable_x64", True)
