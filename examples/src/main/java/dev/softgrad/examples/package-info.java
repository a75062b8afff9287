/**
 * Runnable, self-checking notebooks on the theory of softmax: each {@link dev.softgrad.examples.Example}
 * prints its steps, writes figures and a report through a {@link dev.softgrad.examples.Notebook} and
 * checks its claims; {@link dev.softgrad.examples.Softgrad} lists and runs them by name, and
 * {@link dev.softgrad.examples.TrainExample} is the README's main job. The {@code bench} package
 * holds the benchmark mains behind BENCHMARKS.md.
 */
package dev.softgrad.examples;
