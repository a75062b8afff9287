package dev.softgrad.examples.playground;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softgrad.core.Losses;
import dev.softgrad.core.SoftmaxCrossEntropy;
import dev.softgrad.core.Tensor;
import dev.softgrad.datasets.Split;
import dev.softgrad.nn.Classifier;
import dev.softgrad.nn.GradientDynamics;
import dev.softgrad.nn.Trainer;
import dev.softgrad.nn.calibration.TemperatureScaling;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The playground's JSON API and its event stream, over HTTP against a server on a free port: every
 * number equals the library's own call to 1e-12, a bad request gets 400 with the library's message,
 * sizes are bounded, and the server listens on the loopback address only.
 */
class PlaygroundApiTest {
    static final double TOL = 1e-12;
    @TempDir
    static Path out;
    static PlaygroundServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        server = PlaygroundServer.start(0, out, Path.of("../../shared/datasets"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Status and parsed JSON of a POST. */
    record Answer(int status, JsonNode json) {
    }

    static Answer post(String api, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "api/" + api))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), PlaygroundServer.JSON.readTree(r.body()));
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).isTextual() ? Double.parseDouble(a.get(i).asText()) : a.get(i).asDouble();
        }
        return d;
    }

    static double[] row(Tensor t) {
        return t.value().castTo(DataType.DOUBLE).reshape(t.value().length()).toDoubleVector();
    }

    /** The message the library throws for a call. */
    static String libraryMessage(Runnable call) {
        return assertThrows(IllegalArgumentException.class, call::run).getMessage();
    }

    @Test
    void bindsTheLoopbackAddressOnly() throws Exception {
        assertTrue(server.address().getAddress().isLoopbackAddress(), server.address().toString());
        assertEquals("127.0.0.1", server.address().getAddress().getHostAddress());
        int port = server.address().getPort();
        List<InetAddress> others = new ArrayList<>();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (!a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    others.add(a);
                }
            }
        }
        for (InetAddress a : others) {
            try (Socket s = new Socket()) {
                assertThrows(ConnectException.class, () -> s.connect(new InetSocketAddress(a, port), 2000),
                        "the playground answered on " + a);
            }
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            assertTrue(s.isConnected());
        }
    }

    @Test
    void softmaxAnswersWhatTheLibraryComputes() throws Exception {
        double[] z = {3.5, -1.25, 0.5, 2.0, 0.0};
        double tau = 0.7;
        int label = 3;
        JsonNode r = post("softmax", "{\"logits\":[3.5,-1.25,0.5,2.0,0.0],\"tau\":0.7,\"label\":3}").json();
        Tensor zt = Tensor.parameter(Tensor.fromRows(new double[][] {z}, DataType.DOUBLE).value());
        double[] p = row(Losses.softmax(Tensor.constant(zt.value()), tau));
        double[] logp = row(Losses.logSoftmax(Tensor.constant(zt.value()), tau));
        Tensor ce = Losses.crossEntropy(zt, new int[] {label}, SoftmaxCrossEntropy.Options.DEFAULT.withTemperature(tau));
        ce.backward();
        assertArrayEquals(p, doubles(r.get("p")), TOL);
        assertArrayEquals(logp, doubles(r.get("logp")), TOL);
        double h = 0;
        for (int j = 0; j < p.length; j++) {
            h -= p[j] * logp[j];
        }
        assertEquals(h, r.get("entropy").asDouble(), TOL);
        assertEquals(Math.log(5), r.get("entropyMax").asDouble(), TOL);
        assertEquals(ce.item(), r.get("crossEntropy").asDouble(), TOL);
        // the gradient is (p - y) / tau: the closed form, not only the library's backward
        double[] g = doubles(r.get("gradient"));
        for (int j = 0; j < p.length; j++) {
            assertEquals((p[j] - (j == label ? 1 : 0)) / tau, g[j], TOL, "gradient " + j);
        }
        double[] eig = doubles(r.get("hessianEigenvalues"));
        assertEquals(0.0, eig[0], TOL, "one eigenvalue is 0");
        assertTrue(eig[1] > 1e-6, "only one: " + eig[1]);
        double trace = 0;
        double[][] hess = SoftmaxCrossEntropy.hessian(z, tau);
        for (int j = 0; j < z.length; j++) {
            trace += hess[j][j];
        }
        assertEquals(trace, java.util.Arrays.stream(eig).sum(), 1e-12, "the eigenvalues sum to the trace");
        assertArrayEquals(new double[5], doubles(r.get("hessianTimesOnes")), TOL);
        double[] stable32 = row(Losses.softmax(Tensor.fromRows(new double[][] {z}, DataType.FLOAT), tau));
        assertArrayEquals(stable32, doubles(r.get("float32").get("stable")), 0.0);
        assertArrayEquals(p, doubles(r.get("float32").get("naive")), 1e-6, "the naive formula is right where it does not overflow");
    }

    @Test
    void float32NaiveSoftmaxOverflowsWhereSoftgradsDoesNot() throws Exception {
        JsonNode r = post("softmax", "{\"logits\":[95,90,30],\"tau\":1,\"label\":0}").json();
        double[] naive = doubles(r.get("float32").get("naive"));
        double[] stable = doubles(r.get("float32").get("stable"));
        assertTrue(Double.isNaN(naive[0]) && Double.isNaN(naive[1]), "exp(95) overflows float32: " + java.util.Arrays.toString(naive));
        double[] p = row(Losses.softmax(Tensor.fromRows(new double[][] {{95, 90, 30}}, DataType.FLOAT), 1.0));
        assertArrayEquals(p, stable, 0.0);
        assertEquals(1.0 / (1 + Math.exp(-5) + Math.exp(-65)), stable[0], 1e-7);
    }

    @Test
    void lossesAgainstTheMarginAreTheLibrarysWithTheirGradients() throws Exception {
        JsonNode r = post("losses", "{\"k\":4,\"eps\":0.2,\"lambda\":0.03,\"zLambda\":0.01,\"mMin\":-6,\"mMax\":6,\"points\":13}").json();
        double[] m = doubles(r.get("margin"));
        assertEquals(13, m.length);
        for (int i = 0; i < m.length; i++) {
            assertEquals(-6 + i, m[i], TOL);
            Tensor z = Tensor.parameter(Tensor.fromRows(new double[][] {{m[i], 0, 0, 0}}, DataType.DOUBLE).value());
            Tensor ls = Losses.labelSmoothing(z, new int[] {0}, 0.2);
            ls.backward();
            assertEquals(ls.item(), doubles(r.get("loss").get("labelSmoothing"))[i], TOL);
            assertEquals(z.grad().getDouble(0, 0), doubles(r.get("gradient").get("labelSmoothing"))[i], TOL);
            // closed forms: CE = ln(1 + 3 e^-m), dCE/dm = p_y - 1; + LogitL2 adds 0.03/2 m^2 and 0.03 m
            double ce = Math.log(1 + 3 * Math.exp(-m[i]));
            double py = 1 / (1 + 3 * Math.exp(-m[i]));
            assertEquals(ce, doubles(r.get("loss").get("crossEntropy"))[i], 1e-12);
            assertEquals(py - 1, doubles(r.get("gradient").get("crossEntropy"))[i], 1e-12);
            assertEquals(ce + 0.015 * m[i] * m[i], doubles(r.get("loss").get("logitL2"))[i], 1e-12);
            assertEquals(py - 1 + 0.03 * m[i], doubles(r.get("gradient").get("logitL2"))[i], 1e-12);
            double lse = Math.log(Math.exp(m[i]) + 3);
            assertEquals(ce + 0.01 * lse * lse, doubles(r.get("loss").get("zLoss"))[i], 1e-12);
        }
        // far out, the curves meet their asymptotes
        JsonNode far = post("losses", "{\"k\":4,\"eps\":0.2,\"mMin\":-40,\"mMax\":40,\"points\":2}").json();
        JsonNode a = far.get("asymptotes");
        assertEquals(doubles(a.get("crossEntropy").get("left"))[0], doubles(far.get("loss").get("crossEntropy"))[0], 1e-12);
        assertEquals(doubles(a.get("labelSmoothing").get("left"))[0], doubles(far.get("loss").get("labelSmoothing"))[0], 1e-12);
        assertEquals(doubles(a.get("labelSmoothing").get("right"))[1], doubles(far.get("loss").get("labelSmoothing"))[1], 1e-12);
        assertEquals(doubles(a.get("labelSmoothing").get("gradientRight"))[1], doubles(far.get("gradient").get("labelSmoothing"))[1], 1e-12);
        // label smoothing's minimum: its gradient changes sign at m* = ln(1 + K (1 - eps) / eps)
        double mStar = a.get("labelSmoothingMinimum").asDouble();
        assertEquals(Math.log(1 + 4 * 0.8 / 0.2), mStar, TOL);
        JsonNode around = post("losses", "{\"k\":4,\"eps\":0.2,\"mMin\":" + (mStar - 1e-3) + ",\"mMax\":" + (mStar + 1e-3) + ",\"points\":2}").json();
        double[] slope = doubles(around.get("gradient").get("labelSmoothing"));
        assertTrue(slope[0] < 0 && slope[1] > 0, java.util.Arrays.toString(slope));
    }

    @Test
    void badRequestsGet400WithTheLibrarysMessage() throws Exception {
        Tensor two = Tensor.fromRows(new double[][] {{1, 2}}, DataType.DOUBLE);
        String tauMessage = libraryMessage(() -> Losses.crossEntropy(two, new int[] {0},
                SoftmaxCrossEntropy.Options.DEFAULT.withTemperature(-1)));
        Answer a = post("softmax", "{\"logits\":[1,2],\"tau\":-1}");
        assertEquals(400, a.status());
        assertEquals(tauMessage, a.json().get("error").asText());
        String nanMessage = libraryMessage(() -> Losses.crossEntropy(Tensor.fromRows(new double[][] {{1, Double.NaN}},
                DataType.DOUBLE), new int[] {0}, SoftmaxCrossEntropy.Options.DEFAULT));
        a = post("softmax", "{\"logits\":[1,NaN]}");
        assertEquals(400, a.status());
        assertEquals(nanMessage, a.json().get("error").asText());
        String epsMessage = libraryMessage(() -> Losses.labelSmoothing(two, new int[] {0}, 1.5));
        a = post("losses", "{\"eps\":1.5}");
        assertEquals(400, a.status());
        assertEquals(epsMessage, a.json().get("error").asText());

        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("{\"logits\":[]}", "logits must hold one number per class, for K = 2..10 classes, got 0 numbers");
        refused.put("{\"logits\":[3]}", "logits must hold one number per class, for K = 2..10 classes, got 1 number");
        refused.put("{\"logits\":[1,2,3,4,5,6,7,8,9,10,11]}", "logits must hold one number per class, for K = 2..10 classes, got 11 numbers");
        refused.put("{\"logits\":[1,2],\"label\":2}", libraryMessage(() -> Losses.crossEntropy(two, new int[] {2})));
        refused.put("{\"logits\":[1,2],\"label\":-1}", libraryMessage(() -> Losses.crossEntropy(two, new int[] {-1})));
        refused.put("{\"logits\":[1,2],\"label\":0.5}", "label must be an integer in [");
        refused.put("{\"logits\":[1,\"x\"]}", "logits[1] must be a number, got 'x'");
        refused.put("[1,2]", "the request body must be a JSON object, got ARRAY");
        refused.put("{\"logits\":[1,2", "malformed JSON");
        for (Map.Entry<String, String> e : refused.entrySet()) {
            a = post("softmax", e.getKey());
            assertEquals(400, a.status(), e.getKey());
            assertTrue(a.json().get("error").asText().startsWith(e.getValue()), e.getKey() + " -> " + a.json());
        }
        a = post("losses", "{\"points\":100000}");
        assertEquals(400, a.status());
        assertEquals("points must be an integer in [2, 1001], got 100000", a.json().get("error").asText());
        a = post("softmax", "{\"logits\":[" + "1,".repeat(PlaygroundServer.MAX_BODY / 2) + "1]}");
        assertEquals(400, a.status());
        assertTrue(a.json().get("error").asText().contains("at most " + PlaygroundServer.MAX_BODY + " bytes"), a.json().toString());
        HttpResponse<String> r = get("api/train?epochs=100000");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("epochs must be an integer in [1, 500], got 100000"), r.body());
        r = get("api/train?samples=2000&batch=1&epochs=500");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("at most " + TrainingLab.MAX_STEPS), r.body());
        r = get("api/train?lr=NaN");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("Sgd: lr must be a finite number"), r.body());
        assertEquals(404, get("api/nothing").statusCode());
        assertEquals(404, get("../../etc/passwd").statusCode());
        assertEquals(404, get("reports/temperature/..%2F..%2Fsecret.md").statusCode());
        assertEquals(400, get("api/notebooks/run?name=no-such").statusCode(), "an unknown notebook is refused before the stream");
    }

    /** The events of a stream: (name, data) in order. */
    static List<Map.Entry<String, JsonNode>> events(String body) throws IOException {
        List<Map.Entry<String, JsonNode>> list = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            if (block.isBlank()) {
                continue;
            }
            String[] lines = block.split("\n", 2);
            assertTrue(lines[0].startsWith("event: ") && lines[1].startsWith("data: "), block);
            list.add(Map.entry(lines[0].substring(7), PlaygroundServer.JSON.readTree(lines[1].substring(6))));
        }
        return list;
    }

    @Test
    void trainingStreamsEveryStepOfTheLibrarysOwnRun() throws Exception {
        String query = "dataset=xor&samples=120&model=mlp&activation=relu&hidden=8&loss=ls&eps=0.1&l2=0.01&lr=0.3&batch=16&epochs=4&seed=3";
        HttpResponse<String> r = get("api/train?" + query);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<Map.Entry<String, JsonNode>> ev = events(r.body());
        assertEquals("start", ev.get(0).getKey());
        assertEquals("end", ev.get(ev.size() - 1).getKey());
        List<JsonNode> steps = ev.stream().filter(e -> e.getKey().equals("step")).map(Map.Entry::getValue).toList();
        assertEquals(ev.get(0).getValue().get("steps").asInt(), steps.size());
        assertTrue(ev.stream().filter(e -> e.getKey().equals("regions")).count() >= 2, "regions before and during training");

        // the same run, straight through the library
        TrainingLab lab = new TrainingLab(Path.of("none"));
        Map<String, String> q = new LinkedHashMap<>();
        for (String kv : query.split("&")) {
            q.put(kv.split("=")[0], kv.split("=")[1]);
        }
        TrainingLab.Spec spec = TrainingLab.Spec.of(Params.of(q));
        Split split = lab.split(spec);
        Classifier model = TrainingLab.model(spec, 2, 2);
        GradientDynamics dyn = new GradientDynamics(0.01);
        new Trainer(TrainingLab.config(spec, split)).addListener(dyn).fit(model, split.train(), split.test());
        assertEquals(dyn.steps().size(), steps.size());
        for (int i = 0; i < steps.size(); i++) {
            GradientDynamics.Step want = dyn.steps().get(i);
            JsonNode got = steps.get(i);
            assertEquals(want.step(), got.get("step").asLong());
            assertEquals(want.loss(), got.get("loss").asDouble(), TOL, "loss at step " + i);
            assertEquals(want.logitNorm(), got.get("logitNorm").asDouble(), TOL);
            assertEquals(want.entropy(), got.get("entropy").asDouble(), TOL);
            assertEquals(want.margin(), got.get("margin").asDouble(), TOL);
            assertEquals(want.saturatedFraction(), got.get("saturatedFraction").asDouble(), TOL);
            for (Map.Entry<String, Double> g : want.gradientNorms().entrySet()) {
                assertEquals(g.getValue(), got.get("gradientNorms").get(g.getKey()).asDouble(), TOL, g.getKey());
            }
        }
        JsonNode end = ev.get(ev.size() - 1).getValue();
        assertEquals(dyn.steps().get(dyn.steps().size() - 1).logitNorm(), end.get("finalLogitNorm").asDouble(), TOL);

        // the temperature button: TemperatureScaling on the same validation logits
        INDArray logits = model.logits(split.test().features()).castTo(DataType.DOUBLE);
        TemperatureScaling.Result fit = TemperatureScaling.fit(logits, split.test().labels());
        JsonNode cal = post("calibrate", "{\"run\":" + end.get("run").asLong() + "}").json();
        assertEquals(fit.temperature(), cal.get("temperature").asDouble(), TOL);
        assertEquals(fit.nllAfter(), cal.get("nllAfter").asDouble(), TOL);
        assertTrue(cal.get("nllAfter").asDouble() <= cal.get("nllBefore").asDouble());
        assertEquals(TrainingLab.BINS, cal.get("after").get("bins").size());
        Answer unknown = post("calibrate", "{\"run\":999999}");
        assertEquals(400, unknown.status());
        assertTrue(unknown.json().get("error").asText().startsWith("run must be a finished run"), unknown.json().toString());
    }

    @Test
    void distillationTrainsAStudentFromAnMlpTeacher() throws Exception {
        HttpResponse<String> r = get("api/train?dataset=spirals&samples=150&model=linear&loss=distill&temperature=2&alpha=0.5&epochs=3&batch=32&seed=2");
        assertEquals(200, r.statusCode());
        List<Map.Entry<String, JsonNode>> ev = events(r.body());
        assertEquals("DISTILLATION", ev.get(0).getValue().get("loss").get("kind").asText());
        JsonNode teacher = ev.get(1).getValue();
        assertEquals("teacher", ev.get(1).getKey());
        // the teacher is TrainingLab.teacher's MLP: the same seed gives the same accuracy
        Map<String, String> q = Map.of("dataset", "spirals", "samples", "150", "seed", "2");
        TrainingLab.Spec spec = TrainingLab.Spec.of(Params.of(q));
        Split split = new TrainingLab(Path.of("none")).split(spec);
        assertEquals(TrainingLab.teacher(spec, split).evaluate(split.test()).accuracy(), teacher.get("validationAccuracy").asDouble(), TOL);
        assertEquals("end", ev.get(ev.size() - 1).getKey());
    }

    @Test
    void aDivergedRunEndsWithTheTrainersMessage() throws Exception {
        HttpResponse<String> r = get("api/train?dataset=blobs&samples=60&model=mlp&activation=relu&lr=1e30&epochs=2&batch=60");
        assertEquals(200, r.statusCode(), "the stream had started");
        List<Map.Entry<String, JsonNode>> ev = events(r.body());
        Map.Entry<String, JsonNode> last = ev.get(ev.size() - 1);
        assertEquals("error", last.getKey(), r.body());
        assertTrue(last.getValue().get("message").asText().startsWith("fit: training diverged"), last.getValue().toString());
    }

    /** What {@link #follow} hands each event of a stream as it arrives. */
    interface EventHandler {
        void on(String event, JsonNode data) throws Exception;
    }

    /** Reads a stream of server-sent events as they arrive, handing each to the handler; returns the last one. */
    static Map.Entry<String, JsonNode> follow(String path, EventHandler handler) throws Exception {
        HttpResponse<java.util.stream.Stream<String>> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        String event = null;
        Map.Entry<String, JsonNode> last = null;
        for (java.util.Iterator<String> lines = r.body().iterator(); lines.hasNext();) {
            String line = lines.next();
            if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ")) {
                last = Map.entry(event, PlaygroundServer.JSON.readTree(line.substring(6)));
                handler.on(event, last.getValue());
            }
        }
        return last;
    }

    @Test
    void aRunStopsAtTheNextStepWhenAskedAndFreesTheSlot() throws Exception {
        // a run of 2000 steps, read event by event
        long[] run = {-1, -1, 0}; // id, total steps, steps seen
        Map.Entry<String, JsonNode> last = follow("api/train?dataset=blobs&samples=300&model=mlp&hidden=8&epochs=500&batch=64&seed=7",
                (event, d) -> {
                    if (event.equals("start")) {
                        run[0] = d.get("run").asLong();
                        run[1] = d.get("steps").asLong();
                    } else if (event.equals("step") && ++run[2] == 20) {
                        Answer stop = post("train/stop", "{\"run\":" + run[0] + "}");
                        assertEquals(200, stop.status(), stop.json().toString());
                        assertTrue(stop.json().get("stopping").asBoolean());
                    }
                });
        long stepsSeen = run[2];
        assertEquals(2000, run[1]);
        assertEquals("stopped", last.getKey(), "the stream ends with 'stopped'");
        assertEquals(run[0], last.getValue().get("run").asLong());
        assertEquals(stepsSeen, last.getValue().get("steps").asInt(), "every step taken was sent");
        assertTrue(stepsSeen >= 20 && stepsSeen < 200, "stopped soon after it was asked: " + stepsSeen + " steps");
        // the slot is free: the next run trains at once and ends normally
        List<Map.Entry<String, JsonNode>> next = events(get("api/train?dataset=blobs&samples=60&model=linear&epochs=1&batch=60").body());
        assertEquals("end", next.get(next.size() - 1).getKey());
        Answer finished = post("train/stop", "{\"run\":" + run[0] + "}");
        assertEquals(200, finished.status());
        assertFalse(finished.json().get("stopping").asBoolean(), "a run no longer training is not stopping");
        Answer unknown = post("train/stop", "{\"run\":999999}");
        assertEquals(400, unknown.status());
        assertTrue(unknown.json().get("error").asText().startsWith("run must be a run of this server"), unknown.json().toString());
    }

    @Test
    void aPacedRunSendsAtMostItsWindowBeyondThePagesAcknowledgement() throws Exception {
        long[] run = {-1, 0}; // id, steps seen
        Map.Entry<String, JsonNode> last = follow("api/train?dataset=blobs&samples=300&model=linear&epochs=100&batch=64&seed=7&window=10",
                (event, d) -> {
                    if (event.equals("start")) {
                        run[0] = d.get("run").asLong();
                    } else if (event.equals("step") && ++run[1] == 10) {
                        // no acknowledgement yet: the run waits; nothing more comes for a while
                        Thread.sleep(300);
                        assertEquals(10, trainingSteps(run[0]), "the run waits after its window of 10 steps");
                        Answer ack = post("train/ack", "{\"run\":" + run[0] + ",\"steps\":5}");
                        assertEquals(200, ack.status(), ack.json().toString());
                        assertTrue(ack.json().get("training").asBoolean());
                    } else if (event.equals("step") && run[1] == 15) {
                        Thread.sleep(300);
                        assertEquals(15, trainingSteps(run[0]), "after the page acknowledged 5, five more steps, then it waits again");
                        assertTrue(post("train/stop", "{\"run\":" + run[0] + "}").json().get("stopping").asBoolean());
                    }
                });
        assertEquals("stopped", last.getKey(), "a waiting run stops when asked");
        assertEquals(15, last.getValue().get("steps").asInt());
        assertEquals(400, post("train/ack", "{\"run\":999999,\"steps\":1}").status());
    }

    /** The steps a run in training has sent, as the lab counts them. */
    static long trainingSteps(long run) {
        return server.training().stepsSent(run);
    }

    @Test
    void digitsAreReadFromTheSharedDataFolder() throws Exception {
        Path shared = Path.of("../../shared/datasets");
        boolean present = Files.isRegularFile(shared.resolve("digits.csv.gz")) || Files.isRegularFile(shared.resolve("digits.csv"));
        if (!present) {
            System.err.println("digits test skipped: no digits.csv(.gz) in " + shared.toAbsolutePath());
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(present, "skipped: no digits.csv(.gz) in " + shared.toAbsolutePath());
        List<Map.Entry<String, JsonNode>> ev = events(get("api/train?dataset=digits&model=linear&epochs=3&batch=64&lr=0.1&seed=1").body());
        JsonNode start = ev.get(0).getValue();
        assertEquals(64, start.get("features").asInt(), "8 x 8 pixels");
        assertEquals(10, start.get("classes").size());
        assertEquals(1797, start.get("trainSize").asInt() + start.get("validationSize").asInt());
        assertEquals("end", ev.get(ev.size() - 1).getKey(), ev.get(ev.size() - 1).toString());
        assertEquals(start.get("steps").asInt(), ev.stream().filter(e -> e.getKey().equals("step")).count());
        assertTrue(ev.stream().noneMatch(e -> e.getKey().equals("regions")), "no regions for 64-D data");
        JsonNode lastEpoch = ev.stream().filter(e -> e.getKey().equals("epoch")).reduce((a, b) -> b).orElseThrow().getValue();
        assertTrue(lastEpoch.get("validationAccuracy").asDouble() > 0.85, lastEpoch.toString());
    }

    @Test
    void irisIsReadFromTheSharedDataFolder() throws Exception {
        Path shared = Path.of("../../shared/datasets/iris.csv");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(shared), "skipped: " + shared.toAbsolutePath() + " is absent");
        List<Map.Entry<String, JsonNode>> ev = events(get("api/train?dataset=iris&model=mlp&epochs=30&batch=16&lr=0.1&seed=1").body());
        JsonNode start = ev.get(0).getValue();
        assertEquals(4, start.get("features").asInt());
        assertEquals(150, start.get("trainSize").asInt() + start.get("validationSize").asInt());
        assertTrue(ev.stream().noneMatch(e -> e.getKey().equals("regions")), "no regions for 4-D data");
        JsonNode lastEpoch = ev.stream().filter(e -> e.getKey().equals("epoch")).reduce((a, b) -> b).orElseThrow().getValue();
        assertTrue(lastEpoch.get("validationAccuracy").asDouble() > 0.85, lastEpoch.toString());
    }

    @Test
    void decisionRegionsAreTheModelsPredictions() throws Exception {
        HttpResponse<String> r = get("api/train?dataset=blobs&samples=90&model=linear&epochs=2&batch=90&seed=5");
        List<Map.Entry<String, JsonNode>> ev = events(r.body());
        JsonNode first = ev.stream().filter(e -> e.getKey().equals("regions")).findFirst().orElseThrow().getValue();
        assertEquals(-1, first.get("epoch").asInt());
        assertEquals(TrainingLab.GRID * TrainingLab.GRID, first.get("classes").size());
        // before training a zero-initialised linear model gives every class 1/3: all argmax ties go to class 0
        for (JsonNode c : first.get("classes")) {
            assertEquals(0, c.asInt());
        }
        JsonNode last = ev.stream().filter(e -> e.getKey().equals("regions")).reduce((a, b) -> b).orElseThrow().getValue();
        assertEquals(1, last.get("epoch").asInt());
        long distinct = java.util.stream.StreamSupport.stream(last.get("classes").spliterator(), false).mapToInt(JsonNode::asInt).distinct().count();
        assertEquals(3, distinct, "after training the three blobs each have a region");
    }

    @Test
    void notebooksRunInTheServersProcessAndTheirReportsAreServed() throws Exception {
        JsonNode index = PlaygroundServer.JSON.readTree(get("api/notebooks").body()).get("notebooks");
        assertEquals(dev.softgrad.examples.Examples.ALL.size(), index.size());
        Answer run = post("notebooks/run", "{\"name\":\"shift-invariance\",\"quick\":true}");
        assertEquals(200, run.status(), run.json().toString());
        assertTrue(run.json().get("ok").asBoolean(), run.json().toString());
        assertFalse(run.json().get("claims").isEmpty());
        for (JsonNode c : run.json().get("claims")) {
            assertTrue(c.get("holds").asBoolean(), c.toString());
            assertTrue(run.json().get("output").asText().contains("CLAIM HOLDS: " + c.get("statement").asText()));
        }
        assertTrue(Files.isRegularFile(out.resolve("shift-invariance").resolve("report.md")));
        String reportUrl = "reports/shift-invariance/report.md";
        boolean listed = false;
        for (JsonNode f : run.json().get("files")) {
            listed |= f.asText().equals("/" + reportUrl);
        }
        assertTrue(listed, run.json().get("files").toString());
        HttpResponse<String> report = get(reportUrl);
        assertEquals(200, report.statusCode());
        assertEquals(Files.readString(out.resolve("shift-invariance").resolve("report.md")), report.body());
        assertEquals(400, post("notebooks/run", "{\"name\":\"no-such\"}").status());
        assertEquals(200, get("api/notebooks").statusCode(), "the server still answers after a notebook ran");

        // the HTML report and the output folder's index, served with a policy that allows no script
        assertEquals("/reports/shift-invariance/report.html", run.json().get("report").asText());
        HttpResponse<String> html = get("reports/shift-invariance/report.html");
        assertEquals(200, html.statusCode());
        assertEquals(Files.readString(out.resolve("shift-invariance").resolve("report.html")), html.body());
        assertTrue(html.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String policy = html.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.startsWith("default-src 'none'") && !policy.contains("script-src"), policy);
        JsonNode after = PlaygroundServer.JSON.readTree(get("api/notebooks").body());
        assertEquals("/reports/index.html", after.get("index").asText());
        HttpResponse<String> all = get("reports/index.html");
        assertEquals(200, all.statusCode());
        assertTrue(all.body().contains("href=\"shift-invariance/report.html\""), "the index links the report relative to /reports/");
        assertTrue(html.body().contains("href=\"../index.html\""), "and the report links back to it");
    }

    @Test
    void reportsAreServedOnlyFromFoldersOfTheOutputFolder() throws Exception {
        Path folder = Files.createDirectories(out.resolve("paths"));
        Files.writeString(folder.resolve("report.html"), "<p>inside</p>");
        Files.writeString(folder.resolve("secret.txt"), "not a served kind");
        Files.writeString(folder.resolve(".hidden.html"), "hidden");
        Path outside = Files.createTempDirectory("outside");
        Files.writeString(outside.resolve("leak.html"), "outside");
        Files.createSymbolicLink(folder.resolve("leak.html"), outside.resolve("leak.html"));
        Files.createSymbolicLink(out.resolve("linked"), outside);
        try {
            assertEquals("<p>inside</p>", get("reports/paths/report.html").body());
            for (String bad : List.of("reports/paths/secret.txt", "reports/paths/.hidden.html", "reports/paths/leak.html",
                "reports/linked/leak.html", "reports/paths/%2e%2e/paths/report.html",
                "reports/paths/sub/report.html", "reports/..%2Fpaths/report.html", "reports/paths", "reports/nothing/report.html")) {
                assertEquals(404, get(bad).statusCode(), bad);
            }
        } finally {
            Files.delete(folder.resolve("leak.html"));
            Files.delete(out.resolve("linked"));
            Files.delete(outside.resolve("leak.html"));
            Files.delete(outside);
        }
    }

    @Test
    void aNotebooksOutputStreamsLineByLineThenItsClaims() throws Exception {
        HttpResponse<String> r = get("api/notebooks/run?name=temperature&quick=true");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<Map.Entry<String, JsonNode>> ev = events(r.body());
        Map.Entry<String, JsonNode> end = ev.get(ev.size() - 1);
        assertEquals("end", end.getKey(), r.body());
        assertTrue(end.getValue().get("ok").asBoolean(), end.getValue().toString());
        List<String> lines = ev.subList(0, ev.size() - 1).stream().peek(e -> assertEquals("line", e.getKey()))
                .map(e -> e.getValue().get("text").asText()).toList();
        assertTrue(lines.get(0).startsWith("== "), "the notebook's title comes first: " + lines.get(0));
        for (JsonNode c : end.getValue().get("claims")) {
            String line = "CLAIM HOLDS: " + c.get("statement").asText() + " (" + c.get("evidence").asText() + ")";
            assertTrue(lines.contains(line), "each claim was printed as a line of its own: " + line);
        }
        assertFalse(end.getValue().has("output"), "the output came as lines, not again at the end");
        assertEquals("/reports/temperature/report.html", end.getValue().get("report").asText());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("report: ") && l.endsWith("report.html")), "the last lines say where");
    }

    @Test
    void staticPagesAndTheChartLibraryAreServedFromTheClasspath() throws Exception {
        for (String page : List.of("", "softmax.html", "losses.html", "train.html", "notebooks.html", "common.js")) {
            HttpResponse<String> r = get(page);
            assertEquals(200, r.statusCode(), page);
        }
        HttpResponse<String> js = get("uplot/uPlot.iife.min.js");
        assertEquals(200, js.statusCode());
        assertTrue(js.body().contains("uPlot"), "uPlot's script");
        assertTrue(get("softmax.html").body().contains("src=\"/uplot/uPlot.iife.min.js\""), "no CDN: the page loads uPlot from this server");
    }
}
