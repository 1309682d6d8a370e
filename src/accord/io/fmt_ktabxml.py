"""KTAB Spatial Model of Politics XML scenario (KAPSARC KTAB, ``smpSchema.xsd``).

Layout (the schema's element names)::

    <Scenario>
      <name>…</name> <desc>…</desc> <prngSeed>…</prngSeed>
      <ModelParameters>…</ModelParameters>            optional; model settings, not read
      <Dimensions> <dName>…</dName> … </Dimensions>
      <Actors>
        <Actor> <name>…</name> <description>…</description> <capability>…</capability>
          <Position> <dCoord>…</dCoord> … </Position>     one per dimension, 0–100
          <Salience> <dSal>…</dSal> … </Salience>         one per dimension, 0–100, Σ ≤ 100
        </Actor> …
      </Actors>
      <IdealAdjustment>…</IdealAdjustment>            optional; not read
    </Scenario>

The numbers mean what they mean in KTAB's CSV (`accord.io.fmt_ktab`), and are checked and
mapped the same way (one `ActorRows`): positions and saliences on 0–100, the status quo at 0
with a note, ``dName`` as the issue id (made schema-valid). ``ModelParameters`` and
``IdealAdjustment`` are KTAB model settings, not scenario data: they are named in a note and not
kept. Files end in ``.ktab.xml``; any XML file whose root is ``<Scenario>`` is recognised. DTDs
and entity declarations are refused (no entity expansion).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from accord.errors import InputError, Problem
from accord.io import Format, register_format
from accord.io.fmt_common import Problems, check_actors, check_issues, make_id, note, read_text
from accord.io.fmt_ktab import ActorRows, ktab_rows
from accord.scenario import Scenario


def _root(path: Path) -> ET.Element:
    text = read_text(path)
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise InputError(
            Problem("DTDs and entity declarations are not read", file=str(path), line=1)
        )
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise InputError(
            Problem(f"not well-formed XML: {e}", file=str(path), line=e.position[0])
        ) from None
    if root.tag != "Scenario":
        raise InputError(
            Problem("expected the root element <Scenario>", (), root.tag, file=str(path))
        )
    return root


def _text(el: ET.Element | None, tag: str) -> str:
    child = el.find(tag) if el is not None else None
    return (child.text or "").strip() if child is not None else ""


def read(path: Path) -> Scenario:
    """The scenario of a KTAB SMP XML file."""
    file = str(path)
    root = _root(path)
    names = [(d.text or "").strip() for d in root.iterfind("Dimensions/dName")]
    check_issues(len(names), file)
    if not names:
        raise InputError(Problem("no <Dimensions>/<dName> elements", file=file))
    taken: set[str] = set()
    issue_ids = [make_id(n or f"dim{k + 1}", taken, "i") for k, n in enumerate(names)]
    pb = Problems(file)
    rows = ActorRows(file, issue_ids, pb, names)
    for k, actor in enumerate(root.iterfind("Actors/Actor")):
        check_actors(k + 1, file)
        pos = [(c.text or "").strip() for c in actor.iterfind("Position/dCoord")]
        sal = [(c.text or "").strip() for c in actor.iterfind("Salience/dSal")]
        if len(pos) != len(names) or len(sal) != len(names):
            pb.add(
                f"expected {len(names)} dCoord and dSal values, found {len(pos)} and {len(sal)}",
                ("Actors", k),
                _text(actor, "name"),
            )
            continue
        rows.add(
            None,
            _text(actor, "name"),
            _text(actor, "description"),
            _text(actor, "capability"),
            pos,
            sal,
        )
    for tag in ("ModelParameters", "IdealAdjustment"):
        if root.find(tag) is not None:
            note(f"<{tag}> holds KTAB model settings, not scenario data; not kept")
    return rows.scenario(_text(root, "name") or path.stem, _text(root, "desc"), None)


def write(s: Scenario, path: Path) -> list[str]:
    """Write a KTAB SMP XML scenario; returns what the format cannot hold."""
    losses, rows = ktab_rows(s)
    root = ET.Element("Scenario")
    ET.SubElement(root, "name").text = s.meta.title
    ET.SubElement(root, "desc").text = s.meta.description or ""
    ET.SubElement(root, "prngSeed").text = "0"
    dims = ET.SubElement(root, "Dimensions")
    for iid in s.issue_ids:
        ET.SubElement(dims, "dName").text = iid
    actors = ET.SubElement(root, "Actors")
    for aid, name, cap, pos, sal in rows:
        a = ET.SubElement(actors, "Actor")
        ET.SubElement(a, "name").text = aid
        ET.SubElement(a, "description").text = name
        ET.SubElement(a, "capability").text = cap
        p = ET.SubElement(a, "Position")
        for x in pos:
            ET.SubElement(p, "dCoord").text = x
        sl = ET.SubElement(a, "Salience")
        for x in sal:
            ET.SubElement(sl, "dSal").text = x
    ET.indent(root)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n",
        encoding="utf-8",
    )
    return losses


register_format(
    Format(
        "ktabxml",
        (".ktab.xml",),
        read,
        write,
        False,
        "KTAB SMP XML: <Scenario> with Dimensions/dName and Actors/Actor (Position, Salience)",
    )
)
