/**
 * Benchmarks of the datasets module, run by hand as plain mains from the test classpath (they are
 * not tests and are not shipped): {@link dev.softgrad.datasets.bench.LoadMnistBench} times loading
 * the MNIST test set.
 */
package dev.softgrad.datasets.bench;
