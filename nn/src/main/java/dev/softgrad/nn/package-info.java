/**
 * Models, optimisation and training on top of softgrad's autograd core: {@link dev.softgrad.nn.Module}
 * (named parameters, gradients, train/eval), the layers and classifiers
 * ({@link dev.softgrad.nn.Linear}, {@link dev.softgrad.nn.SoftmaxClassifier}, {@link dev.softgrad.nn.Mlp}),
 * the optimiser ({@link dev.softgrad.nn.Sgd}, {@link dev.softgrad.nn.LearningRateSchedule}), the objective
 * ({@link dev.softgrad.nn.Loss}), the training loop ({@link dev.softgrad.nn.Trainer} and its
 * {@link dev.softgrad.nn.TrainingListener}s, among them {@link dev.softgrad.nn.GradientDynamics}, which
 * records how saturation and vanishing gradients show up), and checkpoints.
 */
package dev.softgrad.nn;
