/**
 * Calibration of classifiers: how far predicted probabilities are from observed frequencies, and a
 * fix for it. {@link dev.softgrad.nn.calibration.CalibrationMetrics} measures accuracy, negative
 * log-likelihood, Brier score and the binned calibration errors (ECE, MCE, RMS, equal-mass and
 * classwise ECE) on probabilities {@code [N, K]} and integer labels;
 * {@link dev.softgrad.nn.calibration.ReliabilityBins} holds the bins behind them.
 * {@link dev.softgrad.nn.calibration.TemperatureScaling} fits one temperature T &gt; 0 on held-out
 * logits by an exact, deterministic safeguarded Newton method (Guo et al., 2017, "On Calibration of
 * Modern Neural Networks"), and {@link dev.softgrad.nn.calibration.CalibratedModel} wraps any
 * {@link dev.softgrad.nn.calibration.LogitModel} so that its probabilities are softmax(z / T).
 * {@link dev.softgrad.nn.calibration.ReliabilityDiagram} computes reliability diagrams (before and
 * after scaling), has them drawn as PNG by {@link dev.softgrad.nn.plot.ReliabilityChart} and writes
 * the numbers behind them as JSON. All arithmetic is plain Java in float64.
 */
package dev.softgrad.nn.calibration;
