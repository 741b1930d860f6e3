package org.linearicl.core.train;

/**
 * A progress report of a training run after {@code step} of {@code steps} steps.
 *
 * @param loss the mean batch loss of the steps since the previous report
 * @param learningRate the rate used at this step
 * @param stepsPerSecond throughput since the run started
 * @param secondsLeft the estimated remaining wall time
 */
public record TrainingProgress(long step, long steps, double loss, double learningRate,
    double stepsPerSecond, double secondsLeft) {}
