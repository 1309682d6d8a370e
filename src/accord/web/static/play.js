/* Play page: the person's seat in a session. Sliders pick an offer (its utility is asked of
   /api/plays/{id}/utility as they move); Propose / Accept post a move; the offers so far, the
   time left and the no-deal path are drawn from /api/plays/{id}. */
"use strict";
(function () {
  const box = document.getElementById("play");
  if (!box) return;
  const pid = box.dataset.pid;
  let state = null;
  let useq = 0;
  const $ = id => document.getElementById(id);

  function offer() {
    const out = {};
    for (const el of document.querySelectorAll("#sliders input[type=range]"))
      out[el.dataset.issue] = parseInt(el.value, 10);
    return out;
  }

  function drawSliders(s) {
    const holder = $("sliders");
    if (holder.dataset.built) return;
    holder.dataset.built = "1";
    holder.innerHTML = s.choices.map((c, k) => `
      <div class="slider"><label for="sl-${k}">${accord.esc(c.label)}${c.unit ? ` <span class="muted">(${accord.esc(c.unit)})</span>` : ""}</label>
      <input type="range" id="sl-${k}" data-issue="${accord.esc(c.id)}" min="0" max="${c.values.length - 1}" step="1" value="${s.suggest ? s.suggest[k] : 0}" aria-label="${accord.esc(c.label)}">
      <output id="out-${k}"></output></div>`).join("");
    holder.querySelectorAll("input").forEach((el, k) => {
      el.addEventListener("input", () => { label(k); consider(); });
      label(k);
    });
  }

  function label(k) {
    const el = $(`sl-${k}`);
    $(`out-${k}`).textContent = state.choices[k].values[parseInt(el.value, 10)];
  }

  async function consider() {
    if (!state || state.status !== "playing") return;
    const mine = ++useq;
    try {
      const r = await accord.call("POST", `/api/plays/${pid}/utility`, { offer: offer(), round: state.round });
      if (mine !== useq) return;
      const bar = $("u-bar");
      bar.style.width = (100 * r.utility) + "%";
      bar.classList.toggle("below", !r.above_no_deal);
      $("nd-mark").style.left = (100 * r.no_deal) + "%";
      $("u-text").innerHTML = `Your utility of this offer: <b id="u-value">${accord.num(r.utility)}</b>` +
        ` (no deal now: ${accord.num(r.no_deal)}; your best: ${accord.num(r.best)})` +
        (r.above_no_deal ? "" : ` <span class="lost">— worse for you than no deal</span>`);
    } catch (err) {
      $("u-text").innerHTML = accord.problems(err);
    }
  }

  function drawClock(s) {
    const path = s.no_deal_path, n = path.length - 1;
    const w = 320, h = 120, pad = 22;
    const lo = Math.min(0, ...path), hi = Math.max(1, ...path);
    const x = r => pad + (w - 2 * pad) * r / Math.max(1, n);
    const y = u => h - pad - (h - 2 * pad) * (u - lo) / (hi - lo);
    const line = path.map((u, r) => `${r ? "L" : "M"}${x(r).toFixed(1)},${y(u).toFixed(1)}`).join("");
    const now = Math.min(s.round, n);
    $("clock").innerHTML = `
      <line x1="${pad}" y1="${y(0)}" x2="${w - pad}" y2="${y(0)}" stroke="#ccc"/>
      <line x1="${pad}" y1="${y(1)}" x2="${w - pad}" y2="${y(1)}" stroke="#eee"/>
      <text x="2" y="${y(1) + 4}" font-size="9" fill="#777">1</text><text x="2" y="${y(0) + 4}" font-size="9" fill="#777">0</text>
      <path d="${line}" fill="none" stroke="#c0392b" stroke-width="2"/>
      <circle cx="${x(now)}" cy="${y(path[now])}" r="4" fill="#1f5fa8"/>
      <text x="${pad}" y="${h - 5}" font-size="9" fill="#777">round 0</text>
      <text x="${w - pad}" y="${h - 5}" font-size="9" fill="#777" text-anchor="end">deadline (round ${n})</text>`;
  }

  function drawOffers(s) {
    if (!s.offers.length) { $("offers").innerHTML = `<p class="muted">No offers yet.</p>`; return; }
    const ids = s.choices.map(c => c.id);
    const rows = s.offers.map(o => [o.round, o.by === s.seat ? "<b>you</b>" : accord.esc(o.by),
      ...ids.map(i => accord.esc(o.units[i])), `<b>${accord.num(o.utility)}</b>`]);
    $("offers").innerHTML = accord.table(["round", "by", ...s.choices.map(c => c.label), "your utility"], rows, "offer-table");
  }

  function drawResult(s) {
    const r = s.result, box = $("result");
    box.classList.remove("hidden");
    $("turn").classList.add("hidden");
    const out = r.agreement
      ? `<p class="big won">Agreement in round ${r.round}: ${Object.entries(r.outcome).map(([k, v]) => `${accord.esc(k)} ${accord.esc(v)}`).join(", ")}.</p>`
      : `<p class="big lost">No agreement (${accord.esc(r.reason)}): everyone gets their no-deal utility.</p>`;
    const nash = r.nash ? accord.num(r.nash.utility) : "none (no agreement zone)";
    const rows = r.strategies.map(x => [accord.esc(x.strategy), x.agreement ? `agreement, round ${x.round}` : accord.esc(x.reason),
      accord.num(x.utility), x.utility > r.utility + 1e-9 ? `<span class="lost">better than you</span>` : `<span class="won">not better</span>`]);
    box.innerHTML = `<h2>How it ended</h2>${out}
      <p id="final">Your utility: <b>${accord.num(r.utility)}</b> · no deal: ${accord.num(r.no_deal)} · Nash point: <b>${nash}</b></p>
      <h3>A strategy in your seat (same opponents, same seed)</h3>
      ${accord.table(["strategy", "end", "utility", ""], rows)}
      <p>${r.strategies_better} of ${r.strategies.length} strategies would have done better in your seat.</p>
      <p><a href="/scenarios/${s.scenario}">Back to the scenario</a></p>`;
  }

  function draw(s) {
    state = s;
    drawClock(s);
    drawOffers(s);
    const left = s.rounds_left;
    if (s.status === "finished") {
      $("status").textContent = `Finished after ${s.round} rounds.`;
      $("status").dataset.status = "finished";
      drawResult(s);
      return;
    }
    $("status").dataset.status = "playing";
    const units = left * s.round_length;
    $("status").innerHTML = `Round <b>${s.round}</b> of ${s.settings.rounds} · <b>${left}</b> rounds left` +
      ` (${accord.num(units, 1)} ${accord.esc(s.time_unit)}${units === 1 ? "" : "s"} of talks) · your no-deal utility now <b>${accord.num(s.no_deal)}</b>`;
    drawSliders(s);
    const table = s.on_table;
    $("turn-title").textContent = s.mode === "respond" ? "Their offer is on the table" : "Your offer";
    $("on-table").innerHTML = table
      ? `<p>${accord.esc(table.by)} offers: ${Object.entries(table.units).map(([k, v]) => `${accord.esc(k)} <b>${accord.esc(v)}</b>`).join(", ")} — worth <b id="table-u">${accord.num(table.utility)}</b> to you.</p>`
      : `<p class="muted">Make your offer: move the sliders and see what it is worth to you.</p>`;
    $("accept").classList.toggle("hidden", s.mode !== "respond");
    $("propose").textContent = s.mode === "respond" ? "Reject and counter-offer" : "Propose this offer";
    consider();
  }

  async function move(body) {
    $("accept").disabled = $("propose").disabled = true;
    try {
      draw(await accord.call("POST", `/api/plays/${pid}/move`, { ...body, turn: state.turn }));
    } catch (err) {
      if (err.status === 409) draw(await accord.call("GET", `/api/plays/${pid}`));  // moved elsewhere
      $("u-text").innerHTML = accord.problems(err);
    } finally {
      $("accept").disabled = $("propose").disabled = false;
    }
  }

  $("accept").addEventListener("click", () => move({ accept: true, offer: offer() }));
  $("propose").addEventListener("click", () => move({ accept: false, offer: offer() }));
  accord.call("GET", `/api/plays/${pid}`).then(draw).catch(err => { $("status").innerHTML = accord.problems(err); });
})();
