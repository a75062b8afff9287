package dev.softgrad.datasets;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Download progress: a terminal progress bar (me.tongfei.progressbar) when there is a console and
 * no {@code CI} variable, otherwise a plain line every 10 % (no carriage returns or colour codes in
 * logs), or nothing. Not public API.
 */
abstract class DownloadProgress implements AutoCloseable {
    /** Advances to {@code bytes} transferred so far. */
    abstract void update(long bytes);

    @Override
    public abstract void close();

    /** The kind of display for this environment; {@code quiet} shows nothing. */
    static DownloadProgress start(String task, long totalBytes, boolean quiet) {
        if (quiet) {
            return new Silent();
        }
        boolean terminal = System.console() != null && System.getenv("CI") == null;
        return terminal ? new Bar(task, totalBytes) : new Lines(task, totalBytes, System.err);
    }

    private static final class Silent extends DownloadProgress {
        @Override
        void update(long bytes) {
        }

        @Override
        public void close() {
        }
    }

    private static final class Bar extends DownloadProgress {
        private final ProgressBar bar;

        Bar(String task, long total) {
            this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total > 0 ? total : -1)
                    .setUnit("MB", 1L << 20).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).build();
        }

        @Override
        void update(long bytes) {
            bar.stepTo(bytes);
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** One line at start, one per 10 % (or per 4 MB when the size is unknown), one at the end. */
    static final class Lines extends DownloadProgress {
        private final String task;
        private final long total;
        private final PrintStream out;
        private long nextReport;
        private long last;

        Lines(String task, long total, PrintStream out) {
            this.task = task;
            this.total = total;
            this.out = out;
            this.nextReport = step();
            out.println(task + ": starting" + (total > 0 ? " (" + mb(total) + ")" : ""));
        }

        private long step() {
            return total > 0 ? Math.max(1, total / 10) : 4L << 20;
        }

        @Override
        void update(long bytes) {
            last = bytes;
            if (bytes >= nextReport && (total <= 0 || bytes < total)) {
                out.println(task + ": " + (total > 0 ? (100 * bytes / total) + " % (" + mb(bytes) + " of " + mb(total) + ")"
                        : mb(bytes)));
                nextReport = (bytes / step() + 1) * step();
            }
        }

        @Override
        public void close() {
            out.println(task + ": done, " + mb(last));
        }

        private static String mb(long bytes) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
        }
    }
}
