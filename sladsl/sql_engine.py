"""`sladsl eval --engine duckdb|spark`: the SQL back end run on an embedded or local engine.

The tickets are read and validated by `sladsl.data` exactly as for the Python engine; each chunk
is loaded into the engine as a table, the verdict query of `sladsl.to_sql` answers every due
instant, status, used and left time (and the proportion targets' statuses and periods) in SQL,
and the answers are handed to the same writer as the Python engine's (`sladsl.cli.data`), so the
output is byte for byte the same. The calendar tables are laid out for the years the data needs
(from the year before the first ticket to two years after the last instant, within any frozen
holiday years).

DuckDB (`pip install 'sladsl[duckdb]'`) runs in-process; Spark (`pip install 'sladsl[spark]'`,
Java 17) runs `local[N]` (N: the cores) unless `SLADSL_SPARK_MASTER` names a cluster.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from sqlglot import exp

from sladsl import to_sql
from sladsl.data import DataError, TicketChunk
from sladsl.evaluate import METRICS, STATUSES, ChunkVerdicts, Evaluation, Group
from sladsl.runtime.availability import period_label
from sladsl.runtime.evaluator import NOT_JUDGED

__all__ = ["ENGINES", "EngineProblem", "SqlEvaluation", "SqlUptime", "open_engine"]

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
        self.shared: dict = {}  # what the tables of this catalog (one connection) hold

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

    def prepare(self, trees) -> list[str]:
        """Several queries as this engine runs them together (`run_prepared`)."""
        return [to_sql.to_dialect(tree, self.dialect, pretty=False) for tree in trees]

    def run_prepared(self, texts: list[str]) -> list[list[tuple]]:
        """Several queries over the same small tables, one after the other."""
        return [self.con.execute(text).fetchall() for text in texts]

    def close(self) -> None:
        self.con.close()


class _Spark:
    dialect = "spark"
    _session = None
    _shared: dict = {}

    def __init__(self) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise EngineProblem("the Spark engine needs pyspark (and Java 17): "
                                "pip install 'sladsl[spark]'") from None
        self.spark = _Spark.session(SparkSession)
        self.shared = _Spark._shared  # one session, one catalog of temporary views
        # the steps cached by the last query of any engine object on the session
        self.cached = self.shared.setdefault("cached", [])

    @classmethod
    def session(cls, SparkSession):
        """One session per process (starting a JVM takes seconds)."""
        if cls._session is None:
            cls._shared.clear()  # frames of an earlier, stopped session
            cls._shared["cached"] = []
            cores = os.cpu_count() or 2
            master = os.environ.get("SLADSL_SPARK_MASTER", f"local[{cores}]")
            # Many-join queries on one machine: one shuffle partition per core (the default 200
            # means 200 tiny tasks per join), adaptive execution (it coalesces partitions and
            # turns joins into broadcasts once it sees the sizes), the calendar tables
            # broadcast, no code generation (compiling the generated Java costs more than it
            # saves here), no UI, Arrow for the transfers. A cluster keeps its own settings
            # for these through spark-defaults.
            local = master.startswith("local")
            cls._session = (SparkSession.builder.master(master).appName("sladsl")
                            .config("spark.sql.shuffle.partitions", str(cores) if local else "200")
                            # A local driver is the whole cluster: Spark's 1 GB default runs
                            # out of heap on a million tickets (3.7 GB measured at 1M).
                            .config("spark.driver.memory",
                                    os.environ.get("SLADSL_SPARK_DRIVER_MEMORY", "4g"))
                            .config("spark.sql.adaptive.enabled", "true")
                            .config("spark.sql.codegen.wholeStage", "false" if local else "true")
                            .config("spark.sql.autoBroadcastJoinThreshold", str(256 << 20))
                            .config("spark.sql.session.timeZone", "UTC")
                            .config("spark.ui.enabled", "false")
                            # Spark writes every query's plan out as text for its listeners;
                            # the availability pipeline's plan runs to hundreds of megabytes
                            # and ran a 1 GB heap out of memory on that string alone.
                            .config("spark.sql.maxPlanStringLength", "64k")
                            .config("spark.ui.showConsoleProgress", "false")
                            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                            .getOrCreate())
            cls._session.sparkContext.setLogLevel("ERROR")
        return cls._session

    def load(self, name: str, schema, rows) -> None:
        frame = self.spark.createDataFrame(_arrow(schema, rows))
        # The session outlives every engine object: a table replaced by name is unpersisted, or
        # the cached frames of earlier runs would fill the driver's heap.
        loaded = self.shared.setdefault("loaded", {})
        if name in loaded:
            loaded[name].unpersist()
        loaded[name] = frame.cache()
        frame.createOrReplaceTempView(name)

    def view(self, name: str, select: str) -> None:
        self.spark.sql(select).createOrReplaceTempView(name)

    def timestamp(self, column: str) -> str:
        return f"timestamp_micros({column})"

    def frame(self, tree):
        """The query as a DataFrame, its shared steps materialised first (`prepare`)."""
        steps, (final,) = self.prepare([tree])
        self._register(steps)
        return self.spark.sql(final)

    def run(self, tree) -> list[tuple]:
        return [tuple(row) for row in self.frame(tree).collect()]

    def prepare(self, trees) -> tuple[list[tuple[str, str, bool]], list[str]]:
        """Several queries sharing their CTEs (the availability queries), as `run_prepared`
        takes them: each shared step once, in order, as (view name, text, materialise), then
        each final SELECT, which reads the steps as registered views (inlined, the shared steps
        would be planned and computed once per reference)."""
        steps: dict = {}
        finals = []
        for tree in trees:
            for name, step in to_sql.steps(tree):
                if name == "result":
                    finals.append(step)
                else:
                    steps.setdefault(name, step)
        uses: dict = {}
        for step in [*steps.values(), *finals]:
            for table in step.find_all(exp.Table):
                uses[table.name] = uses.get(table.name, 0) + 1
        render = lambda step: to_sql.to_dialect(step, self.dialect, pretty=False)  # noqa: E731
        return ([(name, render(step), uses.get(name, 0) > 1) for name, step in steps.items()],
                [render(final) for final in finals])

    def run_prepared(self, prepared) -> list[list[tuple]]:
        steps, finals = prepared
        self._register(steps)
        return [[tuple(row) for row in self.spark.sql(text).collect()] for text in finals]

    def _register(self, steps: list[tuple[str, str, bool]]) -> None:
        """Each step as a temporary view, those read more than once materialised (cached) once:
        Spark inlines a view, so a shared one would be recomputed for every reference. The
        previous query's cached steps are released first."""
        for frame in self.cached:
            frame.unpersist()
        self.cached.clear()
        for name, text, shared in steps:
            frame = self.spark.sql(text)
            if shared:
                frame = frame.cache()
                frame.count()
                self.cached.append(frame)
            frame.createOrReplaceTempView(name)

    def close(self) -> None:
        pass  # the session is shared for the process


