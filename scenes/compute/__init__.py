"""From specs to numbers: the data every scene kind shows, the lecture's shared resolution
(number lines, formula checks) and the final timeline with speech. Importing the package itself
is free; its modules import JAX where they need it.
"""
