package dev.softgrad.examples.exercises;

import dev.softgrad.examples.grading.Tasks;

/**
 * Exercise epoch-loss (notebook train).
 * {@code ./softgrad check epoch-loss} compiles this file and grades it with the notebook's claims;
 * {@code ./softgrad solution epoch-loss} shows a solution.
 */
public final class EpochLoss implements Tasks.EpochLoss {

    /**
     * The mean loss over an epoch's samples from each mini-batch's mean loss and size. With 450 samples in batches of
     * 32 the last batch has 2 samples (450 = 14 x 32 + 2): its mean must weigh 2 / 450, not 1 / 15.
     */
    @Override
    public double epochLoss(double[] batchMeans, int[] batchSizes) {
        // TODO: weight each batch's mean by its number of samples and divide by the total number of samples.
        throw new UnsupportedOperationException("TODO: implement EpochLoss.epochLoss (sum_b n_b L_b / sum_b n_b)");
    }
}
