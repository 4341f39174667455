// The sluice monitor page: polls /api/state and redraws. Every number is also in a data-* attribute
// (raw, unformatted) so tools and the browser test can read the page without parsing display text.
"use strict";

const renders = { count: 0 };

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function num(n) { return n == null ? "–" : Number(n).toLocaleString("en"); }

function duration(seconds) {
  if (seconds == null) return "–";
  if (seconds < 60) return seconds + " s";
  if (seconds < 3600) return Math.floor(seconds / 60) + " min " + (seconds % 60) + " s";
  return Math.floor(seconds / 3600) + " h " + Math.floor((seconds % 3600) / 60) + " min";
}

const SVG = "http://www.w3.org/2000/svg";
const CHART = { width: 150, height: 34 };

function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

// One sparkline: values over time (x from the first to the last sample's time, so a gap in sampling
// shows as one), scaled to the window's max; the label gives the current value and that max.
function chart(group, what, at, values, format) {
  const n = values.length;
  const max = n === 0 ? 0 : Math.max(...values);
  const span = n > 1 ? at[n - 1] - at[0] : 0;
  const { width: w, height: h } = CHART;
  const points = values.map((v, i) => {
    const x = span > 0 ? (at[i] - at[0]) / span * w : w;
    const y = max > 0 ? h - 1 - v / max * (h - 2) : h - 1;
    return x.toFixed(1) + "," + y.toFixed(1);
  }).join(" ");
  const now = n === 0 ? null : values[n - 1];
  return el("div", { class: "chart" },
    el("div", { class: "chart-label" },
      el("span", {}, what), el("span", { class: "now" }, now == null ? "–" : format(now)),
      el("span", { class: "max" }, "max " + (n === 0 ? "–" : format(max)))),
    svg("svg", { viewBox: "0 0 " + w + " " + h, width: w, height: h, preserveAspectRatio: "none",
        "data-chart": group + "/" + what, "data-points": n, "data-now": now ?? "", "data-max": max },
      svg("line", { class: "axis", x1: 0, y1: h - 0.5, x2: w, y2: h - 0.5 }),
      svg("polyline", { points })));
}

function charts(s) {
  const hist = s.history;
  const n = hist.at.length;
  const minutes = n > 1 ? (hist.at[n - 1] - hist.at[0]) / 60000 : 0;
  return el("div", { class: "charts" },
    chart(s.group, "lag", hist.at, hist.lag, num),
    chart(s.group, "rate", hist.at, hist.rate, v => v.toFixed(1) + " /s"),
    el("div", { class: "span" }, n > 1 ? "last " + (minutes < 1 ? Math.round(minutes * 60) + " s" : minutes.toFixed(1) + " min") : "collecting…"));
}

function topics(names) {
  return el("div", { class: "topics" }, ...names.map(t => el("span", { class: "topic" }, t)));
}

function stage(s) {
  return el("div", {
      class: "stage", "data-group": s.group, "data-status": s.status, "data-lag": s.lag,
      "data-members": s.members, "data-rate": s.ratePerSecond.toFixed(2), "data-eta": s.etaSeconds == null ? "" : s.etaSeconds,
    },
    el("h3", {}, s.name),
    el("div", { class: "group" }, s.group),
    el("dl", {},
      el("dt", {}, "status"), el("dd", { class: "status" }, s.status),
      el("dt", {}, "lag"), el("dd", {}, num(s.lag)),
      el("dt", {}, "rate"), el("dd", {}, s.ratePerSecond.toFixed(1) + " /s"),
      el("dt", {}, "drains in"), el("dd", {}, duration(s.etaSeconds)),
      el("dt", {}, "members"), el("dd", {}, s.members)),
    charts(s));
}

function workloads(list) {
  const root = document.getElementById("workloads");
  root.replaceChildren(...list.map(w => {
    const flow = el("div", { class: "flow" });
    w.stages.forEach((s, i) => {
      if (i === 0) flow.append(topics(s.inputs), el("span", { class: "arrow" }, "→"));
      flow.append(stage(s), el("span", { class: "arrow" }, "→"), topics(s.outputs));
      if (i < w.stages.length - 1) flow.append(el("span", { class: "arrow" }, "→"));
    });
    return el("section", { class: "workload", "data-workload": w.id }, el("h2", {}, w.title), flow);
  }));
}

function backfill(b) {
  const box = document.getElementById("backfill");
  if (b == null) return;
  for (const [k, v] of [["done", b.done], ["total", b.total], ["failed", b.failed], ["eta", b.etaSeconds ?? ""]]) box.dataset[k] = v;
  const pct = b.total > 0 ? Math.min(100, 100 * b.done / b.total) : 0;
  box.replaceChildren(
    el("div", {}, num(b.done) + " of " + num(b.total) + " DIDs done (" + num(b.failed) + " failed), "
      + b.ratePerSecond.toFixed(1) + " /s, ETA " + duration(b.etaSeconds)),
    el("div", { class: "bar" }, el("div", { style: "width:" + pct.toFixed(1) + "%" })));
}

function hosts(list) {
  const body = document.querySelector("#hosts tbody");
  const note = document.getElementById("hosts-note");
  if (list == null) {
    body.replaceChildren();
    note.textContent = "no rate limiter source: run sluice monitor with --ratelimiter-metrics URL";
    return;
  }
  note.textContent = list.length === 0 ? "no hosts yet" : "";
  body.replaceChildren(...list.map(h => el("tr", {
      "data-host": h.host, "data-queued": h.queued, "data-available": h.available, "data-limit": h.limit,
      "data-paused-until": h.pausedUntil },
    el("td", {}, h.host), el("td", {}, num(h.queued)), el("td", {}, num(h.available)), el("td", {}, num(h.limit)),
    el("td", {}, h.pausedUntil > 0 ? new Date(h.pausedUntil * 1000).toLocaleTimeString() : "–"))));
}

function dlq(list) {
  document.querySelector("#dlq tbody").replaceChildren(...list.map(d =>
    el("tr", { "data-dlq-topic": d.topic, "data-records": d.records }, el("td", {}, d.topic), el("td", {}, num(d.records)))));
}

function render(state) {
  workloads(state.workloads);
  backfill(state.backfill);
  hosts(state.hosts);
  dlq(state.dlq);
  document.getElementById("errors").replaceChildren(...state.errors.map(e => el("li", {}, e)));
  const updated = document.getElementById("updated");
  updated.dataset.sampledAt = state.sampledAt;
  updated.textContent = "sampled " + new Date(state.sampledAt).toLocaleTimeString();
  document.body.dataset.renders = ++renders.count;
}

async function poll() {
  let interval = 1000;
  try {
    const response = await fetch("/api/state", { cache: "no-store" });
    if (response.ok) {
      const body = await response.json();
      interval = body.intervalMs;
      render(body.state);
    }
  } catch (e) {
    document.getElementById("updated").textContent = "monitor unreachable: " + e;
  }
  setTimeout(poll, interval);
}

poll();