# The availability queries read the contract only through the tables loaded beside them, so
# their text depends on the names and the engine alone: a process asking again (a test suite, a
# service, the versions of a contract) renders them once. Keyed by the stages' texts too.
_PREPARED: dict = {}


def _availability_queries(engine, names: to_sql.SqlNames):
    from sladsl import to_sql_availability as avsql

    key = (engine.dialect, names.key(), tuple(text for text, _reads in avsql.STAGES.values()))
    if key not in _PREPARED:
        if len(_PREPARED) >= 32:
            _PREPARED.clear()
        _PREPARED[key] = engine.prepare([avsql.availability_query(names),
                                         avsql.credit_query(names), avsql.outage_query(names)])
    return _PREPARED[key]


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
        # The versions of a contract each have an evaluation; on Spark they share one catalog,
        # so the tables are laid out again when another version's are loaded there.
        mine = self.engine.shared.get("tables") is self
        if mine and self.years is not None and self.years[0] <= years[0] \
                and years[1] <= self.years[1]:
            return
        if self.years is not None:
            years = (min(years[0], self.years[0]), max(years[1], self.years[1]))
        self.years = years
        layout = to_sql.lay_out(self.run.ev, years)
        for name, (columns, rows) in layout.tables.items():
            schema = [(c, "BIGINT" if c in to_sql.INTEGER_COLUMNS else "VARCHAR") for c in columns]
            self.engine.load(f"sla_{name}", schema, rows)
        self.query = to_sql.verdict_query(to_sql.SqlNames(**_NAMES, now=self.run.now_s))
        self.engine.shared["tables"] = self

    def _load_chunk(self, chunk: TicketChunk) -> None:
        engine = self.engine
        opened, responded, resolved = chunk.opened, chunk.responded, chunk.resolved
        rows = []
        for i, (priority, plan, addons, channel, _attributes) in enumerate(chunk.keys):
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



