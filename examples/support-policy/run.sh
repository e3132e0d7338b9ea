#!/bin/sh
# End to end: a synthetic Zendesk export -> `sladsl import zendesk` -> `sladsl eval --events`.
#   sh run.sh [TICKETS] [DIR]      (default: 100000 tickets into ./build)
# PYTHON and SLADSL name the interpreter and the command (default: python3, sladsl).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tickets=${1:-100000}
out=${2:-build}
python=${PYTHON:-python3}
sladsl=${SLADSL:-sladsl}

$python "$here/generate.py" --tickets "$tickets" --seed 14 -o "$out"
$sladsl import zendesk --tickets "$out/tickets.jsonl" --audits "$out/audits.jsonl" \
  --plan-tag plan_ -o "$out"
$sladsl eval "$here/support-policy.sla" --tickets "$out/tickets.csv" --events "$out/events.csv" \
  --ignore-case --map-file "$here/mapping.json" --default-priority Normal \
  --now 2026-07-01T00:00:00Z --format csv -o "$out/verdicts.csv"
# The same tickets as a helpdesk sidebar shows them at the export: clocks running, paused,
# stopped, next due, time left (negative once overdue).
$sladsl eval "$here/support-policy.sla" --tickets "$out/tickets.csv" --events "$out/events.csv" \
  --ignore-case --map-file "$here/mapping.json" --default-priority Normal \
  --now 2026-07-01T00:00:00Z --live --format csv -o "$out/live.csv"
