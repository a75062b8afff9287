package com.example;

import dev.softgrad.datasets.Csv;
import dev.softgrad.datasets.Dataset;
import dev.softgrad.datasets.Split;
import dev.softgrad.datasets.Standardizer;
import dev.softgrad.nn.Activation;
import dev.softgrad.nn.Init;
import dev.softgrad.nn.Mlp;
import dev.softgrad.nn.Predictor;
import dev.softgrad.nn.Trainer;
import dev.softgrad.nn.calibration.TemperatureScaling;
import dev.softgrad.nn.io.Checkpoint;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/** Trains a classifier on a CSV file: TrainFromCsv FILE LABEL_COLUMN [NEW_ROW ...], a new row as "5.1,3.5,1.4". */
public final class TrainFromCsv {
    public static void main(String[] args) throws Exception {
        Dataset data = Csv.readTable(Path.of(args[0]), args[1], DataType.FLOAT); // column names first, any label text
        Split heldOut = Split.stratified(data, 0.2, 42);                      // 20 % of the rows to evaluate on,
        Split split = Split.stratified(heldOut.train(), 0.2, 42);            // 20 % of the rest to calibrate on
        Standardizer scaler = Standardizer.fit(split.train());               // fitted on the training rows only
        Dataset train = scaler.transform(split.train()), calibration = scaler.transform(split.test());

        Mlp model = new Mlp(data.numFeatures(), new int[] {16}, data.numClasses(), Activation.TANH,
                Init.xavierUniform(7), DataType.FLOAT);
        Trainer.Config config = Trainer.Config.of(40, 16, 0.1, 7);          // epochs, batch size, learning rate, seed
        new Trainer(config).fit(model, train, null);                          // no validation set: all 40 epochs
        double temperature = TemperatureScaling.fit(model.logits(calibration.features()), calibration.labels()).temperature();
        Predictor predictor = new Predictor(model, scaler, data.classNames(), temperature);
        System.out.println(predictor.evaluate(heldOut.test()));               // accuracy, confusion matrix, per-class scores
        Checkpoint.save(predictor, Checkpoint.Provenance.of(config, train), Path.of("model.json"));

        Predictor loaded = Checkpoint.load(Path.of("model.json")).predictor(); // model, scaling, class names, temperature
        double[][] rows = Arrays.stream(args).skip(2)
                .map(row -> Arrays.stream(row.split(",")).mapToDouble(Double::parseDouble).toArray()).toArray(double[][]::new);
        List<String> classes = loaded.predictNames(rows);
        double[][] probabilities = loaded.probabilities(rows);              // calibrated: softmax(logits / T)
        for (int i = 0; i < rows.length; i++) {
            System.out.printf("%s -> %s (p = %.3f)%n", args[i + 2], classes.get(i), Arrays.stream(probabilities[i]).max().getAsDouble());
        }
    }
}
