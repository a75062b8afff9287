// Page 3: a training run streamed from the server (server-sent events), drawn live; runs can be overlaid.
"use strict";

const METRICS = [
  ["loss", "loss (batch objective)", s => s.loss],
  ["logitnorm", "mean logit norm ||z||", s => s.logitNorm],
  // a fraction: its axis is [0, 1] (uPlot's own range for a series of zeros was 0 to 100)
  ["saturated", "saturated fraction (p_y > 0.99)", s => s.saturatedFraction, {range: [0, 1]}],
  ["entropy", "mean entropy of p (nats)", s => s.entropy],
  ["margin", "mean margin z_y - max_j z_j", s => s.margin]
];
const CLASS_COLORS = [[30, 136, 229], [229, 57, 53], [67, 160, 71], [251, 140, 0], [142, 36, 170], [0, 172, 193],
                      [109, 76, 65], [192, 202, 51], [216, 27, 96], [84, 110, 122]];
/**
 * Pacing: the server sends at most WINDOW steps beyond the last the page acknowledged (every ACK_EVERY
 * steps), so it trains no faster than the page draws, and Stop stops near the step on the screen.
 */
const WINDOW = 200;
const ACK_EVERY = 50;
let runs = [];          // {label, steps: [], params: [], final, id, source}
let pending = false;    // a redraw is scheduled for the next animation frame
let lastRun = null;
window.runs = () => runs;   // for the curious (and the tests): every run's steps and their arrival times

function field(id) { return document.getElementById(id).value; }

function settings(overrides) {
  const s = {};
  for (const id of ["dataset", "samples", "model", "activation", "hidden", "loss", "eps", "temperature", "alpha", "l2",
                    "lr", "batch", "epochs", "seed"]) s[id] = field(id);
  return Object.assign(s, overrides || {});
}

/** Starts one run; resolves with the run when its stream ends. */
function startRun(label, overrides) {
  return new Promise(resolve => {
    const s = settings(overrides);
    const run = {label: label, steps: [], params: [], final: null, id: null, points: null, index: runs.length, t0: 0, t1: 0, arrivals: []};
    runs.push(run);
    addRunBox(run);
    run.clicked = performance.now();
    const source = new EventSource("/api/train?" + new URLSearchParams(Object.assign({window: WINDOW}, s)).toString());
    run.source = source;
    const finish = () => { source.close(); run.done = true; stopButton(); resolve(run); };
    source.addEventListener("start", e => {
      const d = JSON.parse(e.data);
      run.id = d.run;
      run.total = d.steps;
      run.points = d.points;
      run.t0 = performance.now();
      stopButton();
      setStatus(run, "training on " + d.dataset + " (" + d.trainSize + " train, " + d.validationSize + " validation), " + d.steps + " steps");
    });
    source.addEventListener("teacher", e => {
      run.teacher = JSON.parse(e.data).validationAccuracy;
      setStatus(run, "teacher's validation accuracy " + fmt(run.teacher, 6));
    });
    source.addEventListener("step", e => {
      const st = JSON.parse(e.data);
      if (run.params.length === 0) run.params = Object.keys(st.gradientNorms);
      run.steps.push(st);
      run.arrivals.push(performance.now());
      if (run.steps.length === 1) window.timings.firstStep = performance.now() - run.clicked;
      acknowledge(run);
      schedule();
    });
    source.addEventListener("epoch", e => {
      const d = JSON.parse(e.data);
      run.epoch = d;
    });
    source.addEventListener("regions", e => drawRegions(run, JSON.parse(e.data)));
    source.addEventListener("stopped", e => {
      const d = JSON.parse(e.data);
      run.stopped = d;
      schedule();
      setStatus(run, "stopped after <span class=\"stopped-steps\">" + d.steps + "</span> of " + run.total + " steps", true);
      finish();
    });
    source.addEventListener("end", e => {
      const d = JSON.parse(e.data);
      run.t1 = performance.now();
      run.final = d;
      lastRun = run;
      redraw(); // the final charts now, before the summary that says the run is over
      summary(run);
      drawReliability(d.reliability, null);
      document.getElementById("calibrate").disabled = false;
      document.getElementById("calibration").textContent = "";
      finish();
    });
    source.addEventListener("error", e => {
      if (e.data) {
        showError(run.label + ": " + JSON.parse(e.data).message);
      } else if (run.id === null) {
        refusedStream(source);
      }
      finish();
    });
  });
}

