"""Ingest as a PySpark job: executors read, clean and extract; the driver writes in input order, in batches.

The job (see docs/scale.md for the picture):

1. the driver lists the inputs (:func:`~tawthiq.scale.inputs.plan_inputs`) and builds one RDD of items in input
   order: a folder's files are parallelised by name, a JSONL file is read by Spark line by line (``textFile``, whose
   partitions follow the file), a Parquet file by Spark with each row's ``_metadata.row_index`` and range-sorted by
   it; the SHA-256s already in the store are broadcast;
2. every executor runs :func:`~tawthiq.scale.inputs.prepare_item` on its items — the same read, clean, publication
   inference and claim extraction as ``tawthiq ingest``; the gazetteer and source registries load once per Python
   worker through their caches. Executors also put each original in the evidence vault (content-addressed: the
   driver then finds it there, checked by its hash, instead of writing and syncing it itself). Nothing here
   shuffles, except the sort of a Parquet file's rows;
3. the driver takes the outcomes partition by partition in input order — a wave of partitions computed while the
   previous wave is written — and commits them with :func:`~tawthiq.scale.writer.commit_in_order`: copy detection
   (a copy of an *earlier* document) and the store writes stay on the driver, so the claims, copy links and audit
   entries are those the single process makes.

Folders and files must be readable at the same path from every executor (a shared file system) on a cluster; in
``local[N]`` mode they are. Executors need Python with Tawthiq installed (``PYSPARK_PYTHON``).
"""

from __future__ import annotations

import math
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tawthiq.errors import ConfigError, EvidenceError, IngestError
from tawthiq.evidence.vault import write_original
from tawthiq.pipeline import IngestResult, Prepared
from tawthiq.scale.inputs import (
    Failure,
    FileItem,
    Files,
    Item,
    Jsonl,
    Outcome,
    Parquet,
    Plan,
    parquet_columns,
    parse_jsonl_line,
    plan_inputs,
    prepare_item,
    record_from_mapping,
    record_name,
)
from tawthiq.scale.writer import DEFAULT_BATCH, DocumentWriter, SqliteWriter, commit_in_order
from tawthiq.store import Store

if TYPE_CHECKING:
    from pyspark import RDD, SparkContext
    from pyspark.broadcast import Broadcast
    from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[2]"
#: Items per Spark partition: small enough to balance the executors, large enough to amortise a task's start.
PER_PARTITION = 64
_ROW_INDEX = "_tawthiq_row_index"
#: Spark's own logging for the driver: errors only, on stderr (its start-up warnings say nothing to a user).
LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = stderr
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
# the loggers Spark asks for a shell's level: set, they stop its "Setting default log level" notice
logger.submit.name = org.apache.spark.deploy.SparkSubmit
logger.submit.level = error
logger.gateway.name = org.apache.spark.api.python.PythonGatewayServer
logger.gateway.level = error
"""


def spark_session(master: str = DEFAULT_MASTER, app_name: str = "tawthiq-ingest") -> SparkSession:
    """Start (or join) a Spark session for ingesting; ConfigError when Java or pyspark is missing or Spark fails."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise ConfigError("the Spark engine needs Java, and none was found",
                          hint="install Debian's default-jre-headless (scripts/system-deps.sh) or set JAVA_HOME")
    try:
        from pyspark.sql import SparkSession
    except ImportError as e:
        raise ConfigError("the Spark engine needs pyspark", hint="pip install pyspark==4.0.1") from e
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.python.worker.reuse", "true")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={_log_config()}")
    )
    try:
        session = builder.getOrCreate()
    except Exception as e:  # py4j and the launcher raise several types; all mean Spark did not start
        raise ConfigError(f"cannot start Spark with master {master!r}: {_short(e)}",
                          hint="check --master (local[N], spark://host:7077, yarn ...) and that Java runs") from e
    session.sparkContext.setLogLevel("ERROR")
    return session


def _log_config() -> Path:
    """The log4j2 configuration file (written once per process; Spark reads it when its JVM starts)."""
    path = Path(tempfile.gettempdir()) / f"tawthiq-spark-log4j2-{os.getuid()}.properties"
    if not path.exists() or path.read_text(encoding="utf-8") != LOG4J2:
        path.write_text(LOG4J2, encoding="utf-8")
    return path


def ingest_spark(store: Store, paths: list[Path], *, master: str | None = None, spark: SparkSession | None = None,
                 batch_size: int = DEFAULT_BATCH, writer: DocumentWriter | None = None,
                 per_partition: int = PER_PARTITION, on_item: Callable[[str], None] | None = None) -> IngestResult:
    """Ingest files, folders and crawl files as a Spark job: on ``spark``, else on the session already running in
    this process, else on a session started on ``master`` (and stopped at the end)."""
    plan = plan_inputs(paths)
    writer = writer or SqliteWriter(store)
    result = IngestResult(skipped=list(plan.skipped), failed=[f.error() for f in plan.failed])
    running = spark or _running_session()
    session = running or spark_session(master or DEFAULT_MASTER)
    from py4j.protocol import Py4JError  # present once a session runs
    from pyspark.errors import PySparkException

    sc = session.sparkContext
    known = sc.broadcast(writer.every_sha256())
    try:
        items = _items(session, plan, per_partition)
        if items is not None:
            staging = writer.staging()
            prepared = items.mapPartitions(partial(prepare_partition, known=known,
                                                   vault=str(staging) if staging else None))
            commit_in_order(in_order(sc, prepared), writer, result, batch_size, on_item)
            if result.added:  # a bulk load: PostgreSQL's planner statistics now, not from autovacuum minutes later
                store.analyze()
    except (Py4JError, PySparkException) as e:
        inputs = ", ".join(map(str, paths))
        raise IngestError(inputs, f"the Spark job failed: {_short(e)}", hint="see the Spark log above") from e
    finally:
        known.destroy()
        if running is None:  # a session this call started
            session.stop()
    return result


