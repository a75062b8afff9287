// Page 1: softmax(z / tau) and its derivatives, computed by softgrad on the server at every move.
"use strict";

const START = [2, 1, 0.5, -1, 0, 0, 0, 0, 0, 0];
let logits = START.slice();
let sequence = 0;   // answers arriving out of order are dropped

function k() { return Number(document.getElementById("k").value); }
function tau() { return Math.pow(10, Number(document.getElementById("logtau").value)); }
function limit() { return document.getElementById("f32").checked ? 100 : 10; }

/** Rebuilds the logit sliders (K of them, range +-10 or +-100 in float32 mode) and the class list. */
function buildSliders() {
  const box = document.getElementById("logits");
  box.innerHTML = "";
  const lim = limit();
  for (let j = 0; j < k(); j++) {
    logits[j] = Math.max(-lim, Math.min(lim, logits[j]));
    const label = document.createElement("label");
    label.innerHTML = "z<sub>" + j + "</sub> <input type=\"range\" id=\"z" + j + "\" min=\"" + (-lim) + "\" max=\"" + lim
        + "\" step=\"" + (lim / 100) + "\" value=\"" + logits[j] + "\"> <span id=\"z" + j + "-val\"></span>";
    box.appendChild(label);
    label.querySelector("input").addEventListener("input", e => { logits[j] = Number(e.target.value); update(); });
  }
  const sel = document.getElementById("label");
  const y = Math.min(Number(sel.value || 0), k() - 1);
  sel.innerHTML = "";
  for (let j = 0; j < k(); j++) sel.add(new Option(String(j), String(j), false, j === y));
}

async function update() {
  const z = logits.slice(0, k()).map((v, j) => Number(document.getElementById("z" + j).value));
  z.forEach((v, j) => document.getElementById("z" + j + "-val").textContent = v.toFixed(2));
  document.getElementById("k-val").textContent = k();
  document.getElementById("tau-val").textContent = tau().toPrecision(3);
  const mine = ++sequence;
  let r;
  try {
    r = await api("softmax", {logits: z, tau: tau(), label: Number(document.getElementById("label").value)});
  } catch (e) {
    showError(e.message);
    return;
  }
  if (mine !== sequence) return;
  showError("");
  render(z, r);
}

function render(z, r) {
  const idx = r.p.map((_, j) => j);
  document.getElementById("summary").innerHTML =
      "entropy H = <b id=\"entropy\">" + fmt(r.entropy, 10) + "</b> nats (0 &le; H &le; ln K = <span id=\"entropy-max\">"
      + fmt(r.entropyMax, 10) + "</span>)<br>cross-entropy of class " + r.label + " = <b id=\"cross-entropy\">"
      + fmt(r.crossEntropy, 10) + "</b><br>Hessian eigenvalues: <span id=\"eigenvalues\">"
      + r.hessianEigenvalues.map(v => fmt(v, 4)).join(", ") + "</span><br>largest |(H 1)<sub>j</sub>| = <span id=\"h-ones\">"
      + fmt(Math.max(...r.hessianTimesOnes.map(Math.abs)), 3) + "</span> (the all-ones vector is in the null space)";
  let rows = "<tr><th>j</th><th>z<sub>j</sub></th><th>p<sub>j</sub></th><th>&part;CE/&part;z<sub>j</sub></th></tr>";
  idx.forEach(j => rows += "<tr><td>" + j + "</td><td>" + z[j].toFixed(2) + "</td><td id=\"p-" + j + "\">" + fmt(r.p[j], 12)
      + "</td><td id=\"g-" + j + "\">" + fmt(r.gradient[j], 8) + "</td></tr>");
  document.getElementById("table").innerHTML = rows;

  const ys = {y: {range: [0, 1]}};
  drawOrUpdate("p", "chart-p", "probabilities p = softmax(z / \u03c4)", [{label: "p", bars: true}], [idx, r.p], {y: {range: [0, 1]}});
  drawOrUpdate("entropy", "chart-entropy", "entropy H and its limits", [{label: "H", bars: true, color: "#8e24aa"},
      {label: "ln K", dash: [6, 4], color: "#555"}, {label: "0", dash: [6, 4], color: "#999"}],
      [[0, 1, 2], [null, r.entropy, null], [r.entropyMax, r.entropyMax, r.entropyMax], [0, 0, 0]],
      {y: {range: [0, Math.log(10) * 1.05]}, x: {time: false, range: [0, 2]}, hideX: true, legend: true});
  drawOrUpdate("gradient", "chart-grad", "gradient \u2202CE/\u2202z = (p \u2212 y) / \u03c4", [{label: "gradient", bars: true, color: "#e53935"}],
      [idx, r.gradient], {});
  drawOrUpdate("eigenvalues", "chart-eig", "Hessian eigenvalues (ascending)", [{label: "eigenvalue", bars: true, color: "#43a047"}],
      [idx, r.hessianEigenvalues], {});

  const f32 = document.getElementById("f32").checked;
  document.getElementById("f32-panel").hidden = !f32;
  if (f32) {
    let t = "<tr><th>j</th><th>z<sub>j</sub></th><th>naive float32</th><th>softgrad float32</th></tr>";
    idx.forEach(j => {
      const naive = r.float32.naive[j];
      const bad = !isFinite(num(naive));
      t += "<tr><td>" + j + "</td><td>" + z[j].toFixed(1) + "</td><td id=\"naive-" + j + "\" class=\"" + (bad ? "bad" : "") + "\">"
          + fmt(naive, 7) + "</td><td id=\"stable-" + j + "\" class=\"good\">" + fmt(r.float32.stable[j], 7) + "</td></tr>";
    });
    document.getElementById("f32-table").innerHTML = t;
  }
}

/** Draws a chart the first time (or when the number of bars changed), else only replaces its data. */
function drawOrUpdate(name, el, title, series, data, opts) {
  const c = window.charts[name];
  if (c && c.data[0].length === data[0].length) {
    c.setData(data);
  } else {
    makeChart(name, el, title, name === "entropy" ? "" : "class j", series, data, Object.assign({legend: false}, opts));
  }
}

document.getElementById("k").addEventListener("input", () => { buildSliders(); update(); });
document.getElementById("logtau").addEventListener("input", update);
document.getElementById("label").addEventListener("change", update);
document.getElementById("f32").addEventListener("change", () => {
  if (document.getElementById("f32").checked) logits = [95, 90, 30, 0, 0, 0, 0, 0, 0, 0];
  buildSliders();
  update();
});
buildSliders();
update();
