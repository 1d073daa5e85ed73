"""A Spark session for Splink: the cluster's own under ``spark-submit``, else a local one.

Under ``spark-submit`` (or any running application) the active session is used as it is:
the cluster's master, executors and memory are the cluster administrator's settings, and
``spark.jars`` must include Splink's similarity UDF jar (see docs/resolve.md). Otherwise a
session is started on ``master`` (``local[2]`` by default, or a cluster URL such as
``spark://host:7077``) with its scratch space under ``scratch``, no UI and no network
access beyond the loopback. Missing Java or pyspark is an `EngineUnavailable` naming what
to install, never a Py4J traceback.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

__all__ = ["EngineUnavailable", "java_available", "spark_api"]


class EngineUnavailable(RuntimeError):
    """The engine cannot run here; the message says what is missing."""


def java_available() -> bool:
    home = os.environ.get("JAVA_HOME")
    return bool(shutil.which("java") or (home and (Path(home) / "bin" / "java").exists()))


def _session(master: str, scratch: Path) -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineUnavailable(
            "engine spark: pyspark is not installed (python3 -m pip install 'pyspark>=4')"
        ) from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    if os.environ.get("PYSPARK_GATEWAY_PORT"):
        # Started by spark-submit: its JVM is running with the submitted master and conf.
        return SparkSession.builder.getOrCreate()
    if not java_available():
        raise EngineUnavailable("engine spark: Java not found (install Java 17 or set JAVA_HOME)")
    from splink.backends.spark import similarity_jar_location

    local = master.startswith("local")
    builder = (
        SparkSession.builder.master(master)
        .appName("plataforma-resolve")
        .config("spark.jars", similarity_jar_location())
        .config("spark.local.dir", str(scratch / "spark-local"))
        .config("spark.sql.warehouse.dir", str(scratch / "spark-warehouse"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # Few partitions: a local run shuffles small tables, and 200 tasks each cost more
        # than their work (a 2-core machine).
        .config("spark.sql.shuffle.partitions", "4" if local else "200")
        .config("spark.default.parallelism", "4" if local else "200")
    )
    if local:
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
    try:
        session = builder.getOrCreate()
    except Exception as error:  # Py4J and the JVM launcher raise several kinds
        log.warning("spark session did not start", extra={"master": master}, exc_info=True)
        raise EngineUnavailable(f"engine spark: cannot start Spark on {master} ({error})") from None
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(str(scratch / "spark-checkpoints"))
    return session


def spark_api(master: str, scratch: Path) -> Any:
    """Splink's Spark backend on the active or a new session."""
    session = _session(master, scratch)
    from splink import SparkAPI

    local = session.sparkContext.master.startswith("local")
    # On a cluster, every intermediate table is written as Parquet under the checkpoint
    # directory (Splink's default): lineage stays short and a lost executor recomputes
    # little. Locally, keeping them in memory is faster and the data is small anyway.
    return SparkAPI(  # type: ignore[no-untyped-call]
        spark_session=session,
        break_lineage_method="persist" if local else None,
        num_partitions_on_repartition=2 if local else None,
    )