# -- uptime --engine duckdb|spark ------------------------------------------------------------------

_INCIDENT_SCHEMA = (("service", "VARCHAR"), ("kind", "VARCHAR"), ("start_us", "BIGINT"),
                    ("end_us", "BIGINT"), ("reported_us", "BIGINT"), ("detected_us", "BIGINT"))


class SqlUptime:
    """`Evaluator.availability_periods`, answered by the availability queries of
    `sladsl.to_sql_availability` on an engine: the runtime lays out the periods (and refuses a
    period that is not made of whole service periods, as with `--engine python`), the engine
    computes downtime, uptime, the verdict and the credits, and this class puts them in the
    runtime's answer shape for the same writer."""

    def __init__(self, evaluator, engine_name: str, incidents, services=None) -> None:
        self.ev = evaluator
        self.services = tuple(services) if services is not None else tuple(
            name for name, e in evaluator.spec["services"].items() if e["target_percent"] is not None)
        self.engine = open_engine(engine_name)
        self.asked = None  # (period, billing, now) of the answers below
        self.answers: dict = {}  # service -> (rows, credits, outages, shape) or a ValueError
        rows = [(i.service, i.kind, i.start, i.end, i.reported, i.detected) for i in incidents]
        # (service or None, start, end) seconds of what can form an outage: the tail periods
        self.spans = [(i.service, i.start // 10**6, i.end // 10**6) for i in incidents
                      if i.kind in ("outage", "maintenance")]
        self.engine.load("sla_raw_incidents", _INCIDENT_SCHEMA, rows)
        ts = self.engine.timestamp
        self.engine.view("sla_in_incidents",
                         f"SELECT service, kind, {ts('start_us')} AS start_at, "
                         f"{ts('end_us')} AS end_at, {ts('reported_us')} AS reported_at, "
                         f"{ts('detected_us')} AS detected_at FROM sla_raw_incidents")

    def report(self, service: str, period, outages, excluded, maintenance, billing: str,
               now) -> dict:
        """As `Evaluator.availability_periods` answers it, errors included, in its order: the
        period, then the data, then `now` before the period."""
        ev = self.ev
        asked = (period if isinstance(period, str) else tuple(period), billing, now)
        if self.asked != asked:  # every service of the command in one engine run
            self._run_all(period, billing, now)
            self.asked = asked
        found = self.answers[service]
        if isinstance(found, ValueError):
            raise found
        entry, zone = ev._service_entry(service, billing)
        ev._availability_data(entry, outages, excluded, maintenance, zone)
        rows, credits, outage_rows, shape = found
        later = [a["period_start"] for a in shape["periods"]
                 if now is not None and a["period_start"].timestamp() > now.timestamp()]
        if later:
            raise ValueError(f"now {now.isoformat()} is before the period starts "
                             f"({later[0].isoformat()})")
        answers = [self._answer(service, entry, zone, row, piece, billing, now,
                                [c for c in credits if c[1] == row[1] and c[2] == billing],
                                [o for o in outage_rows if o[1] == row[1]])
                   for row, piece in zip(rows, shape["periods"])]
        from sladsl.runtime.evaluator import _total

        start, end = shape["total"]["period_start"], shape["total"]["period_end"]
        return {"service": service, "periods": answers, "total": _total(answers, (start, end))}

    def _run_all(self, period, billing: str, now) -> None:
        from sladsl import to_sql_availability as avsql

        ev = self.ev
        self.answers, shapes, layout = {}, {}, {}
        for service in self.services:
            entry, _zone = ev._service_entry(service, billing)
            try:  # the runtime lays the periods out (no data): the same period errors
                shape = ev.availability_periods(service, period, [], [], billing=billing)
            except ValueError as error:
                self.answers[service] = error
                continue
            shapes[service] = shape
            layout[service] = [(int(a["period_start"].timestamp()),
                                int(a["period_end"].timestamp()),
                                period_label(entry["period"], a["period_start"],
                                                   entry["first_month"]))
                               for a in shape["periods"]]
        if not shapes:
            return
        asked = {service: {label for _a, _b, label in periods} for service, periods in layout.items()}
        for service, periods in layout.items():  # outages running past the last period, measured whole
            spans = [(a, b) for name, a, b in self.spans if name in (None, service)]
            periods += avsql.tail_periods(ev.spec["services"][service], periods[-1][1], spans)
        self._load_tables(avsql.lay_out_availability(ev, layout), layout)
        names = to_sql.SqlNames(incidents="sla_in_incidents", prefix="sla_",
                                now=0 if now is None else int(now.timestamp()))
        names.columns.update({"start": "start_at", "end": "end_at"})
        rows, credits, outages = self.engine.run_prepared(_availability_queries(self.engine, names))
        for service, shape in shapes.items():
            mine = asked[service]
            self.answers[service] = ([r for r in rows if r[0] == service and r[1] in mine],
                                     [c for c in credits if c[0] == service and c[1] in mine],
                                     [o for o in outages if o[0] == service and o[1] in mine], shape)

    def _load_tables(self, tables, layout) -> None:
        from sladsl.runtime.clock import Calendar

        for name, (columns, rows) in tables.items():
            schema = [(c, "BIGINT" if c in _AV_INTEGERS else "VARCHAR") for c in columns]
            self.engine.load(f"sla_{name}", schema, rows)
        segments: list = []
        for service, bounds in sorted(layout.items()):
            outside = (self.ev.spec["services"][service]["maintenance"] or {}).get("outside")
            if outside is None or any(r[0] == outside for r in segments):
                continue
            table = self.ev.spec["calendars"][outside]
            lo = datetime.fromtimestamp(bounds[0][0], timezone.utc).year - 1
            hi = datetime.fromtimestamp(bounds[-1][1], timezone.utc).year + 1
            if table.get("holiday_years"):
                lo, hi = max(lo, table["holiday_years"][0]), min(hi, table["holiday_years"][1])
            calendar = Calendar(table["zone"], table["week"], table["holidays"],
                                holiday_years=table.get("holiday_years"))
            mine = to_sql._calendar_rows(outside, calendar, lo, hi)["segments"]
            covered = (min(r[2] for r in mine), max(r[3] for r in mine)) if mine else (0, 0)
            if not (covered[0] <= bounds[0][0] and bounds[-1][1] <= covered[1]):
                raise ValueError(f"the hours of `{outside}` are not known for the whole period "
                                 "(beyond the years its holidays are frozen for)")
            segments += mine
        columns = to_sql.TABLES["segments"]
        self.engine.load("sla_segments", [(c, "BIGINT" if c in to_sql.INTEGER_COLUMNS
                                           else "VARCHAR") for c in columns], segments)

    def _answer(self, service, entry, zone, row, shape, billing, now, credits, outages) -> dict:
        from fractions import Fraction

        total, down, so_far, met = row[4], row[5], row[6], row[9]
        up = Fraction(total - down, total)
        target = entry["target_percent"]
        lo, hi = shape["period_start"], shape["period_end"]
        measured = {"percent": 100 * up, "bounds": (lo, hi)}
        return {
            "service": service, "period_start": lo, "period_end": hi,
            "period_seconds": total, "downtime_seconds": down,
            "uptime": up, "uptime_percent": 100 * up, "target_percent": target,
            "met": bool(met),
            "credits": [_credit(entry, measured, billing, c) for c in credits],
            "outages": [(datetime.fromtimestamp(a, zone), datetime.fromtimestamp(b, zone))
                        for _s, _l, a, b in outages],
            "counted_from": None,
            "error_budget": _budget(total, down, so_far, Fraction(target or 0), now, lo, hi),
        }

    def close(self) -> None:
        self.engine.close()


def _budget(total: int, down: int, so_far: int, target, now, lo, hi) -> dict:
    """The runtime's `_error_budget` from the engine's downtime (and downtime so far at `now`)."""
    from fractions import Fraction

    from sladsl.runtime.evaluator import _whole

    allowed = Fraction(total) * (100 - target) / 100
    used = Fraction(down)
    budget = {"allowed_seconds": _whole(allowed), "used_seconds": _whole(used),
              "left_seconds": _whole(allowed - used),
              "used_percent": 100 * used / allowed if allowed else None,
              "now": None, "used_so_far_seconds": None, "elapsed_percent": None,
              "burn_rate": None}
    if now is None:
        return budget
    until = min(int(now.timestamp()), int(hi.timestamp()))
    elapsed = Fraction(max(0, until - int(lo.timestamp())))
    spent = Fraction(so_far) if elapsed else Fraction(0)
    share = elapsed / total
    budget.update(now=now, used_so_far_seconds=_whole(spent), elapsed_percent=100 * share,
                  burn_rate=(spent / allowed) / share if allowed and share else None)
    return budget


def _credit(entry, measured, billing, row) -> dict:
    """One credit as the runtime words it, from the engine's row (tier row, amount, capped,
    credit periods, extension seconds); the rule text is the runtime's."""
    from fractions import Fraction

    from sladsl.runtime.evaluator import _caps_for, _credit_base, _pct, _tier_span, per_outage_base

    _s, _l, _b, sid, kind, index, num, den, capped, periods, ext = row
    scheme = entry["credits"][sid]
    percent, target = measured["percent"], entry["target_percent"]
    amount = None if num is None else Fraction(num, den)
    if kind == "tiered":
        low, high, credit, below, line = scheme["rows"][index]
        base = _credit_base(scheme, "percent")
        base.update(basis=scheme["basis"], source_line=line or scheme["source_line"],
                    rule=f"uptime {_pct(percent)} is below the {_pct(target)} target; the row "
                         f"{_tier_span(low, high, below)} (gaps favour the {scheme['gaps']}) "
                         f"credits {_pct(credit)} of the {scheme['basis']} fee")
    elif kind == "per_outage":
        rate = next((v for k, v, basis, _t in scheme["amounts"]
                     if k == "percent" and basis == billing), None)
        days = next((v for k, v, _b, _t in scheme["amounts"] if k == "days"), None)
        base = per_outage_base(scheme, billing, periods, rate, days)
    else:
        if scheme["scope"] == "excess":
            rule = (f"uptime {_pct(percent)} is below the {_pct(target)} target: the subscription "
                    f"is extended by the downtime beyond what {_pct(target)} of the period allows")
        else:
            rule = (f"uptime {_pct(percent)} is below the {_pct(target)} target: the subscription "
                    "is extended by all the downtime")
        base = _credit_base(scheme, "seconds")
        base.update(rule=rule)
    unit = base.pop("unit")
    if unit == "none":
        return base
    field = {"percent": "percent", "days": "days", "seconds": "extension_seconds"}[unit]
    base[field] = ext if unit == "seconds" else amount
    base["capped"] = bool(capped)
    caps = _caps_for(scheme, billing)
    if caps:
        base["rule"] += ", at most " + " and ".join(f"{text} per {per}" for _v, per, text in caps)
    return base


def _av_integers() -> set:
    from sladsl.to_sql_availability import AV_INTEGER_COLUMNS

    return set(AV_INTEGER_COLUMNS)


_AV_INTEGERS = _av_integers()
