import os
import sys

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


def use_cache(folder: str) -> None:
    """Keep JAX's compiled functions in ``folder`` across processes.

    Every command that runs the maths compiles the same few dozen functions; from the cache a
    process loads them in a fraction of the time (the compute of a Huber scene: 2.2 s -> 0.6 s).
    A size limit turns on JAX's file lock, so processes rendering parts side by side never read
    an entry half written.
    """
    jax.config.update("jax_compilation_cache_dir", folder)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
    jax.config.update("jax_compilation_cache_max_size", 256 * 2**20)


# Set on first import of any JAX module of the maths, before it makes an array.
enable_x64()
if (_folder := sys.modules["scenes.maths"].compilation_cache) is not None:
    use_cache(_folder)
