package dev.softgrad.examples.playground;

import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Datasets;
import dev.softgrad.datasets.Split;
import dev.softgrad.datasets.Standardizer;
import dev.softgrad.datasets.Synthetic;
import dev.softgrad.nn.Activation;
import dev.softgrad.nn.Classifier;
import dev.softgrad.nn.GradientDynamics;
import dev.softgrad.nn.Init;
import dev.softgrad.nn.Loss;
import dev.softgrad.nn.Mlp;
import dev.softgrad.nn.SoftmaxClassifier;
import dev.softgrad.nn.Trainer;
import dev.softgrad.nn.TrainingListener;
import dev.softgrad.nn.calibration.ReliabilityBins;
import dev.softgrad.nn.calibration.TemperatureScaling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Page 3 of the playground: trains a classifier with softgrad's {@link Trainer} and sends each step's
 * {@link GradientDynamics} record as it happens, the decision regions of 2-D data sets as training
 * goes, and at the end a reliability diagram of the validation set, which
 * {@link #calibrate temperature scaling} can then fix. Runs are bounded ({@link #MAX_STEPS} steps,
 * {@link #MAX_SAMPLES} samples) and serialised: one trains at a time. A run may be paced by its page
 * ({@code window}: it sends at most that many steps beyond the last one the page {@link #ack acknowledged},
 * so that it trains no faster than the page draws). A run {@link #stop stops} at
 * its next step when asked, and when its page goes away (the next event it sends fails), and the next
 * run may then start.
 */
public final class TrainingLab {
    /** Most optimiser steps one run may take. */
    public static final int MAX_STEPS = 20_000;
    /** Most samples a synthetic data set may have. */
    public static final int MAX_SAMPLES = 2_000;
    /** Side of the grid on which decision regions are computed. */
    public static final int GRID = 48;
    /** Bins of the reliability diagram. */
    public static final int BINS = 10;
    /** How many finished runs keep their validation logits for the temperature button. */
    static final int KEPT_RUNS = 16;

    /** The data sets offered. */
    public static final List<String> DATASETS = List.of("blobs", "spirals", "xor", "separable", "iris", "digits");
    /** The losses offered (each may add LogitL2 with {@code l2} &gt; 0). */
    public static final List<String> LOSSES = List.of("ce", "ls", "distill");

    /** Where one run's events go: server-sent events on the wire, a list in tests. */
    public interface Events {
        /** Sends one event; an IOException (the page went away) stops the run. */
        void send(String event, Object data) throws IOException;
    }

    /**
     * A run's settings, as read from the request (every field bounded).
     *
     * @param dataset    one of {@link #DATASETS}
     * @param samples    rows of a synthetic data set
     * @param model      "linear" or "mlp"
     * @param activation the MLP's non-linearity
     * @param hidden     the MLP's hidden width
     * @param loss       one of {@link #LOSSES}
     * @param eps        label smoothing's eps
     * @param l2         LogitL2's lambda (0: none)
     * @param temperature distillation's T
     * @param alpha      distillation's weight of the teacher
     * @param lr         learning rate
     * @param batch      minibatch size
     * @param epochs     epochs
     * @param seed       seed of data, initialisation and batch order
     */
    public record Spec(String dataset, int samples, String model, Activation activation, int hidden, String loss,
            double eps, double l2, double temperature, double alpha, double lr, int batch, int epochs, long seed) {

        /** Reads a run's settings from a request. */
        public static Spec of(Params q) {
            return new Spec(q.choice("dataset", "blobs", DATASETS), q.integer("samples", 300, 20, MAX_SAMPLES),
                    q.choice("model", "mlp", List.of("linear", "mlp")),
                    Activation.valueOf(q.choice("activation", "tanh", List.of("tanh", "sigmoid", "relu")).toUpperCase()),
                    q.integer("hidden", 16, 1, 64), q.choice("loss", "ce", LOSSES),
                    q.number("eps", 0.1, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY),
                    q.number("l2", 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY),
                    q.number("temperature", 4, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY),
                    q.number("alpha", 0.9, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY),
                    q.number("lr", 0.5, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY),
                    q.integer("batch", 32, 1, 1024), q.integer("epochs", 20, 1, 500), q.integer("seed", 1, 0, Integer.MAX_VALUE));
        }
    }

    /** The validation logits and labels of a finished run. */
    private record Finished(INDArray logits, int[] labels) {
    }

    /** Thrown from a step of a run asked to stop; it ends {@link Trainer#fit} there. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("stopped", null, false, false);
        }
    }

    private final Path dataFolder;
    private final Object trainingLock = new Object();
    private final AtomicLong runIds = new AtomicLong();
    /** The run in training, by id. */
    private final Map<Long, Control> training = new ConcurrentHashMap<>();

    /** Longest a paced run waits for its page's acknowledgement before it sends on (a page gone makes that send fail). */
    static final long ACK_TIMEOUT_MS = 10_000;

    /** A run's stop flag and, when paced, the last step its page acknowledged. */
    private static final class Control {
        final int window;
        private boolean stop;
        private long acked;
        private long sent;

        Control(int window) {
            this.window = window;
        }

        synchronized boolean stopping() {
            return stop;
        }

        synchronized void stop() {
            stop = true;
            notifyAll();
        }

        synchronized void ack(long steps) {
            acked = Math.max(acked, steps);
            notifyAll();
        }

        /** With a window, waits until the page has acknowledged all but {@code window} of the {@code sent} steps, or is stopping. */
        synchronized void pace(long sent) {
            this.sent = sent;
            long deadline = System.currentTimeMillis() + ACK_TIMEOUT_MS;
            while (window > 0 && !stop && sent - acked >= window) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return;
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop = true;
                }
            }
        }
    }
    private final Map<Long, Finished> finished = new LinkedHashMap<>(KEPT_RUNS, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Finished> eldest) {
            return size() > KEPT_RUNS;
        }
    };

    /** A lab that reads Iris and digits from {@code dataFolder} when it holds them (else the standard cache). */
    public TrainingLab(Path dataFolder) {
        this.dataFolder = dataFolder;
    }

    /** The data set of a spec, float32, not yet split. */
    Dataset dataset(Spec s) {
        try {
            return switch (s.dataset()) {
                case "blobs" -> Synthetic.blobs(s.samples(), 3, 2, 3.0, s.seed());
                case "spirals" -> Synthetic.spirals(s.samples(), 3, 0.2, s.seed());
                case "xor" -> Synthetic.xor(s.samples(), 0.25, s.seed());
                case "separable" -> Synthetic.linearlySeparable(s.samples(), 2, 0.5, s.seed());
                case "iris" -> Files.isDirectory(dataFolder) ? Datasets.iris(dataFolder) : Datasets.iris();
                default -> Files.isDirectory(dataFolder) ? Datasets.digits(dataFolder) : Datasets.digits();
            };
        } catch (IOException e) {
            throw new BadRequest("dataset '" + s.dataset() + "' cannot be read: " + e.getMessage());
        }
    }

    /** The train / validation split (75 / 25, stratified), standardised for the real data sets. */
    Split split(Spec s) {
        Split split = Split.stratified(dataset(s), 0.25, s.seed());
        if (s.dataset().equals("iris") || s.dataset().equals("digits")) {
            Standardizer st = Standardizer.fit(split.train());
            split = new Split(st.transform(split.train()), st.transform(split.test()));
        }
        return split;
    }

    /** A fresh model for a spec. */
    static Classifier model(Spec s, int features, int classes) {
        return s.model().equals("linear") ? new SoftmaxClassifier(features, classes, Init.zeros(), DataType.FLOAT)
                : new Mlp(features, new int[] {s.hidden()}, classes, s.activation(), Init.xavierUniform(s.seed()), DataType.FLOAT);
    }

    /** The trainer's configuration for a spec (the teacher of a distillation run is trained here). */
    static Trainer.Config config(Spec s, Split split) {
        Loss loss = switch (s.loss()) {
            case "ce" -> Loss.crossEntropy();
            case "ls" -> Loss.labelSmoothing(s.eps());
            default -> Loss.distillation(teacher(s, split), s.temperature(), s.alpha());
        };
        return Trainer.Config.of(s.epochs(), s.batch(), s.lr(), s.seed()).withLoss(loss.withLogitL2(s.l2()));
    }

    /** The distillation teacher: an MLP (32 tanh units) trained by cross-entropy on the same split. */
    static Classifier teacher(Spec s, Split split) {
        Classifier t = new Mlp(split.train().numFeatures(), new int[] {32}, split.train().numClasses(), Activation.TANH,
                Init.xavierUniform(s.seed() + 1000), DataType.FLOAT);
        new Trainer(Trainer.Config.of(30, 32, 0.5, s.seed())).fit(t, split.train(), null);
        return t;
    }

    /**
     * Trains one run and sends its events, in order: {@code start} (the data), {@code teacher} (under
     * distillation), {@code regions} (2-D data: before the first step and after every few epochs),
     * {@code step} (every step), {@code epoch}, and {@code end} (run id, reliability diagram), or
     * {@code stopped} (run id, steps taken) when {@link #stop} asked it to, or {@code error} when
     * training fails (a diverged run).
     *
     * @throws BadRequest (or the library's IllegalArgumentException) before anything is sent
     */
    public void train(Params q, Events events) throws IOException {
        Spec s = Spec.of(q);
        int window = q.integer("window", 0, 0, MAX_STEPS);
        Split split = split(s);
        Dataset train = split.train();
        Dataset val = split.test();
        long perEpoch = batchesPerEpoch(s, train);
        if (perEpoch * s.epochs() > MAX_STEPS) {
            throw new BadRequest("epochs x batches per epoch must be at most " + MAX_STEPS + ", got " + s.epochs() + " x "
                    + perEpoch + " = " + perEpoch * s.epochs() + " (use fewer epochs or larger batches)");
        }
        synchronized (trainingLock) {
            Trainer.Config config = config(s, split);
            Classifier model = model(s, train.numFeatures(), train.numClasses());
            long id = runIds.incrementAndGet();
            Control control = new Control(window);
            training.put(id, control);
            try {
                run(s, split, config, model, id, control, events);
            } finally {
                training.remove(id);
            }
        }
    }

    /** Minibatches in one epoch (the last one may be smaller; a batch larger than the data set is all of it). */
    private static long batchesPerEpoch(Spec s, Dataset train) {
        long b = Math.min(s.batch(), train.size());
        return (train.size() + b - 1) / b;
    }

    /** One run, in the training slot. */
    private void run(Spec s, Split split, Trainer.Config config, Classifier model, long id, Control control, Events events)
            throws IOException {
        Dataset train = split.train();
        Dataset val = split.test();
        long perEpoch = batchesPerEpoch(s, train);
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("run", id);
        start.put("dataset", train.name());
        start.put("classes", train.classNames());
        start.put("features", train.numFeatures());
        start.put("trainSize", train.size());
        start.put("validationSize", val.size());
        start.put("steps", perEpoch * s.epochs());
        start.put("loss", config.loss().describe());
        Regions regions = train.numFeatures() == 2 ? new Regions(train, val) : null;
        if (regions != null) {
            start.put("points", points(train));
        }
        events.send("start", start);
        if (config.loss().teacher() != null) {
            events.send("teacher", Map.of("validationAccuracy", config.loss().teacher().evaluate(val).accuracy()));
        }
        GradientDynamics dynamics = new GradientDynamics(0.01);
        int regionEvery = Math.max(1, s.epochs() / 30);
        // the stop flag is read before the step is recorded or sent, so 'stopped' counts the steps sent
        TrainingListener stopper = new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                if (control.stopping()) {
                    throw new Stopped();
                }
            }
        };
        Trainer trainer = new Trainer(config).addListener(stopper).addListener(dynamics).addListener(new TrainingListener() {
            @Override
            public void onStart(int epochs, int batchesPerEpoch, int batchSize) {
                if (regions != null) {
                    send(events, "regions", regions.of(model, -1));
                }
            }

            @Override
            public void onStep(StepEvent e) {
                send(events, "step", dynamics.steps().get(dynamics.steps().size() - 1));
                control.pace(dynamics.steps().size());
            }

            @Override
            public void onEpoch(Trainer.EpochResult r) {
                if (!Double.isFinite(r.validation().loss())) {
                    // the last update made the parameters non-finite: the Trainer would only see it at the
                    // next step, which a run's last epoch does not have
                    throw new IllegalStateException("fit: training diverged: the validation loss became "
                            + r.validation().loss() + " after epoch " + r.epoch() + " (learning rate " + r.learningRate()
                            + "); try a lower learning rate");
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("epoch", r.epoch());
                m.put("trainLoss", r.trainLoss());
                m.put("trainAccuracy", r.trainAccuracy());
                m.put("validationAccuracy", r.validation().accuracy());
                m.put("validationLoss", r.validation().loss());
                send(events, "epoch", m);
                if (regions != null && ((r.epoch() + 1) % regionEvery == 0 || r.epoch() + 1 == s.epochs())) {
                    send(events, "regions", regions.of(model, r.epoch()));
                }
            }
        });
        long t0 = System.nanoTime();
        try {
            trainer.fit(model, train, val);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (Stopped e) {
            events.send("stopped", Map.of("run", id, "steps", dynamics.steps().size()));
            return;
        } catch (IllegalStateException e) {
            events.send("error", Map.of("message", String.valueOf(e.getMessage())));
            return;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        INDArray logits = model.logits(val.features()).castTo(DataType.DOUBLE);
        synchronized (finished) {
            finished.put(id, new Finished(logits, val.labels()));
        }
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("run", id);
        end.put("steps", dynamics.steps().size());
        end.put("seconds", seconds);
        end.put("finalLogitNorm", dynamics.steps().get(dynamics.steps().size() - 1).logitNorm());
        end.put("reliability", reliability(logits, val.labels(), 1.0));
        events.send("end", end);
    }

    /**
     * The stop button: {@code {run}} asks the run in training to stop at its next step (its stream
     * then ends with {@code stopped}). {@code stopping} is false when the run is no longer training
     * (it has just finished); an id this server never gave is refused.
     */
    public Map<String, Object> stop(Params q) {
        long id = runId(q);
        Control c = training.get(id);
        if (c != null) {
            c.stop();
        }
        return Map.of("run", id, "stopping", c != null);
    }

    /**
     * A paced run's page: {@code {run, steps}} says it has received {@code steps} steps, so the run may
     * send up to {@code window} beyond them. {@code training} is false when the run is no longer training.
     */
    public Map<String, Object> ack(Params q) {
        long id = runId(q);
        long steps = q.integer("steps", 0, 0, MAX_STEPS);
        Control c = training.get(id);
        if (c != null) {
            c.ack(steps);
        }
        return Map.of("run", id, "training", c != null);
    }

    /** The steps a run in training has sent (-1 when it is not training), for tests. */
    long stepsSent(long run) {
        Control c = training.get(run);
        if (c == null) {
            return -1;
        }
        synchronized (c) {
            return c.sent;
        }
    }

    private long runId(Params q) {
        long id = q.integer("run", 0, 1, Integer.MAX_VALUE);
        if (id > runIds.get()) {
            throw new BadRequest("run must be a run of this server (1.." + runIds.get() + "), got " + id);
        }
        return id;
    }

    /**
     * The temperature button: {@code {run}} fits T on the run's validation logits
     * ({@link TemperatureScaling#fit}) and returns the reliability diagram before and after.
     */
    public Map<String, Object> calibrate(Params q) {
        long id = q.integer("run", 0, 1, Integer.MAX_VALUE);
        Finished f;
        synchronized (finished) {
            f = finished.get(id);
        }
        if (f == null) {
            throw new BadRequest("run must be a finished run of this server (the last " + KEPT_RUNS + " are kept), got " + id);
        }
        TemperatureScaling.Result r = TemperatureScaling.fit(f.logits(), f.labels());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run", id);
        out.put("temperature", r.temperature());
        out.put("nllBefore", r.nllBefore());
        out.put("nllAfter", r.nllAfter());
        out.put("status", r.status().name());
        out.put("before", reliability(f.logits(), f.labels(), 1.0));
        out.put("after", reliability(f.logits(), f.labels(), r.temperature()));
        return out;
    }

    /** Top-label reliability bins of softmax(z / T), with the ECE. */
    static Map<String, Object> reliability(INDArray logits, int[] labels, double temperature) {
        ReliabilityBins bins = ReliabilityBins.topLabel(TemperatureScaling.probabilities(logits, temperature), labels, BINS,
                ReliabilityBins.Binning.EQUAL_WIDTH);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("temperature", temperature);
        m.put("ece", bins.ece());
        m.put("bins", bins.bins());
        return m;
    }

    private static void send(Events events, String name, Object data) {
        try {
            events.send(name, data);
        } catch (IOException e) {
            throw new UncheckedIOException("the page stopped listening", e);
        }
    }

    /** The training points of a 2-D data set (x, y, label), for the scatter under the regions. */
    private static Map<String, Object> points(Dataset d) {
        float[] x = d.features().castTo(DataType.FLOAT).data().asFloat();
        int n = d.size();
        double[] px = new double[n];
        double[] py = new double[n];
        for (int i = 0; i < n; i++) {
            px[i] = x[2 * i];
            py[i] = x[2 * i + 1];
        }
        return Map.of("x", px, "y", py, "label", d.labels());
    }

    /** A grid over the data's bounding box (10 % margin) on which the model's predictions are drawn. */
    static final class Regions {
        final double x0;
        final double x1;
        final double y0;
        final double y1;
        private final INDArray grid;

        Regions(Dataset train, Dataset val) {
            double[] b = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
            for (Dataset d : List.of(train, val)) {
                float[] x = d.features().castTo(DataType.FLOAT).data().asFloat();
                for (int i = 0; i < d.size(); i++) {
                    b[0] = Math.min(b[0], x[2 * i]);
                    b[1] = Math.max(b[1], x[2 * i]);
                    b[2] = Math.min(b[2], x[2 * i + 1]);
                    b[3] = Math.max(b[3], x[2 * i + 1]);
                }
            }
            double px = 0.1 * (b[1] - b[0]);
            double py = 0.1 * (b[3] - b[2]);
            x0 = b[0] - px;
            x1 = b[1] + px;
            y0 = b[2] - py;
            y1 = b[3] + py;
            float[] g = new float[GRID * GRID * 2];
            for (int r = 0; r < GRID; r++) {
                for (int c = 0; c < GRID; c++) {
                    int i = r * GRID + c;
                    g[2 * i] = (float) (x0 + (x1 - x0) * (c + 0.5) / GRID);
                    g[2 * i + 1] = (float) (y1 - (y1 - y0) * (r + 0.5) / GRID); // row 0 at the top
                }
            }
            grid = Nd4j.create(g, new long[] {GRID * GRID, 2}, 'c');
        }

        /** The predicted class and its probability at each grid cell, row-major from the top left. */
        Map<String, Object> of(Classifier model, int epoch) {
            double[] p = model.probabilities(grid).castTo(DataType.DOUBLE).data().asDouble();
            int k = model.numClasses();
            int[] cls = new int[GRID * GRID];
            double[] conf = new double[GRID * GRID];
            for (int i = 0; i < cls.length; i++) {
                int best = 0;
                for (int j = 1; j < k; j++) {
                    if (p[i * k + j] > p[i * k + best]) {
                        best = j;
                    }
                }
                cls[i] = best;
                conf[i] = Math.round(p[i * k + best] * 1000) / 1000.0; // shading only: three digits keep the event small
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", epoch);
            m.put("size", GRID);
            m.put("x0", x0);
            m.put("x1", x1);
            m.put("y0", y0);
            m.put("y1", y1);
            m.put("classes", cls);
            m.put("confidence", conf);
            return m;
        }
    }

    /** The ids of the finished runs kept (tests). */
    List<Long> keptRuns() {
        synchronized (finished) {
            return new ArrayList<>(finished.keySet());
        }
    }
}