def _running_session() -> SparkSession | None:
    """The Spark session already running in this process, if any (reused, and left running)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return None
    return SparkSession.getActiveSession()


def prepare_partition(items: Iterable[Item | Failure], known: Broadcast[frozenset[str]],
                      vault: str | None = None) -> Iterator[Outcome]:
    """What an executor does: prepare each item of its partition (the stored SHA-256s broadcast to it), and put the
    originals in the ``vault`` folder when given, so that the driver finds them there instead of writing them."""
    stored = known.value
    for item in items:
        outcome = prepare_item(item, stored)
        if vault is not None and isinstance(outcome, Prepared):
            stage_original(Path(vault), outcome.data)
        yield outcome


def stage_original(vault: Path, data: bytes) -> None:
    """Write an original into the vault ahead of its record; a failure here is left to the driver's own write."""
    try:
        write_original(vault, data)
    except (EvidenceError, OSError):
        return


def in_order(sc: SparkContext, rdd: RDD[Outcome], wave: int | None = None) -> Iterator[Outcome]:
    """The elements of ``rdd`` in partition order, ``wave`` partitions computed at a time while the previous wave is
    consumed (all executors busy, and at most two waves held by the driver). A consumer that stops early (its write
    failed) cancels the wave still running."""
    wave = wave or max(2, 2 * sc.defaultParallelism)
    n = rdd.getNumPartitions()
    waves = [list(range(start, min(start + wave, n))) for start in range(0, n, wave)]
    group = f"tawthiq-ingest-{uuid.uuid4().hex[:12]}"

    def run(partitions: list[int]) -> list[Outcome]:
        sc.setJobGroup(group, "tawthiq ingest: prepare documents", interruptOnCancel=True)
        return sc.runJob(rdd, _each, partitions)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tawthiq-spark-wave") as pool:
        pending: Future[list[Outcome]] | None = pool.submit(run, waves[0]) if waves else None
        try:
            for k in range(len(waves)):
                assert pending is not None
                outcomes = pending.result()
                pending = pool.submit(run, waves[k + 1]) if k + 1 < len(waves) else None
                yield from outcomes
        finally:
            if pending is not None and not pending.done():
                sc.cancelJobGroup(group)


def _each(items: Iterable[Outcome]) -> Iterable[Outcome]:
    return items


# --- the items, as one RDD in input order --------------------------------------------------------------------------


def _items(session: SparkSession, plan: Plan, per_partition: int) -> RDD[Item | Failure] | None:
    sc = session.sparkContext
    parts: list[RDD[Item | Failure]] = []
    for source in plan.sources:
        if isinstance(source, Files):
            names: list[Item | Failure] = [FileItem(str(path)) for path in source.paths]
            parts.append(sc.parallelize(names, _slices(sc, len(names), per_partition)))
        elif isinstance(source, Jsonl):
            parts.append(_jsonl(sc, source.path, per_partition))
        elif isinstance(source, Parquet):
            columns = parquet_columns(source.path)
            if isinstance(columns, Failure):
                parts.append(sc.parallelize([columns], 1))
            else:
                parts.append(_parquet(session, source.path, columns, per_partition))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else sc.union(parts)


def _slices(sc: SparkContext, n: int, per_partition: int) -> int:
    return max(1, min(n, max(sc.defaultParallelism, math.ceil(n / per_partition))))


def _jsonl(sc: SparkContext, path: Path, per_partition: int) -> RDD[Item | Failure]:
    """A JSONL file's records in line order (``textFile`` partitions follow the file; zipWithIndex numbers lines)."""
    typical = 8 * 1024 * per_partition  # bytes of a partition of typical news pages
    partitions = max(sc.defaultParallelism, math.ceil(path.stat().st_size / typical))
    lines = sc.textFile(str(path.resolve()), minPartitions=partitions, use_unicode=False)
    return lines.zipWithIndex().flatMap(partial(_jsonl_items, str(path)))


def _jsonl_items(source: str, numbered: tuple[bytes, int]) -> list[Item | Failure]:
    line, index = numbered
    item = parse_jsonl_line(source, index + 1, line)
    return [] if item is None else [item]


def _parquet(session: SparkSession, path: Path, columns: list[str], per_partition: int) -> RDD[Item | Failure]:
    """A Parquet file's records in row order: Spark reads it in parallel, the row index puts the rows back in order."""
    import pyarrow.parquet as pq

    rows = pq.ParquetFile(path).metadata.num_rows
    frame = session.read.parquet(str(path.resolve())).selectExpr(*columns, f"_metadata.row_index AS {_ROW_INDEX}")
    keyed = frame.rdd.map(_keyed_row)
    slices = _slices(session.sparkContext, max(rows, 1), per_partition)
    ordered = keyed.sortByKey(numPartitions=slices)  # type: ignore[call-overload]  # (pyspark's overloads want keyfunc)
    return ordered.map(partial(_parquet_item, str(path)))


def _keyed_row(row: Any) -> tuple[int, dict[str, object]]:
    values = row.asDict()
    return int(values.pop(_ROW_INDEX)), values


def _parquet_item(source: str, keyed: tuple[int, dict[str, object]]) -> Item | Failure:
    index, values = keyed
    return record_from_mapping(record_name(source, index + 1), values)


def _short(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return (lines[0] if lines else type(error).__name__)[:240]