/**
 * Tells the server how many steps the page has received, once ACK_EVERY more have come, with one
 * acknowledgement in flight at a time (they are cumulative; a queue of them would hold up Stop).
 */
function acknowledge(run) {
  if (run.acking || run.done || run.steps.length - (run.acked || 0) < ACK_EVERY) return;
  run.acking = true;
  run.acked = run.steps.length;
  api("train/ack", {run: run.id, steps: run.acked})
      .catch(err => showError(err.message))
      .finally(() => { run.acking = false; acknowledge(run); });
}

function addRunBox(run) {
  const div = document.createElement("div");
  div.id = "run-" + run.index;
  div.innerHTML = "<b style=\"color:" + PALETTE[run.index % PALETTE.length] + "\">" + run.label + "</b>: <span class=\"status\"></span>";
  document.getElementById("runs").appendChild(div);
}

function setStatus(run, text, html) {
  const el = document.querySelector("#run-" + run.index + " .status");
  if (html) el.innerHTML = text; else el.textContent = text;
}

/** The run in training (started, not ended), or undefined. */
function liveRun() {
  return runs.find(r => r.id !== null && !r.done);
}

/** Stop is enabled while a run trains. */
function stopButton() {
  document.getElementById("stop").disabled = !liveRun();
}

/** Asks the server to stop the run in training at its next step (its stream then ends with "stopped"); a pair stops whole. */
async function stopRun() {
  const run = liveRun();
  stopping = true;
  if (!run) return;
  try {
    await api("train/stop", {run: run.id});
  } catch (e) {
    showError(e.message);
  }
}
let stopping = false;

function summary(run) {
  const first = run.steps[0];
  const last = run.steps[run.steps.length - 1];
  const secs = (run.t1 - run.t0) / 1000;
  const el = document.querySelector("#run-" + run.index + " .status");
  el.innerHTML = "<span class=\"steps\">" + run.steps.length + "</span> steps; loss <span class=\"first-loss\">" + fmt(first.loss, 5)
      + "</span> &rarr; <span class=\"last-loss\">" + fmt(last.loss, 5) + "</span>; final logit norm <span class=\"final-logit-norm\">"
      + fmt(run.final.finalLogitNorm, 6) + "</span>; validation accuracy " + (run.epoch ? fmt(run.epoch.validationAccuracy, 3) : "-")
      + "; ECE " + fmt(run.final.reliability.ece, 3)
      + (run.teacher === undefined ? "" : "; teacher's validation accuracy <span class=\"teacher-accuracy\">" + fmt(run.teacher, 6) + "</span>");
  document.getElementById("rate").innerHTML = "last run: <span id=\"steps-per-second\">" + (run.steps.length / secs).toFixed(0)
      + "</span> steps/s streamed (" + run.steps.length + " steps in " + secs.toFixed(2) + " s); the server's run, paced to at most "
      + WINDOW + " steps ahead of this page, went at <span id=\"server-steps-per-second\">" + (run.steps.length / run.final.seconds).toFixed(0)
      + "</span> steps/s";
}

/**
 * Schedules a redraw of the charts: at most one every REDRAW_MS, on an animation frame. Steps arrive
 * far faster than a screen refreshes; redrawing seven charts for each would slow the stream down.
 */
const REDRAW_MS = 100;
let lastRedraw = 0;
function schedule() {
  if (!pending) {
    pending = true;
    const wait = Math.max(0, lastRedraw + REDRAW_MS - performance.now());
    setTimeout(() => requestAnimationFrame(() => { pending = false; lastRedraw = performance.now(); redraw(); }), wait);
  }
}

