"""What a batch run knows on disk: job identity hashes, shards, the append-only records, finished assets."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from exporters.errors import InputError
from exporters.manifest import MANIFEST_NAME
from hyworld_cli.batch.jobs import Job
from pipelines.options import content_options, recorded_options
from pipelines.version import __version__

log = logging.getLogger("hyworld.batch")

RECORDS_NAME = "batch.jsonl"


def job_identity(job: Job) -> dict:
    """Return what decides a job's output bytes, in the form its manifest records them.

    The options are ``recorded_options`` (what generate writes into the manifest)
    less what changes no byte, so a whole asset made for this job is recognised
    from its manifest alone (``manifest_hash``).
    """
    options = recorded_options(job.settings, plan_file=False)
    digest = hashlib.sha256((job.prompt or "").encode("utf-8")).hexdigest()
    if job.input is not None:  # a convert job: the manifest records the source's sha256 and the frame
        from pipelines.convert.run import frame_options, source_digest

        digest = source_digest(Path(job.input))
        options.update(frame_options(dict(job.frame)))
    return {
        "name": job.name,
        "prompt_sha256": digest,
        "options": content_options(options),
        "tool_version": __version__,
    }


def identity_hash(identity: dict) -> str:
    """Return the sha256 of ``identity`` as canonical JSON."""
    return hashlib.sha256(json.dumps(identity, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def job_hash(job: Job) -> str:
    """Return the content hash of a job: prompt, name, seed, options and tool version."""
    return identity_hash(job_identity(job))


def manifest_hash(manifest: dict) -> str | None:
    """Return the job hash a manifest was made for, or None if it lacks the fields."""
    try:
        identity = {
            "name": manifest["asset_name"],
            "prompt_sha256": manifest["prompt"]["sha256"],
            "options": content_options(dict(manifest["options"])),
            "tool_version": manifest["tool_version"],
        }
    except (KeyError, TypeError, ValueError):
        return None
    return identity_hash(identity)


def parse_shard(text: str) -> tuple[int, int]:
    """Return (i, n) from "i/n" (1-based); raise InputError unless 1 <= i <= n."""
    parts = text.split("/")
    try:
        i, n = (int(p) for p in parts)
    except ValueError:
        raise InputError(f"--shard {text!r}: write it as i/N, e.g. 2/8 (1-based)") from None
    if n < 1 or not 1 <= i <= n:
        raise InputError(f"--shard {text}: need 1 <= i <= N (shards are numbered from 1)")
    return i, n


def shard_index(name: str, n: int) -> int:
    """Return the 0-based shard of job ``name`` among ``n``: stable across runs, machines and job lists."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big") % n


def select_shard(jobs: list[Job], shard: tuple[int, int] | None) -> list[Job]:
    """Return the jobs of shard (i, n), or all of them."""
    if shard is None:
        return jobs
    i, n = shard
    return [j for j in jobs if shard_index(j.name, n) == i - 1]


def records_path(out_root: Path, shard: tuple[int, int] | None) -> Path:
    """Return this run's record file: batch.jsonl, or batch.shard-I-of-N.jsonl so farm shards never share one."""
    if shard is None:
        return Path(out_root) / RECORDS_NAME
    return Path(out_root) / f"batch.shard-{shard[0]}-of-{shard[1]}.jsonl"


class RecordLog:
    """An append-only JSONL file, locked for this run; every line is flushed and fsynced."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        created = not self.path.exists()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            raise InputError(
                f"another batch run is writing {self.path}; wait for it to end or use another --out"
            ) from None
        if created:
            _fsync_dir(self.path.parent)

    def append(self, record: dict) -> None:
        line = (json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
        # One write of a whole line: a kill leaves the line whole or absent (a torn tail is skipped on read).
        os.write(self._fd, line)
        os.fsync(self._fd)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # releases the lock
            self._fd = -1

    def __enter__(self) -> RecordLog:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_records(out_root: Path) -> dict[str, list[dict]]:
    """Return every record in OUT/batch*.jsonl (all shards), by job name, in file order."""
    by_name: dict[str, list[dict]] = {}
    for path in sorted(Path(out_root).glob("batch*.jsonl")):
        for lineno, line in enumerate(path.read_bytes().split(b"\n"), start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                by_name.setdefault(rec["name"], []).append(rec)
            except (ValueError, KeyError, TypeError):
                log.warning("%s:%d: skipping a torn or unreadable record", path, lineno)
    return by_name


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_files(root: Path, entries: Iterable[dict]) -> str | None:
    """Return None if every {path, bytes, sha256} under ``root`` matches, else what does not."""
    for e in entries:
        p = Path(root) / e["path"]
        if not p.is_file():
            return f"{p} is missing"
        if "bytes" in e and p.stat().st_size != e["bytes"]:
            return f"{p} has {p.stat().st_size} bytes, expected {e['bytes']}"
        if sha256_file(p) != e["sha256"]:
            return f"{p} does not match its sha256"
    return None


def read_manifest(job_dir: Path) -> dict | None:
    """Return OUT/<name>/manifest.json parsed, or None when it is absent or unreadable."""
    try:
        data = json.loads((Path(job_dir) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def verify_asset(job_dir: Path, outputs: list[dict] | None, out_root: Path) -> str | None:
    """Return None if the job's manifest exists and its files (and ``outputs``) match their sha256, else why not."""
    manifest = read_manifest(job_dir)
    if manifest is None:
        return f"{Path(job_dir) / MANIFEST_NAME} is missing or unreadable"
    files = manifest.get("files")
    if not isinstance(files, list) or not files:
        return f"{Path(job_dir) / MANIFEST_NAME} lists no files"
    return check_files(job_dir, files) or (check_files(out_root, outputs) if outputs else None)
