/* Run page: polls /api/runs/{id} for progress; shows the summary and downloads when done. */
"use strict";
(function () {
  const box = document.getElementById("run");
  if (!box) return;
  const rid = box.dataset.rid;
  async function poll() {
    let r;
    try { r = await accord.call("GET", `/api/runs/${rid}`); }
    catch (err) { document.getElementById("run-status").innerHTML = accord.problems(err); return; }
    const pct = r.total ? Math.round(100 * r.done / r.total) : 0;
    document.getElementById("progress-bar").style.width = pct + "%";
    const st = document.getElementById("run-status");
    st.textContent = `${r.status}: ${r.done.toLocaleString("en")} of ${r.total.toLocaleString("en")} runs` +
      (r.message && r.status !== "complete" ? ` — ${r.message}` : "");
    st.dataset.status = r.status;
    if (r.status === "queued" || r.status === "running") { setTimeout(poll, 700); return; }
    if (r.status !== "complete") return;
    const links = r.files.map(f => `<a href="/api/runs/${rid}/files/${f}">${f}</a>`);
    links.push(`<a href="/api/scenarios/${box.dataset.scenario}/download">scenario (YAML)</a>`);
    document.getElementById("downloads").innerHTML = "<p>Download: " + links.join(" · ") + "</p>";
    const rows = Object.entries(r.summary.metrics || {}).map(([name, m]) => [accord.esc(name), accord.num(m.mean),
      accord.num(m.p05), accord.num(m.p50), accord.num(m.p95),
      m.binary ? accord.num(m.probability) : ""]);
    document.getElementById("summary").innerHTML =
      accord.table(["metric", "mean", "5 %", "median", "95 %", "P(1)"], rows);
  }
  poll();
})();