/** Redraws every metric chart from the runs' steps (one series per run; x = step). */
/** Dash patterns that tell one run's parameters apart when runs are overlaid. */
const PARAM_DASHES = [undefined, [6, 3], [2, 3], [10, 3, 2, 3], [1, 5], [14, 4]];

function redraw() {
  const n = Math.max(0, ...runs.map(r => r.steps.length));
  const x = Array.from({length: n}, (_, i) => i);
  const pad = (r, f) => x.map(i => i < r.steps.length ? f(r.steps[i]) : null);
  for (const [name, title, f, y] of METRICS) {
    const series = runs.map(r => ({label: r.label, color: PALETTE[r.index % PALETTE.length]}));
    const data = [x].concat(runs.map(r => pad(r, f)));
    updateChart(name, title, series, data, y);
  }
  const gseries = [];
  const gdata = [x];
  // Overlaid runs keep the colour they have in every other chart, their parameters told apart by the
  // dash; a single run gets a colour per parameter.
  const overlaid = runs.length > 1;
  runs.forEach(r => r.params.forEach((p, j) => {
    gseries.push({label: r.label + ": " + layerName(p, r.params),
                  color: PALETTE[(overlaid ? r.index : j) % PALETTE.length],
                  dash: overlaid ? PARAM_DASHES[j % PARAM_DASHES.length] : undefined});
    gdata.push(pad(r, s => s.gradientNorms[p]));
  }));
  updateChart("gradnorm", "gradient norm per layer", gseries, gdata);
  const live = runs.find(r => !r.done && r.steps.length);
  if (live) setStatus(live, "step " + live.steps.length + " / " + live.total + ", loss " + fmt(live.steps[live.steps.length - 1].loss, 5));
}

/**
 * A parameter's name as a layer: the MLP's "layer0.weight" is "weights of layer 1" (the last layer is
 * the output layer), the linear model's "weight" its only layer's.
 */
function layerName(param, params) {
  const m = /^layer(\d+)\.(weight|bias)$/.exec(param);
  const what = (m ? m[2] : param) === "weight" ? "weights" : (m ? m[2] : param);
  if (!m) return what + " of the linear layer";
  const layers = new Set(params.map(p => p.split(".")[0])).size;
  const i = Number(m[1]) + 1;
  return what + " of layer " + i + (i === layers ? " (output)" : "");
}

function updateChart(name, title, series, data, y) {
  const c = window.charts[name];
  if (c && c.series.length === series.length + 1) {
    c.setData(data);
  } else {
    makeChart(name, "chart-" + name, title, "step", series, data, {width: 400, height: 230, y: y});
  }
}

