"""`sladsl eval --engine duckdb|spark`: the SQL back end run on an embedded or local engine.

The tickets are read and validated by `sladsl.data` exactly as for the Python engine; each chunk
is loaded into the engine as a table, the verdict query of `sladsl.to_sql` answers every due
instant, status, used and left time (and the proportion targets' statuses and periods) in SQL,
and the answers are handed to the same writer as the Python engine's (`sladsl.cli.data`), so the
output is byte for byte the same. The calendar tables are laid out for the years the data needs
(from the year before the first ticket to two years after the last instant, within any frozen
holiday years).

DuckDB (`pip install 'sladsl[duckdb]'`) runs in-process; Spark (`pip install 'sladsl[spark]'`,
Java 17) runs `local[2]` unless `SLADSL_SPARK_MASTER` names a cluster.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from sqlglot import exp

from sladsl import to_sql
from sladsl.data import DataError, TicketChunk
from sladsl.evaluate import METRICS, STATUSES, ChunkVerdicts, Evaluation, Group
from sladsl.runtime.evaluator import NOT_JUDGED

__all__ = ["ENGINES", "EngineProblem", "SqlEvaluation", "open_engine"]

ENGINES = ("python", "duckdb", "spark")
_MET = {"met": True, "breached": False}  # met_by_ticket of a proportion (else None)
_TICKET_SCHEMA = (("id", "BIGINT"), ("plan", "VARCHAR"), ("priority", "VARCHAR"),
                  ("channel", "VARCHAR"), ("addons", "VARCHAR"), ("opened_us", "BIGINT"),
                  ("response_us", "BIGINT"), ("resolution_us", "BIGINT"))
_PAUSE_SCHEMA = (("ticket_id", "BIGINT"), ("from_us", "BIGINT"), ("to_us", "BIGINT"))
_NAMES = dict(tickets="sla_in_tickets", pauses="sla_in_pauses")


class EngineProblem(RuntimeError):
    """The engine is not installed or cannot start: a usage problem, one line."""


def _arrow(schema, rows):
    """Rows as a pyarrow table of the schema (how both engines take data from Python)."""
    import pyarrow as pa

    types = {"BIGINT": pa.int64(), "VARCHAR": pa.string()}
    columns = list(zip(*rows)) if rows else [()] * len(schema)
    return pa.table({c: pa.array(list(v), type=types[t]) for (c, t), v in zip(schema, columns)})


class _DuckDB:
    dialect = "duckdb"

    def __init__(self) -> None:
        try:
            import duckdb
        except ImportError:
            raise EngineProblem("the DuckDB engine needs the duckdb package: "
                                "pip install 'sladsl[duckdb]'") from None
        self.con = duckdb.connect()
        self.con.execute("SET TimeZone = 'UTC'")

    def load(self, name: str, schema, rows) -> None:
        columns = ", ".join(f'"{c}" {t}' for c, t in schema)
        self.con.execute(f"CREATE OR REPLACE TABLE {name} ({columns})")
        if rows:
            self._bulk(name, schema, rows)

    def _bulk(self, name, schema, rows) -> None:
        self.con.register("sla_arrow_load", _arrow(schema, rows))
        self.con.execute(f"INSERT INTO {name} SELECT * FROM sla_arrow_load")
        self.con.unregister("sla_arrow_load")

    def view(self, name: str, select: str) -> None:
        self.con.execute(f"CREATE OR REPLACE VIEW {name} AS {select}")

    def timestamp(self, column: str) -> str:
        return f"make_timestamp({column})"

    def run(self, tree) -> list[tuple]:
        sql = to_sql.to_dialect(tree, self.dialect, pretty=False)
        return self.con.execute(sql).fetchall()

    def close(self) -> None:
        self.con.close()


class _Spark:
    dialect = "spark"
    _session = None

    def __init__(self) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise EngineProblem("the Spark engine needs pyspark (and Java 17): "
                                "pip install 'sladsl[spark]'") from None
        self.spark = _Spark.session(SparkSession)
        self.cached = []

    @classmethod
    def session(cls, SparkSession):
        """One session per process (starting a JVM takes seconds)."""
        if cls._session is None:
            master = os.environ.get("SLADSL_SPARK_MASTER", "local[2]")
            # Small, many-join queries on one machine: few shuffle partitions, the calendar
            # tables broadcast, no adaptive re-planning and no code generation (compiling the
            # generated Java costs more than it saves here). A cluster keeps its own settings
            # for these through spark-defaults.
            local = master.startswith("local")
            cls._session = (SparkSession.builder.master(master).appName("sladsl")
                            .config("spark.sql.shuffle.partitions", "2" if local else "200")
                            .config("spark.sql.adaptive.enabled", "false" if local else "true")
                            .config("spark.sql.codegen.wholeStage", "false" if local else "true")
                            .config("spark.sql.autoBroadcastJoinThreshold", str(256 << 20))
                            .config("spark.sql.session.timeZone", "UTC")
                            .config("spark.ui.enabled", "false")
                            .config("spark.ui.showConsoleProgress", "false")
                            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                            .getOrCreate())
            cls._session.sparkContext.setLogLevel("ERROR")
        return cls._session

    def load(self, name: str, schema, rows) -> None:
        frame = self.spark.createDataFrame(_arrow(schema, rows))
        frame.cache().createOrReplaceTempView(name)

    def view(self, name: str, select: str) -> None:
        self.spark.sql(select).createOrReplaceTempView(name)

    def timestamp(self, column: str) -> str:
        return f"timestamp_micros({column})"

    def frame(self, tree):
        """The CTEs referenced more than once are materialised (cached) once, the others stay
        views, then the final SELECT: Spark inlines CTEs, so a shared one would be recomputed
        for every reference."""
        for frame in self.cached:
            frame.unpersist()
        self.cached = []
        parts = to_sql.steps(tree)
        uses: dict = {}
        for _name, step in parts:
            for table in step.find_all(exp.Table):
                uses[table.name] = uses.get(table.name, 0) + 1
        for name, step in parts:
            frame = self.spark.sql(to_sql.to_dialect(step, self.dialect, pretty=False))
            if name == "result":
                return frame
            if uses.get(name, 0) > 1:
                frame = frame.cache()
                frame.count()
                self.cached.append(frame)
            frame.createOrReplaceTempView(name)
        raise AssertionError("a query without a final SELECT")

    def run(self, tree) -> list[tuple]:
        return [tuple(row) for row in self.frame(tree).collect()]

    def close(self) -> None:
        pass  # the session is shared for the process


def open_engine(name: str):
    return {"duckdb": _DuckDB, "spark": _Spark}[name]()


def _years(chunk: TicketChunk, now_us: int) -> tuple[int, int]:
    instants = [m for column in (chunk.opened, chunk.responded, chunk.resolved)
                for m in column if m is not None]
    instants += [m for pauses in chunk.pauses.values() for pair in pauses for m in pair]
    instants.append(now_us)
    lo, hi = min(instants) // 1_000_000, max(instants) // 1_000_000
    year = lambda t: datetime.fromtimestamp(t, timezone.utc).year  # noqa: E731
    return max(2, year(lo) - 1), min(9998, year(hi) + 2)


class SqlEvaluation:
    """Runs the verdict query for each chunk and fills an `Evaluation`'s groups and tallies."""

    def __init__(self, run: Evaluation, engine_name: str) -> None:
        self.run = run
        self.engine = open_engine(engine_name)
        self.years = None
        self.query = None
        self.proportion_keys = to_sql.proportion_keys(run.ev)

    def _prepare(self, chunk: TicketChunk) -> None:
        years = _years(chunk, self.run.now_us)
        if self.years is not None and self.years[0] <= years[0] and years[1] <= self.years[1]:
            return
        if self.years is not None:
            years = (min(years[0], self.years[0]), max(years[1], self.years[1]))
        self.years = years
        layout = to_sql.lay_out(self.run.ev, years)
        for name, (columns, rows) in layout.tables.items():
            schema = [(c, "BIGINT" if c in to_sql.INTEGER_COLUMNS else "VARCHAR") for c in columns]
            self.engine.load(f"sla_{name}", schema, rows)
        self.query = to_sql.verdict_query(to_sql.SqlNames(**_NAMES, now=self.run.now_s))

    def _load_chunk(self, chunk: TicketChunk) -> None:
        engine = self.engine
        opened, responded, resolved = chunk.opened, chunk.responded, chunk.resolved
        rows = []
        for i, (priority, plan, addons, channel) in enumerate(chunk.keys):
            rows.append((i, plan or "", priority or "", channel or "", to_sql.addons_key(addons),
                         opened[i], responded[i], resolved[i]))
        engine.load("sla_raw_tickets", _TICKET_SCHEMA, rows)
        pauses = [(i, a, b) for i, pairs in sorted(chunk.pauses.items()) for a, b in pairs]
        engine.load("sla_raw_pauses", _PAUSE_SCHEMA, pauses)
        ts = engine.timestamp
        engine.view("sla_in_tickets",
                    "SELECT id, plan, priority, channel, addons, "
                    f"{ts('opened_us')} AS opened_at, {ts('response_us')} AS first_response_at, "
                    f"{ts('resolution_us')} AS resolved_at FROM sla_raw_tickets")
        engine.view("sla_in_pauses",
                    f"SELECT ticket_id, {ts('from_us')} AS paused_from, {ts('to_us')} AS paused_to "
                    "FROM sla_raw_pauses")

    def run_chunk(self, chunk: TicketChunk) -> ChunkVerdicts:
        """`Evaluation.run_chunk`, answered by the SQL engine."""
        run = self.run
        self._prepare(chunk)
        self._load_chunk(chunk)
        rows = self.engine.run(self.query)
        unanswered = sorted({r[0] for r in rows if r[5] is None})
        if unanswered:
            chunk = self._drop(chunk, unanswered)
            if not len(chunk):
                return ChunkVerdicts(chunk, [])
            return self.run_chunk(chunk)
        return run.close_chunk(chunk, self._groups(chunk, rows))

    def _drop(self, chunk: TicketChunk, bad: list[int]) -> TicketChunk:
        """Tickets the tables cannot answer (beyond the frozen holiday years): the Python
        engine's DataError for each (raised, or counted when skipping)."""
        run = self.run
        sub = chunk.select(bad)
        try:
            run._groups(sub)
        except ValueError as error:
            if isinstance(error, DataError):
                raise
            left = run._without_unanswerable(sub, error)  # raises, or skips and counts
            if len(left):
                raise RuntimeError("the SQL tables do not cover tickets the runtime answers") \
                    from None
            return chunk.select([i for i in range(len(chunk)) if i not in set(bad)])
        raise RuntimeError("the SQL engine left tickets unanswered that the runtime answers")

    def _groups(self, chunk: TicketChunk, rows) -> list[Group]:
        run = self.run
        key_ids: dict = {}
        codes = [key_ids.setdefault(k, len(key_ids)) for k in chunk.keys]
        keys = list(key_ids)
        by_target: dict = {}
        shares: dict = {}
        for row in rows:
            ident, metric, kind = row[0], row[1], row[2]
            if kind == 1:
                shares[(ident, metric)] = row
                continue
            by_target.setdefault((METRICS.index(metric), row[3]), []).append(row)
        groups = []
        for (rank, tid), members in sorted(by_target.items()):
            members.sort(key=lambda r: r[0])
            metric = METRICS[rank]
            target = run._target(metric, chunk.keys[members[0][0]])
            group = Group(metric, target, [r[0] for r in members])
            for r in members:  # one SQL target id is one runtime target
                if run._target(metric, chunk.keys[r[0]]) is not target:
                    raise RuntimeError(f"SQL target {tid} stands for two runtime targets")
            group.due = [r[4] for r in members]
            group.status = [STATUSES.index(r[5]) for r in members]
            group.used = [r[6] for r in members]
            group.left = [r[7] for r in members]
            # The stop instant as the data gives it (microseconds): the resolution when the SQL
            # says it stopped the clock, else the metric's own event.
            own = {"response": chunk.responded, "resolution": chunk.resolved}.get(metric)
            group.event = [chunk.resolved[r[0]] if r[11] else (own[r[0]] if own else None)
                           for r in members]
            reasons = [r[10] for r in members]
            group.reason = reasons if any(reasons) else None
            member_codes = [codes[i] for i in group.idx]
            if run.np is not None:
                member_codes = run.np.asarray(member_codes, dtype=run.np.int64)
            group.tally = run._counts(keys, member_codes, group.status, metric)
            self._proportions(chunk, group, shares)
            groups.append(group)
        # The Python engine's group order (keys by first appearance, metrics in order), which
        # fixes the order of the rows its summaries list.
        order: dict = {}
        for key in keys:
            for metric in run.metrics:
                target = run._target(metric, key)
                if target is not None:
                    order.setdefault((metric, id(target)), len(order))
        groups.sort(key=lambda g: order.get((g.metric, id(g.target)), len(order)))
        return groups

    def _proportions(self, chunk, group: Group, shares: dict) -> None:
        run = self.run
        out, periods = [], []
        for k, i in enumerate(group.idx):
            row = shares.get((i, group.metric))
            pkey = run._share(group.metric, chunk.keys[i])
            if row is None:
                if pkey is not None:
                    raise RuntimeError("the SQL engine missed a proportion target")
                out.append(None)
                continue
            if self.proportion_keys[row[3]] != pkey:
                raise RuntimeError("SQL proportion target differs from the runtime's")
            if group.status[k] == NOT_JUDGED:  # not counted toward the proportion
                out.append((pkey, None))
                continue
            out.append((pkey, _MET.get(row[5])))
            periods.append((pkey, row[9], STATUSES.index(row[5])))
        if any(x is not None for x in out):
            group.proportion, group.periods = out, periods

