"""The command line contract (README, Command line): every command present, --help explains, exit code 2
on bad usage."""

from __future__ import annotations

import subprocess
import sys

import pytest

from oa_spark.cli import build_parser, main

COMMANDS = [
    "run",
    "stage",
    "ingest",
    "extract",
    "graphs",
    "sample",
    "extract-text",
    "eval",
    "status",
    "report",
    "bench",
    "maintain",
]


def test_every_design_command_is_present() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(COMMANDS) <= set(sub.choices)


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "exit codes" in capsys.readouterr().out


def test_unknown_config_key_exits_2_naming_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--set", "lake.nope=1", "status"]) == 2
    assert "lake.nope" in capsys.readouterr().err


def test_global_options_also_work_after_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--set", "staging.threads=x"]) == 2
    assert "staging.threads" in capsys.readouterr().err


def test_a_week_that_is_not_a_sunday_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "--weeks", "2022-01-03"]) == 2
    assert "not a Sunday" in capsys.readouterr().err


def test_from_without_to_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stage", "--from", "2022-01-02"]) == 2
    assert "--to" in capsys.readouterr().err


def test_bench_with_no_repeats_exits_2_naming_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "history", "--repeats", "0"]) == 2
    assert "--repeats" in capsys.readouterr().err


def test_bad_flag_exits_2() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "oa_spark.cli", "ingest", "--nope"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "--nope" in result.stderr


def test_cli_module_imports_no_spark() -> None:
    code = "import sys, oa_spark.cli, oa_spark.config, oa_spark.weeks; print('pyspark' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_sigterm_stops_a_command_with_exit_143_saying_tables_keep_their_last_commit(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import os
    import signal
    import time

    from oa_spark import cli

    def long_job(args, cfg) -> int:  # a command still working when the scheduler stops it
        assert signal.getsignal(signal.SIGTERM) is cli._terminate  # else the signal would end pytest itself
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(30)
        return 0

    monkeypatch.setattr(cli, "_dispatch", long_job)
    assert main(["status"]) == 143
    err = capsys.readouterr().err
    assert "oa-spark: terminated (SIGTERM); tables stay at their last commit" in err
    assert "Traceback" not in err
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # the default is back after the command


def test_a_second_sigterm_is_not_caught() -> None:
    import signal

    from oa_spark import cli

    signal.signal(signal.SIGTERM, cli._terminate)  # as main installs it
    try:
        with pytest.raises(cli.Terminated):
            cli._terminate(signal.SIGTERM, None)  # the first: the command stops cleanly
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # the next one ends the process
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
