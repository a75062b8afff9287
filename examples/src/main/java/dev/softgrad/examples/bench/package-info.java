/** Benchmark mains: warm up, then report medians and percentiles; figures go to BENCHMARKS.md. */
package dev.softgrad.examples.bench;
