/**
 * Runnable, self-checking notebooks on the theory of softmax: each {@link dev.softgrad.examples.Example}
 * prints its steps, writes figures and two reports (Markdown, and one self-contained HTML page with
 * its equations typeset as MathML by {@link dev.softgrad.examples.MathMl}) through a
 * {@link dev.softgrad.examples.Notebook}, and checks its claims; helpers several notebooks share live
 * in {@link dev.softgrad.examples.Lessons}, so no notebook imports another.
 * {@link dev.softgrad.examples.Softgrad} lists and runs them by name (their {@code -o} options are
 * {@link dev.softgrad.examples.ExampleOption}s, checked before a run), checks the exercises
 * ({@code grading}, {@code exercises}, {@code solutions}), and {@link dev.softgrad.examples.TrainExample}
 * is the README's main job. The {@code bench} package holds the benchmark mains behind BENCHMARKS.md.
 */
package dev.softgrad.examples;
