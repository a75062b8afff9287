package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise softmax-jacobian (notebook hessian). */
public final class SoftmaxJacobian implements Tasks.SoftmaxJacobian {

    @Override
    public double[][] jacobian(double[] z) {
        double[] p = new StableSoftmax().softmax(z);
        double[][] j = new double[z.length][z.length];
        for (int a = 0; a < z.length; a++) {
            for (int b = 0; b < z.length; b++) {
                j[a][b] = (a == b ? p[a] : 0) - p[a] * p[b]; // p_a (delta_ab - p_b)
            }
        }
        return j;
    }
}
