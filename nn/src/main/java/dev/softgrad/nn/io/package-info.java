/**
 * Files: {@link dev.softgrad.nn.io.Checkpoint} saves and loads a classifier (JSON with the
 * architecture, where the model came from and its weights, inline or in a sidecar file; saved from a
 * {@link dev.softgrad.nn.Predictor}, also its scaling, class names and temperature), refusing
 * anything corrupt with a {@link dev.softgrad.nn.io.CheckpointFormatException} that names the file
 * and the field; {@link dev.softgrad.nn.io.AtomicFiles} is the one helper every writer in softgrad
 * uses to replace a file atomically.
 */
package dev.softgrad.nn.io;
