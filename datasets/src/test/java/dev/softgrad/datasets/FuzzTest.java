package dev.softgrad.datasets;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Random, truncated and mutated inputs: the readers may only accept or throw their documented
 * {@link DatasetFormatException}; anything else (another exception, an error such as
 * OutOfMemoryError) fails. Each fuzz loop has a fixed seed and a time budget.
 */
class FuzzTest {
    private static final long BUDGET_NANOS = 1_500_000_000L;

    private static int run(String what, List<byte[]> seeds, long seed, Consumer<byte[]> reader) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long end = System.nanoTime() + BUDGET_NANOS;
        int cases = 0;
        int accepted = 0;
        while (System.nanoTime() < end && cases < 20_000) {
            byte[] input = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            cases++;
            try {
                reader.accept(input);
                accepted++;
            } catch (DatasetFormatException expected) {
                assertTrue(expected.getMessage().startsWith("fuzz: "), expected.getMessage());
            } catch (Throwable t) {
                fail(what + ": undocumented " + t + " for input " + Arrays.toString(Arrays.copyOf(input, Math.min(64, input.length))), t);
            }
        }
        assertTrue(cases >= 200, what + ": only " + cases + " cases ran in the budget");
        return accepted;
    }

    /** One of: random bytes, a truncation, byte flips, a spliced copy, or the seed itself. */
    private static byte[] mutate(byte[] seed, SplittableRandom rnd) {
        switch (rnd.nextInt(5)) {
            case 0: {
                byte[] b = new byte[rnd.nextInt(64)];
                rnd.nextBytes(b);
                return b;
            }
            case 1:
                return Arrays.copyOf(seed, rnd.nextInt(seed.length + 1));
            case 2: {
                byte[] b = seed.clone();
                int flips = 1 + rnd.nextInt(4);
                for (int i = 0; i < flips && b.length > 0; i++) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
                return b;
            }
            case 3: {
                int cut = rnd.nextInt(seed.length + 1);
                byte[] b = Arrays.copyOf(seed, cut + seed.length);
                System.arraycopy(seed, 0, b, cut, seed.length);
                return b;
            }
            default:
                return seed;
        }
    }

    @Test
    void idxReaderOnlyAcceptsOrThrowsItsFormatException() throws IOException {
        byte[] images = IdxTest.idx(new int[] {4, 3, 3}, IdxTest.ramp(36));
        byte[] labels = IdxTest.idx(new int[] {4}, new byte[] {1, 2, 3, 4});
        List<byte[]> seeds = List.of(images, labels, CsvTest.gzip(images), CsvTest.gzip(labels));
        int accepted = run("idx", seeds, 7, b -> Idx.parse(b, "fuzz"));
        assertTrue(accepted > 0, "the unmutated seeds must be accepted");
    }

    @Test
    void csvReadersOnlyAcceptOrThrowTheirFormatException() throws IOException {
        byte[] headed = "3,2,a,b\n1.5,2,0\n-3e2,.5,1\n7,8,1\n".getBytes(StandardCharsets.UTF_8);
        byte[] plain = "1,2,a\n3.25,4,b\n5,6,1\n".getBytes(StandardCharsets.UTF_8);
        List<byte[]> seeds = List.of(headed, plain, CsvTest.gzip(headed), CsvTest.gzip(plain));
        int accepted = run("csv with header", seeds, 11, b -> Csv.parseWithHeader(b, "fuzz", DataType.FLOAT));
        accepted += run("numeric csv", seeds, 13, b -> Csv.parseNumeric(b, "fuzz", -1, List.of("a", "b"), DataType.DOUBLE));
        assertTrue(accepted > 0, "the unmutated seeds must be accepted");
    }
}
