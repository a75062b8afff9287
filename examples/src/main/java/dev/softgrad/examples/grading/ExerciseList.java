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
            new Exercise<>("log-partition-gradient", "softmax-regression", "the gradient of ln Z(z): the model's mean of the one-hot class",
                    Tasks.LogPartitionGradient.class, "LogPartitionGradient", SecondGraders::logPartitionGradient),
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
            new Exercise<>("margin-slope", "margin", "dL/dm, exact at both asymptotes",
                    Tasks.MarginSlope.class, "MarginSlope", SecondGraders::marginSlope),
            new Exercise<>("cross-entropy-gradient", "gradient", "the gradient of -ln p_c in the logits",
                    Tasks.LogitGradient.class, "CrossEntropyGradient", Graders::crossEntropyGradient),
            new Exercise<>("log-softmax", "gradient", "log softmax z - LSE(z), finite where ln(softmax) is -inf",
                    Tasks.LogSoftmax.class, "LogSoftmax", SecondGraders::logSoftmax),
            new Exercise<>("soft-target-gradient", "soft-targets", "the gradient of cross-entropy against a soft target",
                    Tasks.SoftTargetGradient.class, "SoftTargetGradient", Graders::softTargetGradient),
            new Exercise<>("soft-target-loss", "soft-targets", "cross-entropy against a soft target, 0 ln 0 = 0",
                    Tasks.SoftTargetLoss.class, "SoftTargetLoss", SecondGraders::softTargetLoss),
            new Exercise<>("regularised-gradient", "saturation", "the gradient of cross-entropy + logit L2, and its fixed point",
                    Tasks.RegularisedGradient.class, "RegularisedGradient", Graders::regularisedGradient),
            new Exercise<>("z-loss-gradient", "saturation", "the gradient 2 lambda LSE(z) p of the z-loss",
                    Tasks.ZLossGradient.class, "ZLossGradient", SecondGraders::zLossGradient),
            new Exercise<>("softmax-jacobian", "hessian", "the Jacobian of softmax, diag(p) - p p^T",
                    Tasks.SoftmaxJacobian.class, "SoftmaxJacobian", Graders::softmaxJacobian),
            new Exercise<>("hessian-vector-product", "hessian", "H v = p * v - p (p . v) without forming H",
                    Tasks.HessianVectorProduct.class, "HessianVectorProduct", SecondGraders::hessianVectorProduct),
            new Exercise<>("label-smoothing-gradient", "label-smoothing", "the gradient of label smoothing in the logits",
                    Tasks.SmoothedGradient.class, "LabelSmoothingGradient", Graders::labelSmoothingGradient),
            new Exercise<>("smoothed-targets", "label-smoothing", "the smoothed target row (1 - eps) onehot + eps / K",
                    Tasks.SmoothedTargets.class, "SmoothedTargets", SecondGraders::smoothedTargets),
            new Exercise<>("fit-temperature", "calibration", "fit T by Newton's method on the validation NLL",
                    Tasks.TemperatureFit.class, "TemperatureNewton", Graders::temperatureFit),
            new Exercise<>("distillation-gradient", "distillation", "the gradient of T^2 KL in the student's logits",
                    Tasks.DistillationGradient.class, "DistillationGradient", Graders::distillationGradient),
            new Exercise<>("distillation-loss", "distillation", "the loss T^2 KL(q_T || p_T)",
                    Tasks.DistillationLoss.class, "DistillationLoss", SecondGraders::distillationLoss),
            new Exercise<>("expected-calibration-error", "calibration", "ECE with equal-width bins",
                    Tasks.CalibrationError.class, "CalibrationError", Graders::calibrationError),
            new Exercise<>("causal-attention", "attention", "causal attention weights: a masked softmax with exact zeros",
                    Tasks.CausalWeights.class, "CausalAttention", Graders::causalWeights),
            new Exercise<>("attention-output", "attention", "scaled dot-product attention softmax(Q K^T / sqrt(d)) V",
                    Tasks.AttentionOutput.class, "AttentionOutput", SecondGraders::attentionOutput),
            new Exercise<>("policy-gradient", "bandit", "the score function grad ln pi(a) of a softmax policy",
                    Tasks.PolicyScore.class, "PolicyScore", Graders::policyScore),
            new Exercise<>("reinforce-baseline", "bandit", "one REINFORCE step with a baseline",
                    Tasks.ReinforceStep.class, "ReinforceStep", SecondGraders::reinforceStep),
            new Exercise<>("info-nce", "contrastive", "the InfoNCE loss of a similarity matrix, finite at small tau",
                    Tasks.InfoNce.class, "InfoNce", Graders::infoNce),
            new Exercise<>("info-nce-gradient", "contrastive", "the gradient (softmax(S / tau) - I) / (N tau) of InfoNCE",
                    Tasks.InfoNceGradient.class, "InfoNceGradient", SecondGraders::infoNceGradient),
            new Exercise<>("sgd-step", "train", "one step of gradient descent for softmax regression",
                    Tasks.SgdStep.class, "SgdStep", Graders::sgdStep),
            new Exercise<>("epoch-loss", "train", "an epoch's loss from its mini-batches' means and sizes",
                    Tasks.EpochLoss.class, "EpochLoss", SecondGraders::epochLoss),
            new Exercise<>("logit-l2-weight-gradient", "logit-l2", "logit L2's weight gradient lambda X^T X W / N",
                    Tasks.LogitL2WeightGradient.class, "LogitL2WeightGradient", SecondGraders::logitL2WeightGradient),
            new Exercise<>("second-moment", "logit-l2", "M = X^T X / N: logit L2 as a data-dependent weight decay",
                    Tasks.SecondMoment.class, "SecondMoment", SecondGraders::secondMoment));

    /** The exercise with this name. */
    public static Optional<Exercise<?>> byName(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
