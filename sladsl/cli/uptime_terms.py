"""`sladsl uptime` lines and JSON for dated maintenance windows and the life of credits (where and
how to claim, when posted, until when usable); docs/semantics.md "Dated maintenance windows" and
"Credit posting and expiry". Contract text (addresses, claim contents) is untrusted: every piece
shown on a terminal goes through `printable`."""

from __future__ import annotations

from typing import Any

from sladsl.diagnostics import printable


def _scopes(window: dict[str, Any], kind: str | None) -> str:
    if not window["scopes"]:
        return "excluded"
    return "excluded for " + ", ".join(f"{kind or 'scope'} `{name}`" for name in window["scopes"]) + " only"


def _in_period(window: dict[str, Any], answer: dict[str, Any]) -> bool:
    return (window["start"].timestamp() < answer["period_end"].timestamp()
            and answer["period_start"].timestamp() < window["end"].timestamp())


def window_lines(svc: Any, answer: dict[str, Any]) -> list[str]:
    """One line per used dated window that overlaps the judged period."""
    zone = answer["period_start"].tzinfo
    lines = []
    for window in answer.get("maintenance_windows") or ():
        if not _in_period(window, answer):
            continue
        which = "backup window, the primary was not used" if window["backup"] else "window"
        lines.append(printable(
            f"  maintenance {which} (line {window['source_line']}): {window['start'].astimezone(zone).isoformat()}"
            f" .. {window['end'].astimezone(zone).isoformat()}, used: {_scopes(window, answer.get('scope_kind'))}"))
    if svc.maintenance_windows and not lines:
        lines.append("  maintenance windows: none used in this period (no maintenance row falls in one)")
    return lines


def window_json(answer: dict[str, Any]) -> list[dict[str, Any]]:
    zone = answer["period_start"].tzinfo
    return [{"start": w["start"].astimezone(zone).isoformat(), "end": w["end"].astimezone(zone).isoformat(),
             "backup": w["backup"], "scopes": list(w["scopes"]), "source_line": w["source_line"]}
            for w in answer.get("maintenance_windows") or () if _in_period(w, answer)]


def no_allowance_text(svc: Any) -> str:
    """What happens to maintenance when the contract sets no allowance."""
    if svc.maintenance_windows:
        return ("excluded inside a used dated window, counted as downtime outside (the contract sets no "
                "allowance)")
    return "excluded (the contract sets no allowance)"


def life_lines(credit: dict[str, Any]) -> list[str]:
    """Where to claim, the claim date, the posting date and the last day the credit can be used."""
    lines = []
    if credit.get("claim_at"):
        lines.append(f"claim at {credit['claim_at']}")
    if credit.get("claim_includes"):
        lines.append("a claim includes: " + "; ".join(credit["claim_includes"]))
    if credit.get("claimed_on") is not None:
        text = f"claimed on {credit['claimed_on'].isoformat()}"
        if credit.get("claim_late"):
            text += ": after the last day to claim, so nothing is posted"
        lines.append(text)
    if credit.get("posted_by") is not None:
        lines.append(f"posted by {credit['posted_by'].isoformat()}")
    if credit.get("posted_on") is not None:
        lines.append(f"posted on {credit['posted_on'].isoformat()} (the next invoice)")
    if credit.get("usable_until") is not None:
        latest = " at the latest" if credit.get("posted_by") is not None else ""
        lines.append(f"usable until {credit['usable_until'].isoformat()}{latest}, then it expires")
    return [printable(f"    {line}") for line in lines]


def life_json(credit: dict[str, Any]) -> dict[str, Any]:
    def day(key: str) -> str | None:
        value = credit.get(key)
        return None if value is None else value.isoformat()
    return {"claim_at": credit.get("claim_at"), "claim_includes": list(credit.get("claim_includes") or ()),
            "claimed_on": day("claimed_on"), "claim_late": bool(credit.get("claim_late")),
            "posted_by": day("posted_by"), "posted_on": day("posted_on"), "usable_until": day("usable_until")}


def posts_credits(svc: Any) -> bool:
    """Whether some credit of the service says when it is posted (so `--claims` dates mean
    something for a service measured per calendar period)."""
    return any(scheme.life is not None and scheme.life.post for scheme in svc.credits)
