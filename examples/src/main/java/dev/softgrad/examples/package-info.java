/**
 * Runnable examples ("notebooks" as ordinary {@code main} classes). {@link dev.softgrad.examples.TrainDemo}
 * is the README's main job; the {@code bench} package holds the benchmark mains behind BENCHMARKS.md.
 */
package dev.softgrad.examples;
