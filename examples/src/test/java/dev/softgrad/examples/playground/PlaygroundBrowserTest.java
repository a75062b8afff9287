package dev.softgrad.examples.playground;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.softgrad.core.Losses;
import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Split;
import dev.softgrad.nn.Classifier;
import dev.softgrad.nn.GradientDynamics;
import dev.softgrad.nn.Trainer;
import dev.softgrad.nn.calibration.TemperatureScaling;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The playground in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * driven by Selenium WebDriver through {@code /usr/bin/chromedriver}, never a downloaded driver).
 * Each test asserts what the page rendered (its text, the data its charts drew, the pixels of its
 * canvases) against softgrad's own numbers, and saves a screenshot under {@code target/}.
 * {@code -Dplayground.docs=DIR} also copies the README's screenshots into DIR (see README,
 * "The playground"). Skipped, with a message naming the packages, where there is no browser.
 */
class PlaygroundBrowserTest {
    /** Debian's paths; -Dplayground.chromium / -Dplayground.chromedriver point elsewhere. */
    static final Path CHROMIUM = Path.of(System.getProperty("playground.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("playground.chromedriver", "/usr/bin/chromedriver"));
    static final Path SHOTS = Path.of("target", "playground");
    /** The screenshots the README shows, copied with -Dplayground.docs=DIR. */
    static final List<String> DOCS = List.of("softmax-slider.png", "train-overlay.png");

    @TempDir
    static Path out;
    static PlaygroundServer server;
    static WebDriver driver;
    static final Map<String, String> TIMINGS = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        boolean browser = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String why = "browser tests skipped: they need Debian's packages chromium and chromium-driver (" + CHROMIUM + ", "
                + CHROMEDRIVER + "): apt-get install -y chromium chromium-driver";
        if (!browser) {
            System.err.println(why); // in the build's log too, not only in the test report
        }
        Assumptions.assumeTrue(browser, why);
        server = PlaygroundServer.start(0, out, Path.of("../../shared/datasets"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--no-first-run", "--window-size=1400,1700");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (!TIMINGS.isEmpty()) {
            String text = TIMINGS.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n")) + "\n";
            System.out.print("playground timings (shared machine)\n" + text);
            Files.writeString(SHOTS.resolve("timings.txt"), text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    static <T> T waitFor(String what, int seconds, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds)).withMessage(what).until(condition);
    }

    static void open(String page) {
        driver.get(server.url() + page);
        driver.manage().logs().get(LogType.BROWSER); // drop the previous page's entries
    }

    static String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    /** Saves a screenshot under target/playground and, with -Dplayground.docs=DIR, the README's into DIR. */
    static void screenshot(String name) throws IOException {
        Path file = SHOTS.resolve(name);
        Files.write(file, ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));
        String docs = System.getProperty("playground.docs");
        if (docs != null && DOCS.contains(name)) {
            Files.createDirectories(Path.of(docs));
            Files.copy(file, Path.of(docs, "playground-" + name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** No console error in the browser's log and none caught by the page. */
    static void assertNoConsoleErrors(String page) {
        List<String> severe = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                severe.add(e.getMessage());
            }
        }
        assertTrue(severe.isEmpty(), page + ": console errors " + severe);
        assertEquals(List.of(), js("return window.pageErrors || []"), page + ": errors caught by the page");
    }

    /** Pixels of a chart's canvas that differ from its first pixel (the background). */
    static long drawnPixels(String chart) {
        return ((Number) js("const c = window.charts[arguments[0]].ctx.canvas;"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                + "for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i+1] !== d[1] || d[i+2] !== d[2] || d[i+3] !== d[3]) n++;"
                + "return n;", chart)).longValue();
    }

    @SuppressWarnings("unchecked")
    static double[] chartSeries(String chart, int series) {
        // no values (not an error) while the chart is not drawn yet
        List<Object> v = (List<Object>) js("const c = window.charts[arguments[0]];"
                + "return c ? Array.from(c.data[arguments[1]] || []) : []", chart, series);
        return v.stream().mapToDouble(o -> o == null ? Double.NaN : ((Number) o).doubleValue()).toArray();
    }

    static double firstChartMillis(String page) {
        double ms = ((Number) waitFor(page + ": a first chart", 20,
                d -> js("return window.timings && window.timings.firstChart"))).doubleValue();
        TIMINGS.put("page load to first chart, " + page, String.format(Locale.ROOT, "%.0f ms", ms));
        return ms;
    }

    @ParameterizedTest
    @ValueSource(strings = {"index.html", "softmax.html", "losses.html", "train.html", "notebooks.html"})
    void everyPageLoadsWithoutConsoleErrors(String page) throws IOException {
        open(page);
        waitFor(page + " loaded", 10, d -> "complete".equals(js("return document.readyState")));
        if (page.equals("softmax.html") || page.equals("losses.html")) {
            firstChartMillis(page);
            for (Object name : (List<?>) js("return Object.keys(window.charts)")) {
                assertTrue(drawnPixels((String) name) > 500, page + ": chart " + name + " drew nothing");
                assertTickLabelsAlike(page, (String) name);
            }
        }
        // a frame without its chart (an empty panel before a run) is not shown
        assertEquals(0L, js("return [...document.querySelectorAll('.panel')]"
                + ".filter(e => e.offsetParent !== null && e.textContent.trim() === '' && !e.querySelector('canvas')).length"),
                page + ": empty panels on show");
        if (page.equals("notebooks.html")) {
            waitFor("the notebook index", 10, d -> d.findElements(By.cssSelector("#index tr")).size() > 1);
            assertTrue(text("#index").contains("shift-invariance"), "the index lists the notebooks");
        }
        assertTrue(text("h1").length() > 5, page + " has a title");
        assertNoConsoleErrors(page);
        screenshot("load-" + page.replace(".html", ".png"));
    }

    /** Every axis of the chart prints its tick labels with one number of decimals ("0.0, -0.2, ..., -1.0"). */
    static void assertTickLabelsAlike(String page, String chart) {
        List<?> axes = (List<?>) js("return window.charts[arguments[0]].axes.map(a => a._values || [])", chart);
        for (Object axis : axes) {
            java.util.Set<Integer> decimals = new java.util.TreeSet<>();
            for (Object label : (List<?>) axis) {
                String l = String.valueOf(label);
                if (!l.isEmpty()) {
                    decimals.add(l.contains(".") ? l.length() - l.indexOf('.') - 1 : 0);
                }
            }
            assertTrue(decimals.size() <= 1, page + ": chart " + chart + "'s tick labels " + axis + " mix decimals " + decimals);
        }
        assertTrue(axes.stream().anyMatch(a -> ((List<?>) a).size() > 2), page + ": chart " + chart + " has no tick labels to check");
    }

    /** softgrad's softmax(z / tau) of one row, in float64 or float32. */
    static double[] softmax(double[] z, double tau, DataType type) {
        Tensor p = Losses.softmax(Tensor.fromRows(new double[][] {z}, type), tau);
        return p.value().castTo(DataType.DOUBLE).reshape(z.length).toDoubleVector();
    }

    static double[] logits() {
        int k = Integer.parseInt(driver.findElement(By.id("k")).getDomProperty("value"));
        double[] z = new double[k];
        for (int j = 0; j < k; j++) {
            z[j] = Double.parseDouble(driver.findElement(By.id("z" + j)).getDomProperty("value"));
        }
        return z;
    }

    static double tau() {
        return Math.pow(10, Double.parseDouble(driver.findElement(By.id("logtau")).getDomProperty("value")));
    }

    /** Waits until the table shows the probabilities and entropy the library gives for the sliders' values. */
    static double[] waitForLibraryValues() {
        return waitFor("the page shows the library's p and entropy for the sliders' values", 10, d -> {
            double[] z = logits();
            double tau = tau();
            double[] p = softmax(z, tau, DataType.DOUBLE);
            double h = 0;
            for (double v : p) {
                h -= v > 0 ? v * Math.log(v) : 0;
            }
            try {
                for (int j = 0; j < z.length; j++) {
                    if (Math.abs(Double.parseDouble(text("#p-" + j)) - p[j]) > 1e-6) {
                        return null;
                    }
                }
                return Math.abs(Double.parseDouble(text("#entropy")) - h) <= 1e-6 ? p : null;
            } catch (RuntimeException e) {
                return null; // the table is being redrawn
            }
        });
    }

    @Test
    void movingASliderShowsTheLibrarysProbabilitiesAndEntropy() throws IOException {
        open("softmax.html");
        firstChartMillis("softmax.html");
        double[] before = waitForLibraryValues();
        WebElement z2 = driver.findElement(By.id("z2"));
        WebElement logTau = driver.findElement(By.id("logtau"));
        z2.sendKeys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT,
                Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT);
        for (int i = 0; i < 20; i++) {
            logTau.sendKeys(Keys.ARROW_LEFT);
        }
        assertEquals(1.5, logits()[2], 1e-12, "ten steps of 0.1 from 0.5");
        assertEquals(-0.4, Math.log10(tau()), 1e-9, "twenty steps of 0.02 from 0");
        double[] after = waitForLibraryValues();
        assertNotEquals(before[2], after[2], "the slider moved p_2");
        // the bars drawn are the library's numbers, and the canvas shows them
        double[] drawn = chartSeries("p", 1);
        for (int j = 0; j < after.length; j++) {
            assertEquals(after[j], drawn[j], 1e-12, "bar " + j);
        }
        assertTrue(drawnPixels("p") > 1000, "the bars are drawn");
        double lnK = Double.parseDouble(text("#entropy-max"));
        assertEquals(Math.log(4), lnK, 1e-9);
        assertNoConsoleErrors("softmax.html");
        screenshot("softmax-slider.png");
    }

    @Test
    void float32SwitchShowsTheNaiveFormulaOverflowingAndSoftgradsNot() throws IOException {
        open("softmax.html");
        firstChartMillis("softmax.html");
        driver.findElement(By.id("f32")).click();
        waitFor("the float32 table", 10, d -> d.findElements(By.id("naive-0")).size() == 1 && text("#naive-0").equals("NaN"));
        double[] z = logits();
        assertTrue(z[0] > 88.8, "the switch sets logits past float32's exp overflow: " + z[0]);
        double[] stable = softmax(z, tau(), DataType.FLOAT);
        for (int j = 0; j < z.length; j++) {
            assertEquals(stable[j], Double.parseDouble(text("#stable-" + j)), 1e-6 * Math.max(1, stable[j]), "stable " + j);
        }
        assertEquals("NaN", text("#naive-1"));
        assertNoConsoleErrors("softmax.html float32");
        screenshot("softmax-float32.png");
    }

    @Test
    void lossesPageDrawsTheLibrarysCurvesAndMovesWithEps() throws IOException {
        open("losses.html");
        firstChartMillis("losses.html");
        double[] m = chartSeries("loss", 0);
        double[] ce = chartSeries("loss", 1);
        assertEquals(201, m.length);
        for (int i = 0; i < m.length; i += 20) {
            double[] row = new double[3];
            row[0] = m[i];
            double want = Losses.crossEntropy(Tensor.fromRows(new double[][] {row}, DataType.DOUBLE), new int[] {0}).item();
            assertEquals(want, ce[i], 1e-12, "cross-entropy drawn at m = " + m[i]);
        }
        WebElement eps = driver.findElement(By.id("eps"));
        for (int i = 0; i < 10; i++) {
            eps.sendKeys(Keys.ARROW_RIGHT);
        }
        waitFor("label smoothing's minimum for eps = 0.2", 10, d -> {
            try {
                return Math.abs(Double.parseDouble(text("#m-star")) - Math.log(1 + 3 * 0.8 / 0.2)) < 1e-5;
            } catch (RuntimeException e) {
                return false;
            }
        });
        assertTrue(drawnPixels("loss") > 2000 && drawnPixels("gradient") > 2000, "both charts drew their curves");
        assertNoConsoleErrors("losses.html");
        screenshot("losses.png");
    }

    /** Presses an arrow key on a slider n times. */
    static void press(String id, Keys key, int n) {
        WebElement e = driver.findElement(By.id(id));
        for (int i = 0; i < n; i++) {
            e.sendKeys(key);
        }
    }

    /** Waits until a chart's series equals the expected values (where the page drew a point) to 1e-12. */
    static void waitForDrawn(String what, String chart, int series, double[] want) {
        waitFor(what, 10, d -> {
            double[] drawn = chartSeries(chart, series);
            if (drawn.length != want.length) {
                return false;
            }
            for (int i = 0; i < want.length; i++) {
                if (!Double.isNaN(drawn[i]) && Math.abs(drawn[i] - want[i]) > 1e-12 * Math.max(1, Math.abs(want[i]))) {
                    return false;
                }
            }
            return true;
        });
    }

    /** A loss of logits (m, 0, 0) with true class 0, and its derivative in m, by the library (value, slope) per m. */
    static double[][] libraryCurve(double[] m, Function<Tensor, Tensor> loss) {
        double[][] out = new double[2][m.length];
        for (int i = 0; i < m.length; i++) {
            Tensor z = Tensor.parameter(Tensor.fromRows(new double[][] {{m[i], 0, 0}}, DataType.DOUBLE).value());
            Tensor l = loss.apply(z);
            l.backward();
            out[0][i] = l.item();
            out[1][i] = z.grad().getDouble(0, 0);
        }
        return out;
    }

    @Test
    void labelSmoothingAndLogitL2AreDrawnAsTheLibraryComputesThemAsTheirSlidersMove() throws IOException {
        open("losses.html");
        firstChartMillis("losses.html");
        double[] m = chartSeries("loss", 0);
        // loss chart: x, CE, LS, CE + L2, CE + z, then each loss's asymptotes (left, right) in that order
        press("eps", Keys.ARROW_RIGHT, 15);
        double eps = Double.parseDouble(driver.findElement(By.id("eps")).getDomProperty("value"));
        assertEquals(0.25, eps, 1e-12, "fifteen steps of 0.01 from 0.1");
        double[][] ls = libraryCurve(m, z -> Losses.labelSmoothing(z, new int[] {0}, eps));
        waitForDrawn("label smoothing for eps = 0.25", "loss", 2, ls[0]);
        waitForDrawn("its gradient", "gradient", 2, ls[1]);
        press("lambda", Keys.ARROW_RIGHT, 15);
        double lambda = Double.parseDouble(driver.findElement(By.id("lambda")).getDomProperty("value"));
        assertEquals(0.05, lambda, 1e-12, "fifteen steps of 0.002 from 0.02");
        double[][] l2 = libraryCurve(m, z -> Losses.crossEntropy(z, new int[] {0}).add(Losses.logitL2(z, lambda)));
        waitForDrawn("CE + logit L2 for lambda = 0.05", "loss", 3, l2[0]);
        waitForDrawn("its gradient", "gradient", 3, l2[1]);
        assertArrayEquals(ls[0], chartSeries("loss", 2), 1e-12, "label smoothing kept its eps");

        // the asymptotes drawn for logit L2 and z-loss: the closed forms, and the curves meet them at the far ends
        double c = Math.log(2);
        double zLambda = Double.parseDouble(driver.findElement(By.id("zlambda")).getDomProperty("value"));
        double[] ce = chartSeries("loss", 1);
        double[] zl = chartSeries("loss", 4);
        double[][] want = new double[4][m.length];
        double[][] slope = new double[4][m.length];
        for (int i = 0; i < m.length; i++) {
            want[0][i] = c - m[i] + lambda / 2 * m[i] * m[i];
            want[1][i] = lambda / 2 * m[i] * m[i];
            want[2][i] = zLambda * c * c + c - m[i];
            want[3][i] = zLambda * m[i] * m[i];
            slope[0][i] = -1 + lambda * m[i];
            slope[1][i] = lambda * m[i];
            slope[2][i] = -1;
            slope[3][i] = 2 * zLambda * m[i];
        }
        int n = m.length - 1;
        for (int a = 0; a < 4; a++) {
            double[] drawn = chartSeries("loss", 9 + a);
            double[] drawnSlope = chartSeries("gradient", 9 + a);
            long points = 0;
            for (int i = 0; i < m.length; i++) {
                if (!Double.isNaN(drawn[i])) {
                    assertEquals(want[a][i], drawn[i], 1e-12 * Math.max(1, Math.abs(want[a][i])), "asymptote " + a + " at m = " + m[i]);
                    points++;
                }
                if (!Double.isNaN(drawnSlope[i])) {
                    assertEquals(slope[a][i], drawnSlope[i], 1e-12, "slope asymptote " + a + " at m = " + m[i]);
                }
            }
            assertTrue(points > 40, "asymptote " + a + " is drawn at " + points + " points");
        }
        // at m = -10 and +10 the curves are within e^-10 of their asymptotes (up to ln(1 + 2 e^-10))
        assertEquals(want[0][0], l2[0][0], 1e-3, "CE + L2 meets its left asymptote");
        assertEquals(want[1][n], l2[0][n], 1e-3, "and its right one");
        assertEquals(want[2][0], zl[0], 1e-2, "CE + z-loss meets its left asymptote");
        assertEquals(want[3][n] + ce[n], zl[n], 1e-2 * want[3][n], "and grows like zLambda m^2 on the right");
        assertTrue(drawnPixels("loss") > 2000 && drawnPixels("gradient") > 2000, "both charts drew their curves");
        assertNoConsoleErrors("losses.html");
        screenshot("losses-asymptotes.png");
    }

    static void setField(String id, String value) {
        WebElement e = driver.findElement(By.id(id));
        if (e.getTagName().equals("select")) {
            new Select(e).selectByValue(value);
        } else {
            e.clear();
            e.sendKeys(value);
        }
    }

    static double number(String css) {
        return Double.parseDouble(text(css));
    }

    @Test
    void trainingStreamsStepsTheLossFallsAndTemperatureScalingIsTheLibrarys() throws IOException {
        open("train.html");
        Map<String, String> form = Map.of("dataset", "blobs", "samples", "200", "model", "mlp", "activation", "tanh",
                "hidden", "8", "lr", "0.5", "batch", "16", "epochs", "8", "seed", "4");
        form.forEach(PlaygroundBrowserTest::setField);
        driver.findElement(By.id("run")).click();
        waitFor("the run's summary", 60, d -> !d.findElements(By.cssSelector("#run-0 .final-logit-norm")).isEmpty());
        int steps = (int) number("#run-0 .steps");
        assertTrue(steps >= 50, "streamed steps: " + steps);
        assertTrue(number("#run-0 .last-loss") < number("#run-0 .first-loss"), "the shown loss falls");
        double[] loss = chartSeries("loss", 1);
        assertEquals(steps, loss.length, "the loss chart drew every step");
        double head = 0;
        double tail = 0;
        for (int i = 0; i < 10; i++) {
            head += loss[i];
            tail += loss[loss.length - 1 - i];
        }
        assertTrue(tail < 0.5 * head, "the drawn loss falls: first ten " + head / 10 + ", last ten " + tail / 10);
        long colours = (Long) js("const c = document.getElementById('regions-0'); const d = c.getContext('2d')"
                + ".getImageData(0, 0, c.width, c.height).data; const s = new Set();"
                + "for (let i = 0; i < d.length; i += 4) s.add(d[i] + ',' + d[i+1] + ',' + d[i+2]); return s.size;");
        assertTrue(colours >= 3, "the decision regions show several classes: " + colours + " colours");
        TIMINGS.put("training page, click to first step drawn", String.format(Locale.ROOT, "%.0f ms",
                ((Number) js("return window.timings.firstStep")).doubleValue()));
        TIMINGS.put("training page, steps streamed per second (blobs, MLP 8 tanh, batch 16, " + steps + " steps)",
                text("#steps-per-second") + " in the page, " + text("#server-steps-per-second") + " by the server, paced by the page");

        driver.findElement(By.id("calibrate")).click();
        waitFor("the fitted temperature", 20, d -> !d.findElements(By.id("fitted-temperature")).isEmpty());
        // the same run straight through the library gives the same T
        Map<String, String> q = new LinkedHashMap<>(form);
        q.put("loss", "ce");
        q.put("l2", "0");
        TrainingLab lab = new TrainingLab(Path.of("none"));
        TrainingLab.Spec spec = TrainingLab.Spec.of(Params.of(q));
        Split split = lab.split(spec);
        Classifier model = TrainingLab.model(spec, 2, 3);
        new Trainer(TrainingLab.config(spec, split)).fit(model, split.train(), split.test());
        double t = TemperatureScaling.fit(model.logits(split.test().features()).castTo(DataType.DOUBLE), split.test().labels())
                .temperature();
        assertEquals(t, number("#fitted-temperature"), 1e-6 * t, "the page's T is TemperatureScaling's");
        assertEquals(TrainingLab.BINS, chartSeries("reliability", 3).length, "the diagram drew the calibrated bins");
        assertTrue(drawnPixels("reliability") > 2000, "and the canvas shows them");
        assertNoConsoleErrors("train.html");
        screenshot("train-calibrated.png");
    }

    /** The same run as the page's form, straight through the library: its recorded steps. */
    static List<GradientDynamics.Step> libraryRun(Map<String, String> form) {
        TrainingLab.Spec spec = TrainingLab.Spec.of(Params.of(form));
        Split split = new TrainingLab(Path.of("none")).split(spec);
        Classifier model = TrainingLab.model(spec, split.train().numFeatures(), split.train().numClasses());
        GradientDynamics dynamics = new GradientDynamics(0.01);
        new Trainer(TrainingLab.config(spec, split)).addListener(dynamics).fit(model, split.train(), split.test());
        return dynamics.steps();
    }

    /** Fills the form, runs, waits for the summary, and checks the drawn loss is the library's run's, step by step. */
    static List<GradientDynamics.Step> runAndCompare(Map<String, String> form) {
        open("train.html");
        form.forEach(PlaygroundBrowserTest::setField);
        driver.findElement(By.id("run")).click();
        waitFor("the run's summary", 60, d -> !d.findElements(By.cssSelector("#run-0 .final-logit-norm")).isEmpty());
        List<GradientDynamics.Step> want = libraryRun(form);
        waitForDrawn("the drawn loss is the library's", "loss", 1, want.stream().mapToDouble(GradientDynamics.Step::loss).toArray());
        assertEquals(want.size(), (int) number("#run-0 .steps"));
        return want;
    }

    @Test
    void aLabelSmoothingRunDrawsTheLibrarysLossAndGradientNormsPerLayer() throws IOException {
        Map<String, String> form = new LinkedHashMap<>(Map.of("dataset", "xor", "samples", "120", "model", "mlp", "activation", "relu",
                "hidden", "8", "loss", "ls", "eps", "0.2", "lr", "0.3", "batch", "16", "epochs", "3"));
        form.put("seed", "3");
        List<GradientDynamics.Step> want = runAndCompare(form);
        @SuppressWarnings("unchecked")
        List<String> labels = (List<String>) js("return window.charts.gradnorm.series.slice(1).map(s => s.label)");
        assertEquals(List.of("run 1: weights of layer 1", "run 1: bias of layer 1", "run 1: weights of layer 2 (output)",
                "run 1: bias of layer 2 (output)"), labels);
        double[] firstLayer = chartSeries("gradnorm", 1);
        double[] outputLayer = chartSeries("gradnorm", 3);
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i).gradientNorms().get("layer0.weight"), firstLayer[i], 1e-12, "layer 1 at step " + i);
            assertEquals(want.get(i).gradientNorms().get("layer1.weight"), outputLayer[i], 1e-12, "layer 2 at step " + i);
        }
        assertTrue(drawnPixels("gradnorm") > 1000, "the chart shows them");
        // no sample saturates in this run: the fraction's axis stays [0, 1] (uPlot's own was 0 to 100)
        assertEquals(0.0, Arrays.stream(chartSeries("saturated", 1)).max().orElseThrow(), 0.0);
        assertEquals(List.of(0.0, 1.0), ((List<?>) js("const y = window.charts.saturated.scales.y; return [y.min, y.max]"))
                .stream().map(v -> ((Number) v).doubleValue()).toList());
        assertNoConsoleErrors("train.html label smoothing");
        screenshot("train-label-smoothing.png");
    }

