// Page 2: the softmax family's losses and their gradients against the margin, computed by softgrad.
"use strict";

const NAMES = ["crossEntropy", "labelSmoothing", "logitL2", "zLoss"];
const LABELS = ["cross-entropy", "label smoothing", "CE + logit L2", "CE + z-loss"];
let sequence = 0;

function val(id) { return Number(document.getElementById(id).value); }

async function update() {
  for (const id of ["k", "eps", "lambda", "zlambda", "range"]) document.getElementById(id + "-val").textContent = val(id);
  const mine = ++sequence;
  let r;
  try {
    r = await api("losses", {k: val("k"), eps: val("eps"), lambda: val("lambda"), zLambda: val("zlambda"),
                             mMin: -val("range"), mMax: val("range"), points: 201});
  } catch (e) {
    showError(e.message);
    return;
  }
  if (mine !== sequence) return;
  showError("");
  const m = r.margin;
  const a = r.asymptotes;
  const lo = Math.min(...NAMES.flatMap(n => r.loss[n].map(num)));
  const hi = Math.max(...NAMES.flatMap(n => r.loss[n].map(num)));
  const lossSeries = LABELS.map((l, i) => ({label: l, color: PALETTE[i]}))
      .concat([{label: "CE as m \u2192 \u2212\u221e", dash: [5, 4], color: PALETTE[0]}, {label: "CE as m \u2192 +\u221e", dash: [5, 4], color: PALETTE[0]},
               {label: "LS as m \u2192 \u2212\u221e", dash: [5, 4], color: PALETTE[1]}, {label: "LS as m \u2192 +\u221e", dash: [5, 4], color: PALETTE[1]}]);
  const clip = arr => arr.map(v => (v < lo - 1 || v > hi + 1) ? null : v);
  makeChart("loss", "chart-loss", "loss L(m)", "margin m", lossSeries,
      [m].concat(NAMES.map(n => r.loss[n]), [a.crossEntropy.left, a.crossEntropy.right, a.labelSmoothing.left,
          a.labelSmoothing.right].map(clip)),
      {width: 560, height: 340, y: {range: [Math.min(0, lo), hi]}});
  const gradSeries = LABELS.map((l, i) => ({label: l, color: PALETTE[i]}))
      .concat([{label: "CE slope \u2192 \u22121", dash: [5, 4], color: PALETTE[0]}, {label: "CE slope \u2192 0", dash: [5, 4], color: PALETTE[0]},
               {label: "LS slope \u2192 \u2212(1 \u2212 a)", dash: [5, 4], color: PALETTE[1]}, {label: "LS slope \u2192 a = eps(K\u22121)/K", dash: [5, 4], color: PALETTE[1]}]);
  const glo = Math.min(...NAMES.flatMap(n => r.gradient[n]));
  const ghi = Math.max(...NAMES.flatMap(n => r.gradient[n]));
  makeChart("gradient", "chart-gradient", "gradient dL/dm", "margin m", gradSeries,
      [m].concat(NAMES.map(n => r.gradient[n]), [a.crossEntropy.gradientLeft, a.crossEntropy.gradientRight,
          a.labelSmoothing.gradientLeft, a.labelSmoothing.gradientRight]),
      {width: 560, height: 340, y: {range: [Math.min(-1.1, glo), Math.max(0.1, ghi)]}});
  const mStar = num(a.labelSmoothingMinimum);
  document.getElementById("ls-min").innerHTML = isFinite(mStar)
      ? "label smoothing is smallest at m* = ln(1 + K(1&minus;eps)/eps) = <b id=\"m-star\">" + fmt(mStar, 6) + "</b>"
      : "eps = 0: label smoothing is cross-entropy, which keeps falling as m grows";
}

for (const id of ["k", "eps", "lambda", "zlambda", "range"]) document.getElementById(id).addEventListener("input", update);
update();
