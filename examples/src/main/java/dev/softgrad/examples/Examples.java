package dev.softgrad.examples;

import java.util.List;
import java.util.Optional;

/** The registry of examples, in reading order, and the shared {@code main} of every example class. */
public final class Examples {
    private Examples() {
    }

    /** Every example, in the order of the course. */
    public static final List<Example> ALL = List.of(
            new SoftmaxRegressionExample(),
            new ShiftInvarianceExample(),
            new TemperatureExample(),
            new MarginExample(),
            new GradientExample(),
            new SoftTargetsExample(),
            new SaturationExample(),
            new LogitL2Example(),
            new HessianExample(),
            new LabelSmoothingExample(),
            new DistillationExample(),
            new CalibrationExample(),
            new AttentionExample(),
            new BanditExample(),
            new ContrastiveExample(),
            new TrainExample());

    /** The example with this name. */
    public static Optional<Example> byName(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** Runs one example with the launcher's options: what each example's own {@code main} does. */
    public static void main(Example example, String[] args) {
        String[] full = new String[args.length + 2];
        full[0] = "run";
        full[1] = example.name();
        System.arraycopy(args, 0, full, 2, args.length);
        int code = Softgrad.execute(full);
        if (code != 0) {
            System.exit(code);
        }
    }
}
