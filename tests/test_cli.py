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


@pytest.mark.spark
def test_ctrl_c_during_a_spark_job_prints_one_line_and_no_stack_trace(tmp_path) -> None:
    """What a terminal's Ctrl-C does: SIGINT to the whole process group (the command, Spark's JVM and its
    Python workers) while ingest's Spark job runs."""
    import os
    import signal
    import time

    cmd = [sys.executable, "-m", "oa_spark.cli", "--conf", "conf/local.toml"]
    for setting in (
        f"lake.path={tmp_path / 'lake'}",
        f"staging.path={tmp_path / 'staging'}",
        "sample.weeks=6",
        "spark.master=local[1]",
    ):
        cmd += ["--set", setting]
    proc = subprocess.Popen(
        [*cmd, "run"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            if "event=stage_done" in line:  # ingest's job starts next and runs for seconds
                time.sleep(1.5)
                os.killpg(proc.pid, signal.SIGINT)
                break
        after = proc.stderr.read()
        assert proc.wait(timeout=120) == 130
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert "oa-spark: interrupted; tables stay at their last commit, rerun to finish" in after
    assert "event=ingest_done" not in after, "the interrupt came after ingest: nothing was cut"
    for noise in ("Traceback", "ERROR", "\tat ", "Exception"):
        assert noise not in after


def test_py4j_s_record_of_an_interrupted_call_is_dropped_and_other_records_kept() -> None:
    import logging

    from oa_spark.logs import InterruptedCall

    def record(path: str, exc: BaseException | None) -> logging.LogRecord:
        info = (type(exc), exc, None) if exc else None
        return logging.LogRecord("root", logging.ERROR, path, 1, "while sending command.", None, info)

    keep = InterruptedCall().filter
    assert not keep(record("/site-packages/py4j/java_gateway.py", KeyboardInterrupt()))
    assert keep(record("/site-packages/py4j/java_gateway.py", OSError("the JVM died")))
    assert keep(record("/site-packages/other/module.py", KeyboardInterrupt()))


def test_an_interrupt_leaves_a_session_the_command_did_not_build_running(spark) -> None:
    from oa_spark.session import stop_after_interrupt

    stop_after_interrupt(spark, own=False)  # a notebook's or a test's session: jobs cancelled, not stopped
    assert spark.range(3).count() == 3
