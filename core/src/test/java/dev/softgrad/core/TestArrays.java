package dev.softgrad.core;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded test arrays (independent of ND4J's random generator). */
final class TestArrays {
    private TestArrays() {
    }

    static INDArray uniform(long seed, double lo, double hi, DataType type, long... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        INDArray a = Nd4j.createUninitialized(type, shape, 'c');
        long n = a.length();
        for (long i = 0; i < n; i++) {
            a.putScalar(i, r.nextDouble(lo, hi));
        }
        return a;
    }

    static INDArray uniform(long seed, double lo, double hi, long... shape) {
        return uniform(seed, lo, hi, DataType.DOUBLE, shape);
    }
}
