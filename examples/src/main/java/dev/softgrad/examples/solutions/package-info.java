/**
 * Solutions to the exercises, one class per stub of the same simple name. Each is a student's own
 * version of something the library already has (a stable softmax, a gradient): that repetition is
 * the point of an exercise, so it lives here and nowhere else.
 */
package dev.softgrad.examples.solutions;