/** Decision regions: each grid cell coloured by its predicted class, paler where the model is unsure. */
function drawRegions(run, g) {
  let canvas = document.getElementById("regions-" + run.index);
  if (!canvas) {
    const box = document.createElement("div");
    box.innerHTML = "<div>" + run.label + " <span class=\"regions-epoch\"></span></div>";
    canvas = document.createElement("canvas");
    canvas.id = "regions-" + run.index;
    canvas.className = "regions";
    canvas.width = canvas.height = 240;
    box.appendChild(canvas);
    document.getElementById("regions").appendChild(box);
  }
  const ctx = canvas.getContext("2d");
  const cell = canvas.width / g.size;
  for (let i = 0; i < g.classes.length; i++) {
    const [r, gr, b] = CLASS_COLORS[g.classes[i] % CLASS_COLORS.length];
    const a = 0.15 + 0.55 * Math.min(1, Math.max(0, (g.confidence[i] - 0.5) * 2));
    ctx.fillStyle = "rgba(" + r + "," + gr + "," + b + "," + a + ")";
    ctx.clearRect((i % g.size) * cell, Math.floor(i / g.size) * cell, cell, cell);
    ctx.fillRect((i % g.size) * cell, Math.floor(i / g.size) * cell, cell, cell);
  }
  if (run.points) {
    const p = run.points;
    for (let i = 0; i < p.x.length; i++) {
      const [r, gr, b] = CLASS_COLORS[p.label[i] % CLASS_COLORS.length];
      ctx.fillStyle = "rgb(" + r + "," + gr + "," + b + ")";
      ctx.strokeStyle = "#fff";
      ctx.beginPath();
      ctx.arc((p.x[i] - g.x0) / (g.x1 - g.x0) * canvas.width, (g.y1 - p.y[i]) / (g.y1 - g.y0) * canvas.height, 3, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }
  canvas.closest("div").querySelector(".regions-epoch").textContent = g.epoch < 0 ? "(before training)" : "(after epoch " + (g.epoch + 1) + ")";
  chartDrawn();
}

/**
 * The reliability diagram of the validation set: per equal-width confidence bin, the fraction correct
 * (bars) and the mean confidence (points); a calibrated model has them equal (the diagonal). After
 * temperature scaling, the same bins' accuracy and confidence at the fitted T are added as points.
 */
function drawReliability(before, after) {
  const centres = before.bins.map(b => (b.lo + b.hi) / 2);
  const acc = bins => bins.map(b => b.count ? num(b.accuracy) : null);
  const conf = bins => bins.map(b => b.count ? num(b.meanConfidence) : null);
  const series = [{label: "accuracy, T = 1", bars: true, color: "#1e88e5"},
                  {label: "confidence, T = 1", pointsOnly: true, color: "#0d47a1"}];
  const data = [centres, acc(before.bins), conf(before.bins)];
  if (after) {
    series.push({label: "accuracy, T = " + fmt(after.temperature, 3), pointsOnly: true, color: "#e53935"});
    series.push({label: "confidence, T = " + fmt(after.temperature, 3), pointsOnly: true, color: "#fb8c00"});
    data.push(acc(after.bins), conf(after.bins));
  }
  series.push({label: "perfect calibration", dash: [5, 4], color: "#999"});
  data.push(centres);
  makeChart("reliability", "chart-reliability", "reliability diagram (validation set, " + before.bins.length + " bins)",
      "confidence", series, data, {width: 560, height: 300, y: {range: [0, 1]}, x: {time: false, range: [0, 1]}});
}

async function calibrate() {
  try {
    const r = await api("calibrate", {run: lastRun.final.run});
    document.getElementById("calibration").innerHTML = "T = <b id=\"fitted-temperature\">" + fmt(r.temperature, 10) + "</b> (" + r.status
        + "); NLL " + fmt(r.nllBefore, 4) + " &rarr; " + fmt(r.nllAfter, 4) + "; ECE <span id=\"ece-before\">" + fmt(r.before.ece, 4)
        + "</span> &rarr; <span id=\"ece-after\">" + fmt(r.after.ece, 4) + "</span>";
    drawReliability(r.before, r.after);
  } catch (e) {
    showError(e.message);
  }
}

function reset() {
  stopping = false;
  if (!document.getElementById("overlay").checked) {
    runs.forEach(r => r.source && r.source.close());
    runs = [];
    document.getElementById("runs").innerHTML = "";
    document.getElementById("regions").innerHTML = "";
  }
  showError("");
}

document.getElementById("run").addEventListener("click", () => {
  reset();
  const l2 = Number(field("l2"));
  startRun("run " + (runs.length + 1) + (l2 > 0 ? " (+ LogitL2 " + l2 + ")" : ""));
});
document.getElementById("pair").addEventListener("click", async () => {
  reset();
  const lambda = field("pair-lambda");
  await startRun("plain", {l2: 0});
  if (!stopping) await startRun("+ LogitL2 " + lambda, {l2: lambda});
});
document.getElementById("stop").addEventListener("click", stopRun);
document.getElementById("calibrate").addEventListener("click", calibrate);
