/**
 * Exercises: one stub class per exercise, each with a clearly marked TODO. Edit one, then run
 * {@code ./softgrad check NAME} (it compiles this file and checks the notebook's claims against your
 * code); {@code ./softgrad solution NAME} shows a solution. {@code ./softgrad list} names them all.
 */
package dev.softgrad.examples.exercises;
