package dev.softgrad.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the tests of {@link SkinnyProducts} share: each test is skipped without the module
 * {@code jdk.incubator.vector}, runs with the kernels switched on, and leaves the switch as it found it.
 */
abstract class SkinnyKernelsOn {
    private final boolean enabledBefore = SkinnyProducts.enabled;

    @BeforeEach
    void requireModule() {
        Assumptions.assumeTrue(SkinnyProducts.AVAILABLE,
                "jdk.incubator.vector is not in this JVM (run with --add-modules jdk.incubator.vector)");
        SkinnyProducts.enabled = true;
    }

    @AfterEach
    void restore() {
        SkinnyProducts.enabled = enabledBefore;
    }
}
