/**
 * Models, optimisation and training on top of softgrad's autograd core: {@link dev.softgrad.nn.Module}
 * (named parameters and their gradients), the layers and classifiers ({@link dev.softgrad.nn.Linear},
 * {@link dev.softgrad.nn.SoftmaxClassifier} built on it, {@link dev.softgrad.nn.Mlp}, their common
 * {@link dev.softgrad.nn.Classifier} questions and {@link dev.softgrad.nn.Evaluation}, with
 * {@link dev.softgrad.nn.Init} and {@link dev.softgrad.nn.Activation}), the optimiser
 * ({@link dev.softgrad.nn.Sgd}, {@link dev.softgrad.nn.LearningRateSchedule}), the objective
 * ({@link dev.softgrad.nn.Loss}) and the training loop ({@link dev.softgrad.nn.Trainer}, its
 * {@link dev.softgrad.nn.TrainingListener}s {@link dev.softgrad.nn.TrainingProgress} and
 * {@link dev.softgrad.nn.GradientDynamics}, which records how saturation and vanishing gradients show
 * up). {@link dev.softgrad.nn.Argmax} is the one arg-max. {@link dev.softgrad.nn.Predictor} is what a
 * trained model needs to serve raw rows: the model with its fitted feature scaling, class names and
 * calibration temperature.
 *
 * <p>The other rooms: {@code nn.io} (checkpoints, atomic files), {@code nn.plot} (every PNG, in one
 * house style), {@code nn.calibration} (calibration metrics, temperature scaling, reliability
 * diagrams).
 */
package dev.softgrad.nn;
