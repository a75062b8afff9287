/**
 * Data sets for softgrad: a {@link dev.softgrad.datasets.Dataset} is a feature matrix
 * {@code [N, D]} (float32 or float64, c-order), integer labels {@code [N]}, class names and a name.
 *
 * <p>This package holds everything needed to get data into a training loop in one line: seeded
 * synthetic generators ({@link dev.softgrad.datasets.Synthetic}), the embedded default data set and
 * the named real ones ({@link dev.softgrad.datasets.Datasets}), strict readers for CSV and IDX files
 * ({@link dev.softgrad.datasets.Csv}, {@link dev.softgrad.datasets.Idx}) that throw
 * {@link dev.softgrad.datasets.DatasetFormatException} on any malformed input before a large
 * allocation and read at most a settable number of bytes (so a gzip bomb is an error, not an
 * {@link java.lang.OutOfMemoryError}), verified downloads into a cache folder
 * ({@link dev.softgrad.datasets.DataCache}) bounded in time and bytes,
 * seeded stratified splits, scalers fitted on the training part, and a minibatch iterator that
 * reuses its buffers. The package depends on ND4J only (not on the autograd or nn modules), and every
 * random choice goes through a seeded SplitMix64 generator so results agree across machines.
 */
package dev.softgrad.datasets;
