"""Stress tests: many random kills, minutes long, outside the default suite (`make stress` runs them)."""

import os

if os.environ.get("HYWORLD_STRESS") != "1":
    collect_ignore_glob = ["test_*.py"]
