"""``--engine spark`` on a real Spark cluster, not only ``local[2]``: a standalone master and a
worker started from PySpark's own distribution (on 127.0.0.1), the series computed there over
a store imported from a Parquet export, the same rows as DuckDB's; the master's own record
shows the application ran on it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.tools.community_report.gharchive_files import START, Generator, write_hours

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs Java", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _state(ui: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{ui}/json/", timeout=5) as answer:
        return json.load(answer)


@pytest.fixture
def cluster(tmp_path):
    """A standalone master and one worker (2 cores, 1 GiB), stopped afterwards."""
    home = Path(pyspark.__file__).parent
    env = dict(os.environ, SPARK_HOME=str(home), SPARK_LOCAL_IP="127.0.0.1",
               SPARK_LOG_DIR=str(tmp_path / "logs"),
               SPARK_WORKER_DIR=str(tmp_path / "work"))  # fmt: skip
    port, ui, worker_ui = _free_port(), _free_port(), _free_port()
    spark_class = [str(home / "bin" / "spark-class")]
    logs = [open(tmp_path / f"{n}.log", "wb") for n in ("master", "worker")]  # noqa: SIM115
    master = subprocess.Popen(
        [*spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
         "--port", str(port), "--webui-port", str(ui)],
        env=env, stdout=logs[0], stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"spark://127.0.0.1:{port}"
    worker = None
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _state(ui)
                break
            except OSError:
                if time.monotonic() > deadline or master.poll() is not None:
                    pytest.fail("the Spark master did not start: " +
                                (tmp_path / "master.log").read_text()[-2000:])  # fmt: skip
                time.sleep(0.5)
        worker = subprocess.Popen(
            [*spark_class, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
             "--webui-port", str(worker_ui), "--cores", "2", "--memory", "1G", url],
            env=env, stdout=logs[1], stderr=subprocess.STDOUT,
        )  # fmt: skip
        while not any(w.get("state") == "ALIVE" for w in _state(ui).get("workers", [])):
            if time.monotonic() > deadline or worker.poll() is not None:
                pytest.fail("the Spark worker did not register: " +
                            (tmp_path / "worker.log").read_text()[-2000:])  # fmt: skip
            time.sleep(0.5)
        yield url, ui, env
    finally:
        for proc in (worker, master):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
        for log in logs:
            log.close()


def _series(argv: list[str], env: dict) -> dict:
    argv = [sys.executable, "-m", "tools.community_report", *argv, "--format", "json"]
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout)

    def rounded(value):  # hours agree to the microsecond, not to the last bit of a float
        if isinstance(value, float):
            return round(value, 6)
        if isinstance(value, dict):
            return {k: rounded(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rounded(v) for v in value]
        return value

    return rounded(report["series"])


def test_a_standalone_cluster_gives_duckdbs_rows(tmp_path, cluster):
    url, ui, env = cluster
    gen = Generator(["acme/a", "acme/b", "other/c"], people=12, seed=7)
    hours = write_hours(tmp_path / "gha", gen.events(START, 24 * 40, 3), START)
    archive = ["acme", "--gharchive", *map(str, hours), "--by", "month", "--no-progress"]
    export = tmp_path / "export"
    duck = _series([*archive, "--store", str(tmp_path / "a.duckdb"), "--export", str(export)],
                   env)  # fmt: skip
    assert len(duck["all"]) >= 2
    # another machine's store, filled from the export alone (every hour already read)
    staging = tmp_path / "staging"
    staging.mkdir()
    on_cluster = _series([*archive, "--store", str(tmp_path / "b.duckdb"), "--import",
                          str(export), "--engine", "spark", "--spark-master", url,
                          "--spark-staging", str(staging)], env)  # fmt: skip
    assert on_cluster == duck
    apps = _state(ui)
    ran = [a for a in apps.get("completedapps", []) + apps.get("activeapps", [])
           if a.get("name") == "community-report"]  # fmt: skip
    assert ran, "the application did not run on the standalone master"
    assert list(staging.iterdir()) == []  # the Parquet written for the executors is removed
