"""Format detection from a file's content, so that real files load under the names their
tools give them (a Decide ``cop21.csv``, a BDM replication ``data.csv``, a GENIUS ``party.xml``).

`sniff` reads at most `HEAD_BYTES` from the start of a file and names the format it is written
in, or None. `accord.io.format_for` asks it first and falls back on the file ending; the error
for a file neither recognises lists what was tried (`TRIED`).
"""

from __future__ import annotations

import re
from pathlib import Path

HEAD_BYTES = 65536
DECIDE_RECORD = re.compile(r"""^\s*['"]?(#[APMDO]['"]?(\t|;|\s*$)|#[0/])""", re.IGNORECASE)
BDM_ACTOR = {"actor", "stakeholder", "player", "name"}
BDM_POWER = {"capability", "resources", "influence", "power", "clout"}
XML_ROOTS = {"negotiation_template": "genius", "utility_space": "genius", "Scenario": "ktabxml"}
TRIED = (
    "Decide #A/#P/#M/#D records",
    "DEU III ;-header (prnrnmc, isnrnmc, p<ctr>/s<ctr>)",
    "BDM header Actor/Stakeholder,Capability/Resources/Influence/Power,Position,Salience",
    "KTAB CSV (second line Actor,Description,…)",
    "canonical CSV header case_id,issue_id,actor_id,…",
    "score table header party,issue,option,points",
    "XML root <negotiation_template>/<utility_space> (GENIUS) or <Scenario> (KTAB)",
    'JSON {"LinearAdditiveUtilitySpace": …} (GeniusWeb)',
)
NATIVE_ENDINGS = (".yaml", ".yml", ".json")


def _head(path: Path) -> str:
    with path.open("rb") as fh:
        data = fh.read(HEAD_BYTES)
    return data.decode("utf-8-sig", errors="replace")


def _cells(line: str, delimiter: str = ",") -> list[str]:
    return [c.strip().strip("'\"").strip().lower() for c in line.split(delimiter)]


def sniff(path: Path) -> str | None:
    """The name of the format `path` is written in, judged from its first bytes, or None."""
    try:
        text = _head(path)
    except OSError:
        return None
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return "geniusweb" if '"LinearAdditiveUtilitySpace"' in text else None
    if path.name.lower().endswith(NATIVE_ENDINGS):
        return None
    if stripped.startswith("<"):
        return _xml_root(stripped)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return None
    if DECIDE_RECORD.match(lines[0]):
        return "decide"
    first = lines[0].lower()
    if ";" in first and any(k in _cells(first, ";") for k in ("prnrnmc", "isnrnmc", "pcom", "rp")):
        return "deu"
    cols = _cells(first)
    if "case_id" in cols:
        return "csv"
    if cols[:4] == ["party", "issue", "option", "points"]:
        return "scores"
    if (
        len(cols) >= 4
        and cols[0] in BDM_ACTOR
        and cols[1] in BDM_POWER
        and {"position", "salience"} <= set(cols)
    ):
        return "bdm"
    if len(lines) > 1 and _cells(lines[1])[:2] == ["actor", "description"]:
        return "ktab"
    return None


def _xml_root(text: str) -> str | None:
    body = re.sub(r"<\?.*?\?>|<!--.*?-->", "", text, flags=re.DOTALL).lstrip()
    m = re.match(r"<([A-Za-z_][\w.\-]*)", body)
    return XML_ROOTS.get(m.group(1)) if m else None
