// Page 2: the softmax family's losses and their gradients against the margin, computed by softgrad.
"use strict";

const NAMES = ["crossEntropy", "labelSmoothing", "logitL2", "zLoss"];
const LABELS = ["cross-entropy", "label smoothing", "CE + logit L2", "CE + z-loss"];
const SHORT = ["CE", "LS", "L2", "z"];
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
  // each loss's two asymptotes (m -> -inf, m -> +inf), dashed in its colour, clipped to the curves' range
  const asymptoteSeries = (what) => NAMES.flatMap((n, i) => [
      {label: SHORT[i] + " " + what + " as m \u2192 \u2212\u221e", dash: [6, 4], color: PALETTE[i], width: 1},
      {label: SHORT[i] + " " + what + " as m \u2192 +\u221e", dash: [2, 3], color: PALETTE[i], width: 1}]);
  const clip = (arr, lo, hi) => arr.map(v => (v < lo - 1 || v > hi + 1) ? null : v);
  makeChart("loss", "chart-loss", "loss L(m) and its asymptotes (dashed)", "margin m",
      LABELS.map((l, i) => ({label: l, color: PALETTE[i]})).concat(asymptoteSeries("loss")),
      [m].concat(NAMES.map(n => r.loss[n]), NAMES.flatMap(n => [clip(a[n].left, lo, hi), clip(a[n].right, lo, hi)])),
      {width: 640, height: 380, y: {range: [Math.min(0, lo), hi]}});
  const glo = Math.min(-1.1, ...NAMES.flatMap(n => r.gradient[n]));
  const ghi = Math.max(0.1, ...NAMES.flatMap(n => r.gradient[n]));
  makeChart("gradient", "chart-gradient", "gradient dL/dm and its asymptotes (dashed)", "margin m",
      LABELS.map((l, i) => ({label: l, color: PALETTE[i]})).concat(asymptoteSeries("slope")),
      [m].concat(NAMES.map(n => r.gradient[n]), NAMES.flatMap(n => [clip(a[n].gradientLeft, glo, ghi), clip(a[n].gradientRight, glo, ghi)])),
      {width: 640, height: 380, y: {range: [glo, ghi]}});
  const mStar = num(a.labelSmoothingMinimum);
  document.getElementById("ls-min").innerHTML = isFinite(mStar)
      ? "label smoothing is smallest at m* = ln(1 + K(1&minus;eps)/eps) = <b id=\"m-star\">" + fmt(mStar, 6) + "</b>"
      : "eps = 0: label smoothing is cross-entropy, which keeps falling as m grows";
}

for (const id of ["k", "eps", "lambda", "zlambda", "range"]) document.getElementById(id).addEventListener("input", update);
update();
