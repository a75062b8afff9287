package dev.softgrad.examples.grading;

import java.util.List;
import java.util.Optional;

/** Every exercise, in the order of the notebooks they belong to. */
public final class ExerciseList {
    private ExerciseList() {
    }

    /** All exercises. */
    public static final List<Exercise<?>> ALL = List.of(
            new Exercise<>("weight-gradient", "softmax-regression", "the gradient X^T (P - Y) / N in the weights",
                    Tasks.WeightGradient.class, "WeightGradient", Graders::weightGradient),
            new Exercise<>("stable-softmax", "shift-invariance", "a softmax that is finite for every finite z",
                    Tasks.Softmax.class, "StableSoftmax", Graders::softmax),
            new Exercise<>("log-sum-exp", "shift-invariance", "LSE(z) = ln sum e^z without overflow",
                    Tasks.LogSumExp.class, "LogSumExp", Graders::logSumExp),
            new Exercise<>("softmax-temperature", "temperature", "softmax(z / tau), finite from tau -> 0 to tau -> infinity",
                    Tasks.TemperedSoftmax.class, "TemperedSoftmax", Graders::temperedSoftmax),
            new Exercise<>("entropy", "temperature", "the Shannon entropy, 0 ln 0 = 0",
                    Tasks.Entropy.class, "ShannonEntropy", Graders::entropy),
            new Exercise<>("margin-form", "margin", "cross-entropy through the margins, exact at both ends",
                    Tasks.MarginLoss.class, "MarginForm", Graders::marginLoss),
            new Exercise<>("cross-entropy-gradient", "gradient", "the gradient of -ln p_c in the logits",
                    Tasks.LogitGradient.class, "CrossEntropyGradient", Graders::crossEntropyGradient),
            new Exercise<>("soft-target-gradient", "soft-targets", "the gradient of cross-entropy against a soft target",
                    Tasks.SoftTargetGradient.class, "SoftTargetGradient", Graders::softTargetGradient),
            new Exercise<>("regularised-gradient", "saturation", "the gradient of cross-entropy + logit L2, and its fixed point",
                    Tasks.RegularisedGradient.class, "RegularisedGradient", Graders::regularisedGradient),
            new Exercise<>("softmax-jacobian", "hessian", "the Jacobian of softmax, diag(p) - p p^T",
                    Tasks.SoftmaxJacobian.class, "SoftmaxJacobian", Graders::softmaxJacobian),
            new Exercise<>("label-smoothing-gradient", "label-smoothing", "the gradient of label smoothing in the logits",
                    Tasks.SmoothedGradient.class, "LabelSmoothingGradient", Graders::labelSmoothingGradient),
            new Exercise<>("fit-temperature", "calibration", "fit T by Newton's method on the validation NLL",
                    Tasks.TemperatureFit.class, "TemperatureNewton", Graders::temperatureFit),
            new Exercise<>("distillation-gradient", "distillation", "the gradient of T^2 KL in the student's logits",
                    Tasks.DistillationGradient.class, "DistillationGradient", Graders::distillationGradient),
            new Exercise<>("expected-calibration-error", "calibration", "ECE with equal-width bins",
                    Tasks.CalibrationError.class, "CalibrationError", Graders::calibrationError),
            new Exercise<>("causal-attention", "attention", "causal attention weights: a masked softmax with exact zeros",
                    Tasks.CausalWeights.class, "CausalAttention", Graders::causalWeights),
            new Exercise<>("policy-gradient", "bandit", "the score function grad ln pi(a) of a softmax policy",
                    Tasks.PolicyScore.class, "PolicyScore", Graders::policyScore),
            new Exercise<>("info-nce", "contrastive", "the InfoNCE loss of a similarity matrix, finite at small tau",
                    Tasks.InfoNce.class, "InfoNce", Graders::infoNce),
            new Exercise<>("sgd-step", "train", "one step of gradient descent for softmax regression",
                    Tasks.SgdStep.class, "SgdStep", Graders::sgdStep));

    /** The exercise with this name. */
    public static Optional<Exercise<?>> byName(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
