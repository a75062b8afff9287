package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise hessian-vector-product (notebook hessian). */
public final class HessianVectorProduct implements Tasks.HessianVectorProduct {

    @Override
    public double[] product(double[] z, double[] v) {
        double[] p = new StableSoftmax().softmax(z);
        double pv = 0;
        for (int k = 0; k < z.length; k++) {
            pv += p[k] * v[k];
        }
        double[] hv = new double[z.length];
        for (int k = 0; k < z.length; k++) {
            hv[k] = p[k] * (v[k] - pv);
        }
        return hv;
    }
}