    @Test
    void aDistillationRunShowsItsTeacherAndDrawsTheLibrarysLoss() throws IOException {
        Map<String, String> form = new LinkedHashMap<>(Map.of("dataset", "separable", "samples", "150", "model", "linear",
                "loss", "distill", "temperature", "2", "alpha", "0.5", "lr", "0.5", "batch", "32", "epochs", "3"));
        form.put("seed", "2");
        runAndCompare(form);
        TrainingLab.Spec spec = TrainingLab.Spec.of(Params.of(form));
        Split split = new TrainingLab(Path.of("none")).split(spec);
        double teacher = TrainingLab.teacher(spec, split).evaluate(split.test()).accuracy();
        assertEquals(teacher, number("#run-0 .teacher-accuracy"), 1e-6, "the teacher's accuracy shown is the library's");
        assertTrue(teacher > 0.8, "a teacher worth learning from: " + teacher);
        @SuppressWarnings("unchecked")
        List<String> labels = (List<String>) js("return window.charts.gradnorm.series.slice(1).map(s => s.label)");
        assertEquals(List.of("run 1: weights of the linear layer", "run 1: bias of the linear layer"), labels);
        assertNoConsoleErrors("train.html distillation");
        screenshot("train-distillation.png");
    }

    @Test
    void stopEndsARunAtTheNextStepAndTheNextRunStarts() throws IOException {
        open("train.html");
        // 1500 training samples in batches of 16 for 200 epochs: 94 x 200 = 18800 steps. The page paces the server (at most
        // 200 steps beyond its last acknowledgement), so the run is still going when Stop is pressed after 30 steps
        Map.of("dataset", "blobs", "samples", "2000", "model", "mlp", "hidden", "8", "lr", "0.5", "batch", "16", "epochs", "200",
                "seed", "7", "loss", "ce", "l2", "0").forEach(PlaygroundBrowserTest::setField);
        WebElement stop = driver.findElement(By.id("stop"));
        assertFalse(stop.isEnabled(), "nothing to stop yet");
        driver.findElement(By.id("run")).click();
        waitFor("30 steps streamed", 30, d -> ((Number) js("const r = window.runs(); return r.length ? r[0].steps.length : 0")).intValue() >= 30);
        int before = ((Number) js("return window.runs()[0].steps.length")).intValue();
        assertTrue(stop.isEnabled(), "Stop is enabled while the run trains");
        stop.click();
        waitFor("the run's end", 30, d -> !d.findElements(By.cssSelector("#run-0 .stopped-steps, #run-0 .final-logit-norm")).isEmpty());
        assertFalse(driver.findElements(By.cssSelector("#run-0 .stopped-steps")).isEmpty(), "the run was stopped, not finished: " + text("#run-0"));
        int steps = (int) number("#run-0 .stopped-steps");
        assertTrue(steps >= before && steps < 18800, "stopped after " + steps + " of 18800 steps");
        // unpaced, the server was 5000 to 12000 steps ahead of the page when Stop arrived (measured here at load 11-17)
        assertTrue(steps < before + 4000, "paced: stopped at step " + steps + ", the page had " + before + " when Stop was pressed");
        assertTrue(text("#run-0").endsWith("of 18800 steps"), text("#run-0"));
        waitFor("every step sent is drawn", 30, d -> chartSeries("loss", 1).length == steps);
        TIMINGS.put("training page, Stop pressed at step (page) / run stopped at step (server)", before + " / " + steps);
        assertFalse(stop.isEnabled(), "nothing left to stop");
        screenshot("train-stopped.png");
        // the slot is free: a short run starts and ends at once
        setField("epochs", "2");
        driver.findElement(By.id("run")).click();
        waitFor("the next run's summary", 30, d -> !d.findElements(By.cssSelector("#run-0 .final-logit-norm")).isEmpty());
        assertEquals(188, (int) number("#run-0 .steps"), "94 steps in each of 2 epochs");
        assertNoConsoleErrors("train.html stop");
    }

