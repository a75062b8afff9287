/**
 * The exercises' machinery: the {@link dev.softgrad.examples.grading.Tasks tasks} a student
 * implements, the {@link dev.softgrad.examples.grading.ExerciseList list} of exercises with the
 * notebook each belongs to, their graders (claims, checked and reported like a notebook's), and the
 * {@link dev.softgrad.examples.grading.Checker} behind {@code ./softgrad check NAME}, which compiles
 * the student's edited stub from source first, so that it never grades stale code.
 */
package dev.softgrad.examples.grading;
