package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softgrad.core.SoftmaxCrossEntropy.Options;
import dev.softgrad.core.SoftmaxCrossEntropy.Reduction;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * softgrad against PyTorch's own values (float64): losses and gradients of F.cross_entropy (with
 * weights, ignore_index, probability targets, label_smoothing), the batchmean KL of distillation,
 * softmax, log_softmax and logsumexp. The values were written by bench/pytorch/reference_losses.py.
 */
class PyTorchReferenceTest {

    static Stream<JsonNode> cases() throws IOException {
        try (InputStream in = PyTorchReferenceTest.class.getResourceAsStream("/pytorch-reference.json")) {
            assertNotNull(in, "pytorch-reference.json is missing from the test resources");
            JsonNode root = new ObjectMapper().readTree(in);
            List<JsonNode> list = new ArrayList<>();
            root.get("cases").forEach(list::add);
            return list.stream();
        }
    }

    static double[][] matrix(JsonNode n) {
        double[][] m = new double[n.size()][];
        for (int i = 0; i < n.size(); i++) {
            m[i] = new double[n.get(i).size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = n.get(i).get(j).asDouble();
            }
        }
        return m;
    }

    static int[] ints(JsonNode n) {
        int[] a = new int[n.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = n.get(i).asInt();
        }
        return a;
    }

    static double[] doubles(JsonNode n) {
        double[] a = new double[n.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = n.get(i).asDouble();
        }
        return a;
    }

    static Tensor build(JsonNode c, Tensor z) {
        Options o = Options.DEFAULT;
        if (c.has("weights")) {
            o = o.withClassWeights(doubles(c.get("weights")));
        }
        if (c.has("reduction")) {
            o = o.withReduction(Reduction.valueOf(c.get("reduction").asText()));
        }
        String name = c.get("name").asText();
        INDArray range = Nd4j.arange(4).castTo(DataType.DOUBLE).reshape(1, 4);
        if (name.startsWith("ce_probs")) {
            return Losses.crossEntropy(z, Tensor.fromRows(matrix(c.get("targets")), DataType.DOUBLE).value(), o);
        } else if (name.startsWith("ce_")) {
            return Losses.crossEntropy(z, ints(c.get("labels")), o);
        } else if (name.startsWith("ls_")) {
            return Losses.labelSmoothing(z, ints(c.get("labels")), c.get("eps").asDouble(), LabelSmoothing.Mode.UNIFORM, o);
        } else if (name.startsWith("kd_")) {
            return Losses.distill(z, Tensor.fromRows(matrix(c.get("teacher")), DataType.DOUBLE).value(),
                    c.get("temperature").asDouble());
        } else if (name.startsWith("softmax")) {
            return Losses.softmax(z, c.get("tau").asDouble()).mul(Tensor.constant(range)).sum();
        } else if (name.startsWith("logsoftmax")) {
            return Losses.logSoftmax(z, c.get("tau").asDouble()).mul(Tensor.constant(range)).sum();
        } else if (name.equals("logsumexp")) {
            return Losses.logSumExp(z, 1.0).sum();
        }
        throw new IllegalStateException("unknown case " + name);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesPyTorch(JsonNode c) {
        String name = c.get("name").asText();
        Tensor z = Tensor.parameter(Tensor.fromRows(matrix(c.get("logits")), DataType.DOUBLE).value());
        Tensor loss = build(c, z);
        loss.backward(Nd4j.ones(DataType.DOUBLE, loss.shape()));
        double[] expectedLoss = doubles(c.get("loss"));
        INDArray actualLoss = loss.value().reshape(-1);
        assertEquals(expectedLoss.length, actualLoss.length(), name + ": loss shape");
        for (int i = 0; i < expectedLoss.length; i++) {
            assertEquals(expectedLoss[i], actualLoss.getDouble(i), 1e-12 * Math.max(1, Math.abs(expectedLoss[i])),
                    name + ": loss " + i);
        }
        double[][] g = matrix(c.get("grad"));
        for (int i = 0; i < g.length; i++) {
            for (int j = 0; j < g[i].length; j++) {
                assertEquals(g[i][j], z.grad().getDouble(i, j), 1e-13, name + ": grad[" + i + ", " + j + "]");
            }
        }
        assertTrue(g.length > 0);
    }
}
