package dev.softgrad.examples.solutions;

import dev.softgrad.examples.grading.Tasks;

/** A solution of the exercise fit-temperature (notebook calibration). */
public final class TemperatureNewton implements Tasks.TemperatureFit {

    @Override
    public double fit(double[][] logits, int[] labels) {
        StableSoftmax softmax = new StableSoftmax();
        double s = 1; // s = 1 / T: the NLL is convex in s
        for (int iter = 0; iter < 100; iter++) {
            double d = 0;
            double d2 = 0;
            for (int i = 0; i < logits.length; i++) {
                double[] z = logits[i];
                double[] scaled = new double[z.length];
                for (int k = 0; k < z.length; k++) {
                    scaled[k] = s * z[k];
                }
                double[] p = softmax.softmax(scaled);
                double mean = 0;
                double second = 0;
                for (int k = 0; k < z.length; k++) {
                    mean += p[k] * z[k];
                    second += p[k] * z[k] * z[k];
                }
                d += mean - z[labels[i]];
                d2 += second - mean * mean;
            }
            double step = d / d2;
            s = Math.max(s - step, s / 2); // a Newton step, never past half way to 0
            if (Math.abs(step) < 1e-12) {
                break;
            }
        }
        return 1 / s;
    }
}
