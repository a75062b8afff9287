package dev.softgrad.nn;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows training progress. On a terminal: a progress bar over all steps of the run
 * ({@code me.tongfei:progressbar}) with the epoch, the epoch's running loss and accuracy, the speed in
 * samples per second (and the last validation accuracy), e.g.
 * <pre>
 * train  62% │█████████▌     │ 1170/1875 (0:00:01) ep 2/3 loss 1.3851 acc 0.529 121.3k/s val 0.543
 * </pre>
 * Elsewhere (CI, output sent to a file): one plain line per epoch, e.g.
 * <pre>
 * epoch 3/10  loss 0.4123  acc 0.8811  val_loss 0.4011  val_acc 0.8900  lr 0.1  0.12 s  36500 samples/s
 * </pre>
 * {@link #auto()} chooses: a bar when {@code System.console()} is present and the {@code CI}
 * variable is unset, lines to standard output otherwise.
 */
public final class TrainingProgress implements TrainingListener {
    private final PrintStream out;
    private final boolean bar;
    private ProgressBar progressBar;
    private int epochs;
    private int batchSize;
    private double lossSum;
    private long samples;
    private long correct;
    private long started;
    private long lastUpdate;
    private String message = "";
    private String validation = "";

    private final int width;

    private TrainingProgress(PrintStream out, boolean bar, int width) {
        this.out = Objects.requireNonNull(out, "out");
        this.bar = bar;
        this.width = width;
    }

    /** A bar on a terminal, plain lines on standard output otherwise. */
    public static TrainingProgress auto() {
        return isInteractive(System.console() != null, System.getenv()) ? new TrainingProgress(System.err, true, 0) : lines(System.out);
    }

    /** One plain line per epoch to {@code out}. */
    public static TrainingProgress lines(PrintStream out) {
        return new TrainingProgress(out, false, 0);
    }

    /** A progress bar drawn on {@code out}, at most {@code width} characters wide ({@link #auto()} uses the terminal's width). */
    public static TrainingProgress bar(PrintStream out, int width) {
        if (width < 40) {
            throw new IllegalArgumentException("TrainingProgress.bar: width must be >= 40 characters, got " + width);
        }
        return new TrainingProgress(out, true, width);
    }

    /** Whether a bar suits: a console is attached and {@code CI} is not set. */
    static boolean isInteractive(boolean hasConsole, Map<String, String> env) {
        String ci = env.get("CI");
        return hasConsole && (ci == null || ci.isEmpty());
    }

    /** Whether this listener draws a bar (else it prints lines). */
    public boolean drawsBar() {
        return bar;
    }

    @Override
    public void onStart(int epochs, int batchesPerEpoch, int batchSize) {
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.started = System.nanoTime();
        if (bar) {
            progressBar = new ProgressBarBuilder()
                    .setTaskName("train")
                    .setInitialMax((long) epochs * batchesPerEpoch)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setConsumer(width > 0 ? new ConsoleProgressBarConsumer(out, width) : new ConsoleProgressBarConsumer(out))
                    .setUpdateIntervalMillis(100)
                    .hideEta()
                    .build();
        }
    }

    @Override
    public void onStep(StepEvent e) {
        if (!bar) {
            return;
        }
        if (e.batch() == 0) {
            lossSum = 0;
            samples = 0;
            correct = 0;
        }
        int n = e.labels().length;
        lossSum += e.loss() * n;
        samples += n;
        correct += Argmax.countCorrect(e.logits().value(), e.labels());
        progressBar.step();
        long now = System.nanoTime();
        if (now - lastUpdate > 100_000_000L || e.batch() == e.batchesPerEpoch() - 1) {
            lastUpdate = now;
            double seconds = (now - started) / 1e9;
            message = String.format(Locale.ROOT, "ep %d/%d loss %.4f acc %.3f %s/s", e.epoch() + 1, epochs,
                    lossSum / samples, (double) correct / samples,
                    compact((e.step() + 1) * (double) batchSize / Math.max(seconds, 1e-9)));
            progressBar.setExtraMessage(message + validation);
        }
    }

    /** 950, 12.3k, 4.56M. */
    static String compact(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1e4) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    @Override
    public void onEpoch(Trainer.EpochResult r) {
        if (bar) {
            if (r.validation() != null) {
                validation = String.format(Locale.ROOT, " val %.3f", r.validation().accuracy());
                progressBar.setExtraMessage(message + validation);
            }
            return;
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  loss %.4f  acc %.4f", r.epoch() + 1,
                epochs, r.trainLoss(), r.trainAccuracy()));
        if (r.validation() != null) {
            s.append(String.format(Locale.ROOT, "  val_loss %.4f  val_acc %.4f", r.validation().loss(), r.validation().accuracy()));
        }
        s.append(String.format(Locale.ROOT, "  lr %.4g  %.2f s  %.0f samples/s", r.learningRate(), r.seconds(),
                r.samples() / Math.max(r.seconds(), 1e-9)));
        out.println(s);
        out.flush();
    }

    @Override
    public void onEnd(Trainer.History history) {
        if (progressBar != null) {
            progressBar.close();
            progressBar = null;
        }
    }
}
