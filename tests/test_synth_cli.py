"""`python -m oa_spark.synth` / `oa_spark.synth.main`: arguments, exit codes, output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from oa_spark.synth import main


def test_help_explains_and_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for word in ("--out", "--weeks", "--start", "--records", "--seed", "--faults", "truth.jsonl", "zip_bomb"):
        assert word in out


def test_usage_errors_exit_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--weeks", "1"]) == 2  # --out missing
    assert main(["--out", str(tmp_path), "--weeks", "1", "--start", "2022-01-03"]) == 2
    assert "Sunday" in capsys.readouterr().err
    assert main(["--out", str(tmp_path), "--weeks", "0"]) == 2
    assert not list(tmp_path.iterdir())


def test_writes_a_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            ["--out", str(tmp_path), "--weeks", "2", "--start", "2023-01-01", "--records", "4", "--seed", "9"]
        )
        == 0
    )
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "bdr_oa_bulkdata_weekly_2023-01-01.zip",
        "bdr_oa_bulkdata_weekly_2023-01-08.zip",
        "truth.jsonl",
    ]
    captured = capsys.readouterr()
    assert "8 documents" in captured.out
    assert captured.err.count("records_in=") == 2


def test_output_does_not_depend_on_hash_randomization(tmp_path: Path) -> None:
    """Two processes with different PYTHONHASHSEED write the same bytes (no set or dict-order leaks)."""
    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / hash_seed
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        args = ["--out", str(out), "--weeks", "1", "--records", "25", "--seed", "3"]
        subprocess.run(
            [sys.executable, "-m", "oa_spark.synth", *args], env=env, check=True, capture_output=True
        )
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0] == outputs[1]
