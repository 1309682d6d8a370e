/* Scenario page: edits to positions, saliences and capabilities are posted to
   /api/scenarios/{id}/evaluate and the agreement zone, solutions and forecasts re-rendered. */
"use strict";
(function () {
  const form = document.getElementById("edit");
  if (!form) return;
  const sid = form.dataset.sid;
  const fields = Array.from(form.querySelectorAll("[data-actor]"));
  let issues = [];
  let seq = 0;

  function value(el) {
    if (el.tagName === "SELECT") return el.value;
    const x = parseFloat(el.value);
    return Number.isFinite(x) ? x : el.value;
  }

  function edits() {
    const out = {};
    for (const el of fields) {
      const changed = String(value(el)) !== String(el.dataset.orig) &&
        !(el.tagName !== "SELECT" && parseFloat(el.value) === parseFloat(el.dataset.orig));
      el.classList.toggle("changed", changed);
      if (!changed) continue;
      const a = out[el.dataset.actor] = out[el.dataset.actor] || {};
      if (el.dataset.field === "capability") a.capability = value(el);
      else (a[el.dataset.field] = a[el.dataset.field] || {})[el.dataset.issue] = value(el);
    }
    return out;
  }

  function render(r) {
    const zone = document.getElementById("zone");
    const share = (100 * r.zone.share).toFixed(1);
    zone.innerHTML = r.zone.empty
      ? `<span class="no">No agreement zone</span>: no outcome on the grid of ${r.zone.space_size.toLocaleString("en")} gives every seat at least its no-deal utility.`
      : `<span class="yes">An agreement zone exists</span>: ${share} % of ${r.zone.space_size.toLocaleString("en")} outcomes leave every seat better off than no deal.`;
    zone.innerHTML += " No-deal utilities: " + Object.entries(r.reservation)
      .map(([k, v]) => `${accord.esc(r.parties[k])} ${accord.num(v)}`).join(", ") + ".";
    const models = Object.keys(r.forecasts);
    const ids = Object.keys(r.status_quo);
    const labels = {};
    for (const th of document.querySelectorAll("#positions thead tr:first-child th[title]")) labels[th.title] = th.textContent.trim();
    const rows = ids.map(i => [`<b>${accord.esc(labels[i] || i)}</b>`, accord.esc(r.status_quo[i]),
      ...models.map(m => `<span class="fc" data-model="${m}" data-issue="${i}">${accord.num(r.forecasts[m][i], 2)}</span>`)]);
    document.getElementById("forecasts").innerHTML =
      accord.table(["issue", "status quo", ...models], rows, "fc-table");
    const parties = Object.keys(r.parties);
    const names = Object.keys(r.solutions);
    const cell = (name, f) => r.solutions[name] === null ? "–" : f(r.solutions[name]);
    const srows = ids.map(i => [`<b>${accord.esc(labels[i] || i)}</b>`,
      ...names.map(n => cell(n, p => accord.esc(p.outcome[i])))]);
    for (const q of parties)
      srows.push([`utility of ${accord.esc(r.parties[q])}`, ...names.map(n => cell(n, p => `<b>${accord.num(p.utility[q])}</b>`))]);
    document.getElementById("solutions").innerHTML =
      accord.table(["issue", ...names.map(n => n.replace("_", "–"))], srows);
  }

  async function update() {
    const mine = ++seq;
    document.getElementById("busy").textContent = "updating…";
    try {
      const r = await accord.call("POST", `/api/scenarios/${sid}/evaluate`, { edits: edits() });
      if (mine !== seq) return;
      document.getElementById("eval-problems").innerHTML = "";
      render(r);
      document.getElementById("results").dataset.version = String(mine);
    } catch (err) {
      if (mine !== seq) return;
      document.getElementById("eval-problems").innerHTML = accord.problems(err);
    } finally {
      if (mine === seq) document.getElementById("busy").textContent = "";
    }
  }

  const later = accord.debounce(update, 350);
  for (const el of fields) {
    el.addEventListener("input", later);
    el.addEventListener("change", later);
  }
  document.getElementById("reset").addEventListener("click", () => {
    for (const el of fields) el.value = el.dataset.orig;
    update();
  });
  document.getElementById("save-copy").addEventListener("click", async () => {
    const status = document.getElementById("edit-status");
    try {
      const r = await accord.call("POST", `/api/scenarios/${sid}/copy`, { edits: edits() });
      window.location.href = r.url;
    } catch (err) {
      status.innerHTML = accord.problems(err);
    }
  });

  const seat = document.getElementById("seat");
  function seats() {
    for (const el of document.querySelectorAll("label.opp"))
      el.classList.toggle("hidden", el.dataset.seat === seat.value);
  }
  if (seat) { seat.addEventListener("change", seats); seats(); }
  update();
})();