    @Test
    void logitL2OverlayEndsBelowHalfThePlainRunsLogitNorm() throws IOException {
        open("train.html");
        Map.of("dataset", "separable", "samples", "200", "model", "linear", "lr", "1", "batch", "32", "epochs", "30",
                "seed", "1", "loss", "ce", "pair-lambda", "0.1").forEach(PlaygroundBrowserTest::setField);
        driver.findElement(By.id("pair")).click();
        waitFor("both runs' summaries", 60, d -> d.findElements(By.cssSelector(".final-logit-norm")).size() == 2);
        double plain = number("#run-0 .final-logit-norm");
        double penalised = number("#run-1 .final-logit-norm");
        assertTrue(penalised < 0.5 * plain, "final logit norm with LogitL2 " + penalised + ", plain " + plain);
        double[] plainDrawn = chartSeries("logitnorm", 1);
        double[] penalisedDrawn = chartSeries("logitnorm", 2);
        // the text shows 6 significant digits of the same numbers the chart drew
        assertEquals(plain, plainDrawn[plainDrawn.length - 1], 1e-5 * plain, "the overlay chart drew the plain run");
        assertEquals(penalised, penalisedDrawn[penalisedDrawn.length - 1], 1e-5 * penalised, "and the penalised one beside it");
        assertTrue(plainDrawn[plainDrawn.length - 1] > plainDrawn[plainDrawn.length / 4], "the plain run's logits keep growing");
        TIMINGS.put("training page, longest gap between two step events (ms)", String.valueOf(js("const a = window.runs()[1].arrivals;"
                + "return Math.max(...a.slice(1).map((v, i) => v - a[i])).toFixed(0);")));
        TIMINGS.put("training page, steps streamed per second (separable, linear, batch 32, 150 steps)",
                text("#steps-per-second") + " in the page, " + text("#server-steps-per-second") + " by the server, paced by the page");
        assertNoConsoleErrors("train.html overlay");
        screenshot("train-overlay.png");
    }

