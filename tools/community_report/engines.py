"""The engines that run the trends query over a store: DuckDB (the default, in process) and
Apache Spark (``--engine spark``; PySpark from the ``spark`` extra, Java 17).

Both run the one query of ``metrics.trends``; Spark reads the store's tables as Parquet and
runs the query transpiled by SQLGlot. ``--spark-master`` is Spark's usual master URL:
``local[N]`` on one machine, ``spark://host:7077`` or ``yarn`` on a cluster. The Parquet
files are written where the executors can read them at the same path: a temporary folder on
one machine (``local[N]``, or a standalone cluster on this host), ``--spark-staging DIR`` on a
cluster (a folder every node mounts: NFS, ``/dbfs/…`` on Databricks).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..community_report.identities import identity_of, unify
from ..community_report.store import Store, _quoted, bulk_insert
from ..errors import UserError, brief

ENGINES = ("duckdb", "spark")  # --engine
RECORD_TABLES = ("commits", "coauthors", "items", "comments", "reviews", "popularity")


def _where(repos: list[str]) -> str:
    listed = ", ".join("'" + r.replace("'", "''") + "'" for r in repos)
    return f"WHERE repo IN ({listed})"


def identities(store: Store, repos: list[str], is_bot: Callable[[str, str, str], bool],
               known_emails) -> list:  # fmt: skip
    """(name, email, who, is_bot) for every author in these repositories, joined over all of
    them at once: one person is one identity across them."""
    pairs = Counter(
        {(n, e): k for n, e, k in store.con.execute(
            f"SELECT name, email, count(*) FROM (SELECT name, email FROM commits {_where(repos)} "
            f"UNION ALL SELECT name, email FROM coauthors {_where(repos)}) GROUP BY name, email"
        ).fetchall()}
    )  # fmt: skip
    bots = {(n, e): is_bot(n, e, identity_of(e)) for n, e in pairs}
    who, _ = unify(pairs, bots, known_emails)
    return [(n, e, who[(n, e)], bots[(n, e)]) for n, e in pairs]


def _prepare(store: Store, repos: list[str], ident: list) -> None:
    """Temporary views of the records of ``repos`` (``r_commits`` …) and the identities."""
    for table in RECORD_TABLES:
        store.con.execute(
            f"CREATE OR REPLACE TEMP VIEW r_{table} AS SELECT * FROM main.{table} {_where(repos)}"
        )
    store.con.execute(
        "CREATE OR REPLACE TEMP TABLE identities "
        "(name VARCHAR, email VARCHAR, who VARCHAR, is_bot BOOLEAN)"
    )
    bulk_insert(store.con, "identities", ["name", "email", "who", "is_bot"], ident)


def run_duckdb(store: Store, sql: str, repos: list[str], ident: list) -> list[tuple]:
    _prepare(store, repos, ident)
    return store.con.execute(sql).fetchall()


def spark_session(master: str):
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UserError(
            "--engine spark needs PySpark: install the spark extra (pip install -e '.[spark]' "
            "in the checkout) and Java 17"
        ) from None
    active = SparkSession.getActiveSession()
    if active is not None and active.sparkContext.master != master:
        active.stop()  # a session on another master would be handed back by getOrCreate
    try:
        spark = (
            SparkSession.builder.master(master)
            .appName("community-report")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .getOrCreate()
        )
    except Exception as exc:  # the JVM missing or refusing to start: one line, not its trace
        detail = brief(exc, 200)
        raise UserError(
            f"--engine spark: Spark did not start at {master} ({detail}); check that Java 17 "
            "is installed (JAVA_HOME) and the master URL"
        ) from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run_spark(store: Store, sql: str, repos: list[str], ident: list,
              master: str = "local[2]", staging: Path | None = None) -> list[tuple]:  # fmt: skip
    """The same query on Spark: the views written as Parquet (in a new folder under
    ``staging``, else a temporary one, removed afterwards), read by Spark, the SQL transpiled
    from DuckDB's dialect to Spark's by SQLGlot."""
    import sqlglot

    if staging is not None and not staging.is_dir():
        raise UserError(
            f"--spark-staging {staging}: not a folder; give a folder every Spark node sees at "
            "that path (a shared mount)"
        )
    spark = spark_session(master)
    _prepare(store, repos, ident)
    with tempfile.TemporaryDirectory(prefix="community-report-spark-", dir=staging) as tmp:
        for view in (*(f"r_{t}" for t in RECORD_TABLES), "identities"):
            path = Path(tmp) / f"{view}.parquet"
            store.con.execute(f"COPY (SELECT * FROM {view}) TO '{_quoted(path)}' (FORMAT parquet)")
            spark.read.parquet(str(path)).createOrReplaceTempView(view)
        spark_sql = sqlglot.transpile(sql, read="duckdb", write="spark")[0]
        rows = spark.sql(spark_sql).collect()
    return [tuple(row) for row in rows]


def run_trends(store: Store, repos: list[str], by: str, inactive_days: int, ident: list,
               engine: str = "duckdb", master: str = "local[2]",
               staging: Path | None = None) -> list[tuple]:  # fmt: skip
    from ..community_report.metrics.trends import trends_sql  # not loaded by a window's report

    sql = trends_sql(by, inactive_days)
    if engine == "spark":
        return run_spark(store, sql, repos, ident, master, staging)
    return run_duckdb(store, sql, repos, ident)
