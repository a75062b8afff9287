package dev.softgrad.nn;

import dev.softgrad.core.Tensor;

/**
 * Called by a {@link Trainer} at the start, after each step's backward pass, after each epoch and
 * at the end. Every method has an empty default; implement the ones you need.
 */
public interface TrainingListener {

    /**
     * One training step, after backward and before gradient clipping and the update. The logits
     * tensor and the labels are valid only during the call (they live in the step's arena scope
     * and the minibatch's reused buffers); copy what must outlive it.
     *
     * @param epoch           0-based epoch
     * @param step            0-based step counted over the whole run
     * @param batch           0-based batch within the epoch
     * @param batchesPerEpoch batches in each epoch
     * @param loss            the batch's loss (the whole objective, penalty included)
     * @param learningRate    the rate of this step
     * @param logits          the batch's logits [B, K]
     * @param labels          the batch's labels [B]
     * @param model           the model; its parameters' {@code grad()} hold this step's gradients
     */
    record StepEvent(int epoch, long step, int batch, int batchesPerEpoch, double loss, double learningRate,
            Tensor logits, int[] labels, Classifier model) {
    }

    /** Before the first step. */
    default void onStart(int epochs, int batchesPerEpoch, int batchSize) {
    }

    /** After each step's backward pass. */
    default void onStep(StepEvent event) {
    }

    /** After each epoch (validation included). */
    default void onEpoch(Trainer.EpochResult result) {
    }

    /** After the last epoch. */
    default void onEnd(Trainer.History history) {
    }
}
