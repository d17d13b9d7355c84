"""Germany-sized synthetic data for benchmarks: `registry seed --synthetic germany`.

Real reference data (the GV100AD organisation tree, the OZG catalogue) where its files are
given; everything else (solutions, prices, adoptions) is generated, deterministic for a seed,
and labelled as illustrative.
"""
