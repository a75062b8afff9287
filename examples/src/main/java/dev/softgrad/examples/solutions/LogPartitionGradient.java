package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise log-partition-gradient (notebook softmax-regression). */
public final class LogPartitionGradient implements Tasks.LogPartitionGradient {

    @Override
    public double[] gradient(double[] z) {
        // d/dz_j ln sum_k e^{z_k} = e^{z_j} / sum_k e^{z_k}: the gradient of the log-partition function is softmax,
        // the model's mean of the one-hot class (computed stably, with the max subtracted)
        return new StableSoftmax().softmax(z);
    }
}