    @Test
    void aNotebookRunsInTheServersProcessAndItsClaimsShow() throws IOException {
        open("notebooks.html");
        waitFor("the notebook index", 10, d -> d.findElements(By.cssSelector("#index button")).size() > 1);
        driver.findElement(By.cssSelector("#index button[data-name='shift-invariance']")).click();
        waitFor("the notebook's verdict", 60, d -> !d.findElements(By.id("verdict")).isEmpty());
        assertEquals("every claim holds", text("#verdict"));
        List<WebElement> claims = driver.findElements(By.cssSelector("li.claim"));
        assertTrue(claims.size() >= 2, "claims shown: " + claims.size());
        String output = text("#output");
        for (WebElement c : claims) {
            // each shown claim is "✓ statement (evidence)"; its printed line is "CLAIM HOLDS: statement (evidence)"
            assertTrue(output.contains("CLAIM HOLDS: " + c.getText().substring(2)), "the streamed output has " + c.getText());
        }
        assertTrue(text("#nb-shift-invariance .files").contains("report.md"), "the report's files are linked");
        assertEquals("every report in the output folder (index.html)", text("#all-reports a"));
        // the new report page is shown below, and it shows the same claims, ticked
        WebElement frame = driver.findElement(By.id("report"));
        assertTrue(frame.getAttribute("src").endsWith("/reports/shift-invariance/report.html"), frame.getAttribute("src"));
        js("arguments[0].scrollIntoView()", frame);
        driver.switchTo().frame(frame);
        try {
            waitFor("the report page's claims", 10, d -> d.findElements(By.cssSelector(".claim .statement")).size() == claims.size());
            assertEquals(claims.size() + " of " + claims.size() + " claims hold", text(".summary"));
            assertEquals(claims.size(), driver.findElements(By.cssSelector(".claim.holds")).size());
            List<WebElement> statements = driver.findElements(By.cssSelector(".claim .statement"));
            assertTrue(statements.get(0).getText().length() > 10, "a claim's statement is rendered: " + statements.get(0).getText());
            assertTrue(driver.findElements(By.cssSelector("math")).size() > 0, "equations are typeset as MathML");
        } finally {
            driver.switchTo().defaultContent();
        }
        screenshot("notebooks.png");
        driver.navigate().refresh();
        waitFor("the server still serves after the run", 10, d -> d.findElements(By.cssSelector("#index button")).size() > 1);
        // the index now opens the last report of the notebook
        driver.findElement(By.cssSelector("#nb-shift-invariance a.report")).click();
        waitFor("the report shown from the index", 10, d -> text("#report-title").equals("report of shift-invariance"));
        assertNoConsoleErrors("notebooks.html");
    }

    @Test
    void aRefusedSettingShowsTheServersMessage() throws IOException {
        open("train.html");
        setField("epochs", "100000");
        driver.findElement(By.id("run")).click();
        waitFor("the error message", 10, d -> text("#error").contains("epochs must be an integer in [1, 500], got 100000"));
        assertTrue(text("#error").contains("epochs must be an integer in [1, 500], got 100000"), text("#error"));
        screenshot("train-refused.png");
    }
}
