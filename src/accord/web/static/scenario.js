/* Scenario page: the editor (actors × issues, status quo, actors and issues added or removed,
   blocs/clocks/proposals/table as YAML) and the results before and after the edits.
   The changes are posted to /api/scenarios/{id}/evaluate; nothing here computes a result.
   Every text from the scenario is inserted escaped (accord.esc) or as textContent. */
"use strict";
(function () {
  const form = document.getElementById("edit");
  if (!form) return;
  const sid = form.dataset.sid;
  const scale = Number(form.dataset.scale) || 1;
  const orig = JSON.parse(document.getElementById("scenario-data").textContent);
  const clone = (x) => JSON.parse(JSON.stringify(x));
  let draft = clone(orig);
  let before = null;
  let seq = 0;
  const esc = accord.esc;

  /* ---- the editor table ---- */
  function positionField(a, i) {
    const pos = a.positions[i.id];
    const common = `data-actor="${esc(a.id)}" data-field="positions" data-issue="${esc(i.id)}" aria-label="${esc(a.id)} position on ${esc(i.id)}"`;
    if (i.options) {
      const opts = i.options.map(o => `<option value="${esc(o)}"${o === pos ? " selected" : ""}>${esc(o)}</option>`).join("");
      return `<select ${common}>${opts}</select>`;
    }
    return `<input type="number" class="num" step="any" min="${esc(i.lo)}" max="${esc(i.hi)}" value="${esc(pos)}" ${common}>`;
  }

  function sqField(i) {
    const common = `data-sq="${esc(i.id)}" aria-label="status quo of ${esc(i.id)}"`;
    if (i.options) {
      const opts = i.options.map(o => `<option value="${esc(o)}"${o === i.status_quo ? " selected" : ""}>${esc(o)}</option>`).join("");
      return `<select ${common}>${opts}</select>`;
    }
    return `<input type="number" class="num" step="any" value="${esc(i.status_quo)}" ${common}>`;
  }

  function renderEditor() {
    const head = draft.issues.map(i =>
      `<th class="issue" title="${esc(i.id)}" data-issue-head="${esc(i.id)}">${esc(i.label)}` +
      (i.unit ? ` <span class="unit">(${esc(i.unit)})</span>` : "") +
      ` <button type="button" class="x" data-remove-issue="${esc(i.id)}" title="remove this issue" aria-label="remove issue ${esc(i.id)}">✕</button></th>`).join("");
    const rows = draft.actors.map(a => {
      const cells = draft.issues.map(i =>
        `<td class="cell"><div>${positionField(a, i)}</div><div class="sal-row"><span class="hint">salience</span> ` +
        `<input type="number" class="num sal" step="any" min="0" max="${scale}" value="${esc(a.salience[i.id])}" data-actor="${esc(a.id)}" data-field="salience" data-issue="${esc(i.id)}" aria-label="${esc(a.id)} salience on ${esc(i.id)}"></div></td>`).join("");
      return `<tr data-row="${esc(a.id)}"><th title="${esc(a.id)}">${esc(a.label)}</th>` +
        `<td><input type="number" class="num" min="0" step="any" value="${esc(a.capability)}" data-actor="${esc(a.id)}" data-field="capability" aria-label="${esc(a.id)} capability"></td>` +
        cells + `<td><button type="button" class="x" data-remove-actor="${esc(a.id)}" title="remove this actor" aria-label="remove actor ${esc(a.id)}">✕</button></td></tr>`;
    }).join("");
    const sq = `<tr class="sq"><th>status quo</th><td></td>${draft.issues.map(i => `<td>${sqField(i)}</td>`).join("")}<td></td></tr>`;
    document.getElementById("editor").innerHTML =
      `<table class="grid" id="positions"><thead><tr><th>Actor</th><th>Capability</th>${head}<th></th></tr></thead>` +
      `<tbody>${rows}${sq}</tbody></table>`;
    markChanged();
  }

  function origActor(id) { return orig.actors.find(a => a.id === id); }
  function origIssue(id) { return orig.issues.find(i => i.id === id); }
  function same(x, y) {
    if (typeof x === "number" || typeof y === "number") return Number(x) === Number(y);
    return String(x) === String(y);
  }
  function markChanged() {
    for (const el of form.querySelectorAll("[data-actor]")) {
      const o = origActor(el.dataset.actor);
      let was;
      if (o && el.dataset.field === "capability") was = o.capability;
      else if (o) was = (o[el.dataset.field] || {})[el.dataset.issue];
      el.classList.toggle("changed", !o || was === undefined || !same(readValue(el), was));
    }
    for (const el of form.querySelectorAll("[data-sq]")) {
      const o = origIssue(el.dataset.sq);
      el.classList.toggle("changed", !o || !same(readValue(el), o.status_quo));
    }
  }

  function readValue(el) {
    if (el.tagName === "SELECT") return el.value;
    const x = parseFloat(el.value);
    return Number.isFinite(x) ? x : el.value;
  }

  form.addEventListener("input", (ev) => {
    const el = ev.target;
    if (el.dataset.actor) {
      const a = draft.actors.find(x => x.id === el.dataset.actor);
      if (el.dataset.field === "capability") a.capability = readValue(el);
      else a[el.dataset.field][el.dataset.issue] = readValue(el);
    } else if (el.dataset.sq) {
      draft.issues.find(i => i.id === el.dataset.sq).status_quo = readValue(el);
    } else if (!el.dataset.section) return;
    markChanged();
    later();
  });
  form.addEventListener("click", (ev) => {
    const el = ev.target;
    if (el.dataset.removeActor) {
      draft.actors = draft.actors.filter(a => a.id !== el.dataset.removeActor);
    } else if (el.dataset.removeIssue) {
      draft.issues = draft.issues.filter(i => i.id !== el.dataset.removeIssue);
      for (const a of draft.actors) { delete a.positions[el.dataset.removeIssue]; delete a.salience[el.dataset.removeIssue]; }
    } else return;
    renderEditor();
    update();
  });

  function field(set, name) { return set.querySelector(`[name="${name}"]`).value.trim(); }
  document.getElementById("add-actor-btn").addEventListener("click", () => {
    const box = document.getElementById("add-actor");
    const id = field(box, "id");
    if (!id) return;
    const positions = {}, salience = {};
    for (const i of draft.issues) { positions[i.id] = i.status_quo; salience[i.id] = 0; }
    draft.actors.push({ id, label: field(box, "name") || id, capability: parseFloat(field(box, "capability")) || 0, positions, salience, added: true });
    box.querySelector('[name="id"]').value = "";
    renderEditor();
    update();
  });
  document.getElementById("add-issue-btn").addEventListener("click", () => {
    const box = document.getElementById("add-issue");
    const id = field(box, "id");
    if (!id) return;
    const options = field(box, "options") ? field(box, "options").split(",").map(x => x.trim()).filter(Boolean) : null;
    const sqText = field(box, "status_quo");
    const sq = options ? (options.includes(sqText) ? sqText : options[0]) : parseFloat(sqText);
    const issue = { id, label: field(box, "name") || id, unit: field(box, "unit"), options,
      lo: options ? 0 : parseFloat(field(box, "lo")), hi: options ? options.length - 1 : parseFloat(field(box, "hi")),
      status_quo: sq, added: true };
    draft.issues.push(issue);
    for (const a of draft.actors) { a.positions[id] = sq; a.salience[id] = 0; }
    box.querySelector('[name="id"]').value = "";
    renderEditor();
    update();
  });

  /* ---- the changes as the API takes them (accord.web.edits) ---- */
  function changes() {
    const out = { edits: {}, status_quo: {}, add_actors: [], remove_actors: [], add_issues: [], remove_issues: [], sections: {} };
    const keepIssues = new Set(draft.issues.map(i => i.id));
    const keepActors = new Set(draft.actors.map(a => a.id));
    out.remove_actors = orig.actors.map(a => a.id).filter(id => !keepActors.has(id));
    out.remove_issues = orig.issues.map(i => i.id).filter(id => !keepIssues.has(id));
    for (const i of draft.issues) {
      const o = origIssue(i.id);
      if (!o || i.added) {
        const spec = { id: i.id, name: i.label, status_quo: i.status_quo, positions: {}, salience: {} };
        if (i.unit) spec.unit = i.unit;
        if (i.options) spec.options = i.options; else spec.scale = [i.lo, i.hi];
        for (const a of draft.actors) { spec.positions[a.id] = a.positions[i.id]; spec.salience[a.id] = a.salience[i.id]; }
        out.add_issues.push(spec);
      } else if (!same(i.status_quo, o.status_quo)) out.status_quo[i.id] = i.status_quo;
    }
    for (const a of draft.actors) {
      const o = origActor(a.id);
      if (!o || a.added) {
        out.add_actors.push({ id: a.id, name: a.label, capability: a.capability, positions: a.positions, salience: a.salience });
        continue;
      }
      const e = {};
      if (!same(a.capability, o.capability)) e.capability = a.capability;
      for (const part of ["positions", "salience"]) {
        for (const i of draft.issues) {
          if (!origIssue(i.id) || i.added) continue;
          if (!same(a[part][i.id], o[part][i.id])) (e[part] = e[part] || {})[i.id] = a[part][i.id];
        }
      }
      if (Object.keys(e).length) out.edits[a.id] = e;
    }
    for (const el of form.querySelectorAll("[data-section]")) {
      el.classList.toggle("changed", el.value !== (orig.sections[el.dataset.section] || ""));
      if (el.value !== (orig.sections[el.dataset.section] || "")) out.sections[el.dataset.section] = el.value;
    }
    return out;
  }
  function isEmpty(ch) { return Object.values(ch).every(v => Array.isArray(v) ? !v.length : !Object.keys(v).length); }

  /* ---- results, before and after ---- */
  const pct = (z) => z.share_text;
  function zoneText(r) {
    return r.zone.empty ? `<span class="no">no agreement zone</span>`
      : `<span class="yes">an agreement zone</span> of ${pct(r.zone)} of the outcomes`;
  }
  function pair(b, a, fmt) {
    const x = fmt(b);
    if (a === null) return x;
    const y = fmt(a);
    return x === y ? x : `<span class="was">${x}</span> → <b class="now">${y}</b>`;
  }
  function render(b, a) {
    const grid = `the outcome grid of ${b.zone.space_size.toLocaleString("en")} outcomes (${b.resolution} values per continuous issue)`;
    let z = `Before your edits: ${zoneText(b)} on ${grid}.`;
    if (a) z += `<br>After: ${zoneText(a)} on the grid of ${a.zone.space_size.toLocaleString("en")} outcomes.`;
    z += " No-deal utilities: " + Object.entries((a || b).reservation)
      .map(([k, v]) => `${esc((a || b).parties[k])} ${pair(b.reservation[k], a ? a.reservation[k] : null, accord.num)}`).join(", ") + ".";
    document.getElementById("zone").innerHTML = z;
    const r = a || b;
    const verdict = (res, p) => p.refused_by.length
      ? `refused by ${p.refused_by.map(q => esc(res.parties[q] || q)).join(", ")}` : "accepted by every seat";
    const was = (p) => {
      const old = a ? b.proposals.find(x => x.id === p.id) : null;
      return old ? pair(verdict(b, old), verdict(r, p), (x) => x) : verdict(r, p);
    };
    document.getElementById("verdicts").innerHTML = r.proposals.length ? "<h3>Proposals on the table</h3><ul class=\"plain\">" +
      r.proposals.map(p => `<li><b>${esc(p.label)}</b>${p.by ? " (tabled by " + esc(p.by_label || p.by) + ")" : ""}: ${was(p)}</li>`).join("") + "</ul>" : "";
    const labels = {};
    for (const i of orig.issues.concat(draft.issues)) labels[i.id] = i.label;
    const models = Object.keys(r.forecasts);
    const ids = Object.keys(r.status_quo);
    const get = (res, m, i) => (res && res.forecasts[m] && i in res.forecasts[m]) ? res.forecasts[m][i] : undefined;
    const rows = ids.map(i => [`<b>${esc(labels[i] || i)}</b>`, pair(b.status_quo[i], a ? r.status_quo[i] : null, esc),
      ...models.map(m => `<span class="fc" data-model="${esc(m)}" data-issue="${esc(i)}">${pair(get(b, m, i), a ? get(a, m, i) : null, (x) => accord.num(x, 2))}</span>`)]);
    document.getElementById("forecasts").innerHTML = accord.table(["issue", "status quo", ...models], rows, "fc-table") +
      (r.skipped || []).map(k => `<p class="hint">${esc(k.model)} skipped: ${esc(k.reason)}</p>`).join("");
    const names = Object.keys(r.solutions);
    const sol = (res, n) => res ? res.solutions[n] : null;
    const cell = (n, f) => pair(sol(b, n), a ? sol(a, n) : null, (p) => p === null || p === undefined ? "–" : f(p));
    const srows = ids.map(i => [`<b>${esc(labels[i] || i)}</b>`, ...names.map(n => cell(n, p => esc(p.outcome[i] === undefined ? "–" : p.outcome[i])))]);
    for (const q of Object.keys(r.parties))
      srows.push([`utility of ${esc(r.parties[q])}`, ...names.map(n => cell(n, p => accord.num(p.utility[q])))]);
    document.getElementById("solutions").innerHTML = accord.table(["issue", ...names.map(n => n.replace("_", "–"))], srows);
  }

  async function update() {
    const mine = ++seq;
    document.getElementById("busy").textContent = "updating…";
    try {
      if (before === null) before = await accord.call("POST", `/api/scenarios/${sid}/evaluate`, {});
      const ch = changes();
      const after = isEmpty(ch) ? null : await accord.call("POST", `/api/scenarios/${sid}/evaluate`, ch);
      if (mine !== seq) return;
      document.getElementById("eval-problems").innerHTML = "";
      render(before, after);
      document.getElementById("results").dataset.version = String(mine);
    } catch (err) {
      if (mine !== seq) return;
      document.getElementById("eval-problems").innerHTML = accord.problems(err);
    } finally {
      if (mine === seq) document.getElementById("busy").textContent = "";
    }
  }
  const later = accord.debounce(update, 350);

  document.getElementById("reset").addEventListener("click", () => {
    draft = clone(orig);
    for (const el of form.querySelectorAll("[data-section]")) el.value = orig.sections[el.dataset.section] || "";
    renderEditor();
    update();
  });
  document.getElementById("save-copy").addEventListener("click", async () => {
    const status = document.getElementById("edit-status");
    try {
      const r = await accord.call("POST", `/api/scenarios/${sid}/copy`, changes());
      window.location.href = r.url;
    } catch (err) {
      status.innerHTML = accord.problems(err);
    }
  });
  form.addEventListener("submit", (ev) => ev.preventDefault());

  const seat = document.getElementById("seat");
  function seats() {
    for (const el of document.querySelectorAll("label.opp"))
      el.classList.toggle("hidden", el.dataset.seat === seat.value);
  }
  if (seat) { seat.addEventListener("change", seats); seats(); }
  renderEditor();
  update();
})();
