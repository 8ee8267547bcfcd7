"""What the property-based tests (tests/test_fuzz_*.py) share: one settings profile and JSON values.

Every fuzz test is derandomized (the same examples on every run, so the suite cannot flake),
keeps no example database (no files in the tree), bounds its examples and gives each one a
deadline, so the whole fuzz suite stays a small part of `make test` on a 2-core machine.
A hang or a crash is what they look for: an input either works or gives one ``HyworldError``.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def fuzz(max_examples: int, deadline_s: float = 5.0) -> settings:
    """Settings for one fuzz test: ``max_examples`` fixed examples, each under ``deadline_s`` seconds."""
    return settings(
        max_examples=max_examples,
        deadline=timedelta(seconds=deadline_s),
        derandomize=True,
        database=None,
        print_blob=False,
        # the examples are built from large inputs on a loaded machine: slow generation is not a defect
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


# JSON leaves a hostile file may hold: huge integers, any float JSON can write, odd strings.
json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**40), 10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)
# Raw JSON text no json.dumps writes: numbers past a float, NaN/Infinity, deep nesting, broken syntax.
json_raw = st.sampled_from(
    ["1e400", "-1e400", "NaN", "Infinity", "-Infinity", "[" * 100_000, "{", '"\\ud800"', "9" * 5000]
)
