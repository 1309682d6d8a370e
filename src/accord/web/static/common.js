/* Shared helpers of the accord pages: JSON calls to /api and small renderers. */
"use strict";
const accord = {
  async call(method, url, body) {
    const opts = { method, headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    const res = await fetch(url, opts);
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (!res.ok) {
      const err = new Error((data && data.detail) || res.statusText);
      err.status = res.status;
      err.problems = (data && data.problems) || [];
      throw err;
    }
    return data;
  },
  esc(text) {
    return String(text === null || text === undefined ? "" : text)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  },
  num(x, digits = 3) {
    if (x === null || x === undefined) return "–";
    if (typeof x !== "number") return accord.esc(x);
    if (Math.abs(x) >= 1000) return x.toLocaleString("en", { maximumFractionDigits: 0 });
    return x.toFixed(digits).replace(/\.?0+$/, "") || "0";
  },
  problems(err) {
    const items = (err.problems && err.problems.length)
      ? err.problems.map(p => `<li><code>${accord.esc(p.text || p.message)}</code></li>`).join("")
      : `<li>${accord.esc(err.message)}</li>`;
    return `<div class="problems" role="alert"><strong>Problem:</strong><ul>${items}</ul></div>`;
  },
  table(head, rows, cls = "") {
    const h = head.map(x => `<th>${accord.esc(x)}</th>`).join("");
    const b = rows.map(r => "<tr>" + r.map(c => `<td>${c}</td>`).join("") + "</tr>").join("");
    return `<table class="${cls}"><thead><tr>${h}</tr></thead><tbody>${b}</tbody></table>`;
  },
  debounce(fn, ms) {
    let t = null;
    return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
  },
};
