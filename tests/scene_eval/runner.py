"""Build each prompt with the CLI in a subprocess, score the written files, report.

The build runs `python -m hyworld_cli gen` exactly as a user would, at fast
settings that keep a room's 30 cm walls and floor in the mesh (resolution 64:
below ~56 cells the shell of a 17 m room falls between grid samples).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tests.scene_eval.checklist import Prompt

REPO = Path(__file__).resolve().parents[2]
FAST = ("--resolution", "64", "--texture-size", "64", "--lods", "0", "--no-collision", "--no-navmesh")
BUILD_TIMEOUT_S = 1800


@dataclass
class Build:
    prompt: Prompt
    folder: Path | None  # OUT/<name>/ holding <name>.glb and manifest.json; None when the build failed
    seconds: float
    error: str = ""

    @property
    def glb(self) -> Path:
        return self.folder / f"{self.prompt.name}.glb"

    @property
    def manifest(self) -> Path:
        return self.folder / "manifest.json"


def _reusable(folder: Path, prompt: Prompt, options: tuple[str, ...]) -> bool:
    """Return whether ``folder`` already holds this prompt built with these options."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        return False
    sha = hashlib.sha256(prompt.text.encode("utf-8")).hexdigest()
    res = int(options[options.index("--resolution") + 1]) if "--resolution" in options else None
    return (
        manifest.get("prompt", {}).get("sha256") == sha
        and (folder / f"{prompt.name}.glb").exists()
        and (res is None or manifest.get("options", {}).get("resolution") == res)
    )


def build(
    prompt: Prompt, out_root: Path, options: tuple[str, ...] = FAST, threads: int | None = None, reuse: bool = False
) -> Build:
    """Return the build of ``prompt`` under ``out_root``: the CLI in a subprocess, seed 0."""
    folder = out_root / prompt.name
    if reuse and _reusable(folder, prompt, options):
        return Build(prompt, folder, 0.0)
    out_root.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    if threads:
        env.update(OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    with tempfile.TemporaryDirectory(prefix="scene_eval_") as tmp:
        text_file = Path(tmp) / f"{prompt.name}.txt"
        text_file.write_text(prompt.text + "\n", encoding="utf-8")
        cmd = [
            sys.executable,
            "-m",
            "hyworld_cli",
            "gen",
            str(text_file),
            "--out",
            str(out_root),
            "--name",
            prompt.name,
            "--seed",
            "0",
            "--force",
            *options,
        ]
        if threads:
            cmd += ["--workers", "1"]
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired:
            return Build(prompt, None, time.perf_counter() - start, f"timed out after {BUILD_TIMEOUT_S} s")
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return Build(prompt, None, seconds, f"exit {proc.returncode}: {' | '.join(tail)}")
    return Build(prompt, folder, seconds)


def build_all(
    prompts: list[Prompt],
    out_root: Path,
    jobs: int = 1,
    options: tuple[str, ...] = FAST,
    reuse: bool = False,
    on_done=None,
) -> list[Build]:
    """Return the builds of ``prompts`` in order, ``jobs`` CLI processes at a time."""
    threads = 1 if jobs > 1 else None  # two torch pools on two cores only wait on each other
    results: dict[str, Build] = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(build, p, out_root, options, threads, reuse): p for p in prompts}
        for future in futures:
            b = future.result()
            results[b.prompt.name + b.prompt.split] = b
            if on_done is not None:
                on_done(b)
    return [results[p.name + p.split] for p in prompts]
