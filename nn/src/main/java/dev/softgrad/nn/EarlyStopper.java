package dev.softgrad.nn;

import dev.softgrad.core.InPlace;
import dev.softgrad.core.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Early stopping during one run ({@link Trainer.EarlyStopping} says how): tracks the best epoch by
 * the watched metric, counts the epochs since it, keeps a copy of the best epoch's parameters when
 * they are to be restored, and puts them back at the end.
 */
final class EarlyStopper {
    private final Trainer.EarlyStopping rule;
    private final List<Tensor> params;
    private final INDArray[] best;
    private double bestScore = Double.NaN;
    private int bestEpoch = -1;
    private int sinceBest;

    EarlyStopper(Trainer.EarlyStopping rule, List<Tensor> params) {
        this.rule = rule;
        this.params = params;
        this.best = rule.restoreBest() ? new INDArray[params.size()] : null;
    }

    /**
     * Records an epoch's validation; true when the metric has not improved by more than minDelta for
     * {@code patience} epochs (time to stop).
     */
    boolean update(int epoch, Evaluation validation) {
        double score = rule.metric() == Trainer.Metric.VALIDATION_LOSS ? -validation.loss() : validation.accuracy();
        if (bestEpoch < 0 || score > bestScore + rule.minDelta()) {
            bestScore = score;
            bestEpoch = epoch;
            sinceBest = 0;
            if (best != null) {
                for (int i = 0; i < params.size(); i++) {
                    if (best[i] == null) {
                        best[i] = params.get(i).value().dup('c');
                    } else {
                        InPlace.copy(params.get(i).value(), best[i]);
                    }
                }
            }
        } else {
            sinceBest++;
        }
        return sinceBest >= rule.patience();
    }

    /** Puts the best epoch's parameters back (if asked to and the last epoch was not the best); returns the best epoch. */
    int finish(int lastEpoch) {
        if (best != null && bestEpoch != lastEpoch) {
            for (int i = 0; i < params.size(); i++) {
                InPlace.copy(best[i], params.get(i).value());
            }
        }
        return bestEpoch;
    }
}
