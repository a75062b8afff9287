package dev.softgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Every operation of the gradient-check list also runs in float32 and agrees with float64. */
class Float32Test {

    static java.util.stream.Stream<OpsGradCheckTest.Case> cases() {
        return OpsGradCheckTest.cases();
    }

    static INDArray[] run(Function<Tensor[], Tensor> f, INDArray[] xs, DataType type) {
        Tensor[] ps = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            ps[i] = Tensor.parameter(xs[i].castTo(type));
        }
        Tensor out = f.apply(ps);
        assertEquals(type, out.dataType(), "the result keeps the inputs' data type");
        INDArray seed = out.value().like().assign(1.0);
        out.backward(seed.castTo(type));
        INDArray[] r = new INDArray[xs.length + 1];
        r[0] = out.value().castTo(DataType.DOUBLE);
        for (int i = 0; i < xs.length; i++) {
            assertEquals(type, ps[i].grad().dataType(), "gradient " + i + " keeps the data type");
            r[i + 1] = ps[i].grad().castTo(DataType.DOUBLE);
        }
        return r;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void float32AgreesWithFloat64(OpsGradCheckTest.Case c) {
        INDArray[] xs = new INDArray[c.shapes().length];
        for (int i = 0; i < xs.length; i++) {
            // values exactly representable in float32, so both types start from the same point
            xs[i] = TestArrays.uniform(7 * i + 3, c.lo(), c.hi(), DataType.FLOAT, c.shapes()[i]).castTo(DataType.DOUBLE);
        }
        INDArray[] r64 = run(c.f(), xs, DataType.DOUBLE);
        INDArray[] r32 = run(c.f(), xs, DataType.FLOAT);
        for (int i = 0; i < r64.length; i++) {
            double scale = Math.max(1.0, r64[i].amaxNumber().doubleValue());
            double err = r64[i].sub(r32[i]).amaxNumber().doubleValue();
            assertTrue(err <= 1e-5 * scale, c + ": output/gradient " + i + " differs by " + err);
        }
    }
}
