// Shared by the playground's pages: the API call, number formatting, uPlot chart helpers, timings.
"use strict";

window.pageErrors = [];      // uncaught errors and console.error calls, for the browser tests (and the curious)
window.addEventListener("error", e => window.pageErrors.push(String(e.message)));
window.addEventListener("unhandledrejection", e => window.pageErrors.push(String(e.reason)));
const consoleError = console.error.bind(console);
console.error = (...args) => { window.pageErrors.push(args.join(" ")); consoleError(...args); };
const PALETTE = ["#1e88e5", "#e53935", "#43a047", "#fb8c00", "#8e24aa", "#00acc1", "#6d4c41", "#c0ca33", "#d81b60", "#546e7a"];
window.charts = {};          // every chart of the page by name: its drawn data is charts[name].data
window.timings = {};         // firstChart: ms from page load to the first chart drawn

/** POSTs a JSON body to /api/NAME and returns the parsed answer; a 400 throws the server's message. */
async function api(name, body) {
  const r = await fetch("/api/" + name, {
    method: body === undefined ? "GET" : "POST",
    headers: {"Content-Type": "application/json"},
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  const json = await r.json();
  if (!r.ok) throw new Error(json.error || ("HTTP " + r.status));
  return json;
}

/**
 * A stream (EventSource) that failed before its first event: a refused request answers 400, so it is
 * fetched again for the server's message, shown under the title.
 */
function refusedStream(source) {
  fetch(source.url).then(r => r.ok ? null : r.json()).then(j => { if (j) showError(j.error); }).catch(() => {});
}

/** Shows an error message under the page title (empty clears it). */
function showError(message) {
  document.getElementById("error").textContent = message || "";
}

/** A number as the page prints it: n significant digits, NaN and infinities as words. */
function fmt(v, n) {
  if (typeof v === "string") return v;            // the server writes NaN and Infinity as strings
  if (v === null || v === undefined) return "-";
  if (!isFinite(v)) return String(v);
  return Number(v).toPrecision(n || 6);
}

/** A number from the server, strings "NaN" / "Infinity" included. */
function num(v) {
  return typeof v === "string" ? Number(v) : v;
}

/** Records the first chart drawn on the page: milliseconds since the navigation started (performance's time origin). */
function chartDrawn() {
  if (window.timings.firstChart === undefined) {
    window.timings.firstChart = performance.now();
    const el = document.getElementById("timing");
    if (el) el.textContent = "first chart " + window.timings.firstChart.toFixed(0) + " ms after page load";
  }
}

/**
 * The tick labels of a linear axis, all with one number of decimals: uPlot's own print "0, -0.2, ...,
 * -1" (the decimals each value needs). A log axis keeps six significant digits per label.
 */
function sameDecimals(u, splits, axisIdx) {
  const scale = u.scales[u.axes[axisIdx].scale];
  if (scale && scale.distr === 3) return splits.map(v => v == null ? "" : String(Number(v.toPrecision(6))));
  const decimals = splits.reduce((d, v) => {
    if (v == null) return d;
    // the decimals of the shortest form without rounding noise (0.30000000000000004 is 0.3, 2e-7 has 7)
    const m = String(Number(v.toPrecision(12))).match(/^-?\d+(?:\.(\d+))?(?:e([+-]\d+))?$/);
    return m ? Math.max(d, (m[1] ? m[1].length : 0) - (m[2] ? Number(m[2]) : 0)) : d;
  }, 0);
  return splits.map(v => v == null ? "" : v.toFixed(Math.min(decimals, 12)));
}

/** A uPlot chart in the element with this id; series: [{label, color, dash, bars}], x first in data. */
function makeChart(name, elementId, title, xLabel, series, data, opts) {
  opts = opts || {};
  const el = document.getElementById(elementId);
  if (window.charts[name]) window.charts[name].destroy();
  el.innerHTML = "";
  const s = [{label: xLabel}].concat(series.map((d, i) => ({
    label: d.label,
    stroke: d.color || PALETTE[i % PALETTE.length],
    fill: d.bars ? (d.color || PALETTE[i % PALETTE.length]) + "99" : undefined,
    width: d.width !== undefined ? d.width : (d.dash ? 1 : 2),
    dash: d.dash,
    // bars, points alone (no line between them), or the default line
    paths: d.bars ? uPlot.paths.bars({size: [0.6, 60]}) : d.pointsOnly ? () => null : undefined,
    points: {show: !!(d.points || d.pointsOnly), size: 7},
    spanGaps: false
  })));
  const chart = new uPlot({
    title: title,
    width: opts.width || 440,
    height: opts.height || 240,
    series: s,
    // bars sit on integer x: half a bar of room at each end
    scales: {x: opts.x || (series.some(d => d.bars) ? {time: false, range: (u, lo, hi) => [lo - 0.5, hi + 0.5]} : {time: false}),
             y: opts.y || {}},
    axes: [opts.hideX ? {show: false} : {label: xLabel, values: sameDecimals}, {label: opts.yLabel || "", values: sameDecimals}],
    legend: {show: opts.legend !== false},
    cursor: {drag: {x: false, y: false}}
  }, data, el);
  window.charts[name] = chart;
  chartDrawn();
  return chart;
}

/** The navigation bar of every page, the current page marked. */
const PAGES = [["index.html", "softgrad playground"], ["softmax.html", "1 Softmax &amp; temperature"],
               ["losses.html", "2 Losses vs margin"], ["train.html", "3 Training"], ["notebooks.html", "4 Notebooks"]];
document.addEventListener("DOMContentLoaded", () => {
  document.querySelector("nav").innerHTML = PAGES.map(([href, title]) => "<a href=\"" + href + "\">" + title + "</a>").join("");
  for (const a of document.querySelectorAll("nav a")) {
    if (location.pathname.endsWith(a.getAttribute("href"))) a.classList.add("here");
  }
});
