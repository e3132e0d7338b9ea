"""A Pygments lexer for `.sla` contracts (entry point `sladsl` in pyproject.toml).

It follows the terminals of `grammar/sladsl.lark`; `tests/test_highlight.py` checks that every
keyword of the grammar is classified and that no token of the seed contracts is an error.
"""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (Comment, Keyword, Literal, Name, Number, Operator, Punctuation,
                            String, Whitespace)

# Statement and clause words of the grammar (its quoted literals that are not calendar words).
KEYWORDS = (
    "above", "activation", "addon", "affected", "affecting", "after", "agreed", "all", "and",
    "annual", "as", "at", "audience", "availability", "average", "backup", "before", "below",
    "between", "beyond", "billing", "breaches", "business", "by", "calendar", "cap", "change",
    "channel", "channels", "chosen", "claim", "commit", "contact", "continues", "contract", "counts",
    "credit", "currency", "customer", "cycle", "cycles", "day", "days", "deadline", "default",
    "definition", "device", "devices", "down", "downtime", "duration", "each", "effective", "end",
    "error", "escalate", "every", "example", "except", "excess", "exclude", "expire", "extension",
    "favour", "feature", "fee", "fees", "fiscal", "for", "from", "full", "gaps", "good", "greater", "has",
    "hour", "hourly", "hours", "impact", "in", "inactivity", "included", "includes", "intervals", "invoice",
    "is", "issue", "least", "longer", "maintenance", "means", "measured", "minute", "minutes",
    "monitor", "month", "monthly", "months", "more", "next", "not", "note", "notice", "obligation",
    "observed", "of", "on", "one", "only", "opening", "or", "otherwise", "outage", "outages", "outside",
    "over", "overall", "overrun", "partial", "pause", "pay", "penalty", "per", "period", "periods",
    "pickup", "plan", "policy", "post", "price", "priorities", "priority", "prorated", "provider",
    "quarter", "quarterly", "rate", "rates", "reaches", "reading", "reclassification", "remark", "reopen",
    "resolve", "respond", "response", "restarts", "restored", "rolling", "scope", "section",
    "service", "set", "source", "splitting", "started", "starts", "status", "support", "than", "the", "then",
    "tiers", "times", "title", "to", "total", "until", "up", "update", "version", "violation",
    "week", "weekly", "weeks", "weighted", "when", "while", "whole", "withdrawn", "within",
    "without", "year", "years", "zone",
)
# Calendar words: weekdays, day groups, months and the ordinals of yearly holiday rules.
CALENDAR_WORDS = (
    "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "daily", "weekdays", "weekends",
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    "first", "second", "third", "fourth", "fifth", "last", "holidays",
)

_END = r"(?![A-Za-z0-9_])"  # a word ends here (identifiers may contain digits and `_`)


class SlaLexer(RegexLexer):
    """Pygments lexer for sladsl `.sla` SLA contracts."""

    name = "sladsl"
    aliases = ["sla", "sladsl"]
    filenames = ["*.sla"]
    mimetypes = ["text/x-sladsl"]
    # Pygments' Slash lexer also claims `*.sla`: rank this one first by filename, and by content.
    priority = 0.5

    def analyse_text(text):
        words = ("contract ", "priority ", "calendar ", "respond ", "resolve ", "availability ")
        return 0.9 if any(word in text for word in words) else 0.0

    tokens = {
        "root": [
            (r"[ \t\f]+", Whitespace),
            (r"\n", Whitespace),
            (r"#.*?$", Comment.Single),
            (r'"', String.Double, "string"),
            # Dates and clock times before plain numbers; durations before amounts.
            (r"\d{4}-\d{2}-\d{2}" + _END, Literal.Date),
            (r"\d{1,2}:\d{2}" + _END, Literal.Date),
            (r"24x7x365|24x7", Keyword.Constant),
            (r"\d+[dhms](?:\d+[hms])*" + _END, Number),
            (r"\d+'(?:\d+\")?|\d+\"", Number),
            (r"\d+(?:\.\d+)?%", Number.Float),
            (r"\d+/\d+", Number),
            (r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+", Number.Float),
            (r"\d+", Number.Integer),
            # Zones: UTC/GMT offsets, IANA names, and abbreviations after `zone`.
            (r"(?:UTC|GMT)(?:[+-]\d{1,2}(?::\d{2})?)?" + _END, Name.Constant),
            (r"[A-Za-z_]+(?:/[A-Za-z0-9_+\-]+)+", Name.Constant),
            (r"(zone)([ \t\f]+)([A-Z]{2,5})(?![A-Za-z0-9_+\-:/])",
             bygroups(Keyword, Whitespace, Name.Constant)),
            (r"best-effort|all-down", Keyword),
            (words(KEYWORDS, suffix=_END), Keyword),
            (words(CALENDAR_WORDS, suffix=_END), Name.Builtin),
            (r"[A-Za-z_][A-Za-z0-9_]*", Name),
            (r"->|\.\.", Operator),
            (r"[{}(),:=\-]", Punctuation),
        ],
        "string": [
            (r'\\(?:["\\nt]|u[0-9a-fA-F]{4})', String.Escape),
            (r"\\.", String.Escape),
            (r'[^"\\]+', String.Double),
            (r'"', String.Double, "#pop"),
        ],
    }

