/**
 * Figures: the one place in softgrad that draws PNGs (with XChart). {@link dev.softgrad.nn.plot.Plots}
 * holds the house style (title, axis titles with units, the legend outside the data, lines for
 * curves and dashed lines for formulas, log axes labelled at every decade, 800 x 500 by default) and
 * writes charts, grids of charts and stacked images atomically;
 * {@link dev.softgrad.nn.plot.ReliabilityChart} draws a reliability diagram from plain bin numbers.
 * {@link dev.softgrad.nn.GradientDynamics#plot}, the calibration package's
 * {@link dev.softgrad.nn.calibration.ReliabilityDiagram} and the examples' notebooks draw through
 * it. Depends only on {@code nn.io} (for atomic writes).
 */
package dev.softgrad.nn.plot;
