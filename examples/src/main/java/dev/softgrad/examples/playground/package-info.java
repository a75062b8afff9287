/**
 * The playground: a local web server ({@link dev.softgrad.examples.playground.Playground}, launched by
 * {@code ./softgrad playground}) whose pages let a student move a slider and see softmax, the losses
 * of its family and training dynamics respond, on softgrad's own numbers. The pages (static HTML and
 * a little JavaScript under {@code resources/dev/softgrad/examples/playground/static}, charts by uPlot
 * from its webjar) call a small JSON API: {@link dev.softgrad.examples.playground.SoftmaxLab} (pages 1
 * and 2), {@link dev.softgrad.examples.playground.TrainingLab} (page 3, training streamed as
 * server-sent events) and {@link dev.softgrad.examples.playground.NotebookLab} (page 4, the notebooks
 * run in the server's process). Every number a page shows is computed by the library on the server;
 * {@link dev.softgrad.examples.playground.Params} bounds and checks each request, and a bad request
 * gets HTTP 400 with the library's own message.
 */
package dev.softgrad.examples.playground;
