package io.github.purecnn.spark;

/**
 * Where the time of an {@link ImageTrainer#fit} call went, on the driver's clock: what a user
 * needs to choose a {@link TrainingMode} and a partition count.
 *
 * @param epochs           epochs trained
 * @param steps            steps of the batch size counted on the model (as {@code fit} counts them)
 * @param jobs             Spark jobs that computed steps or rounds of local steps
 * @param readingSeconds   reading, checking and caching the training data, once per fit
 * @param placingSeconds   placing each epoch's images on the partitions that compute them (a shuffle per epoch)
 * @param jobSeconds       the step (or round) jobs, broadcast of the parameters included
 * @param updateSeconds    the driver's sums of gradients and optimizer updates (or averaging)
 */
public record TrainingStatistics(int epochs, long steps, long jobs, double readingSeconds, double placingSeconds,
                                 double jobSeconds, double updateSeconds) {

    /** The mean wall time of one step (or round) job, in milliseconds; NaN before any. */
    public double millisPerJob() {
        return jobs == 0 ? Double.NaN : jobSeconds * 1e3 / jobs;
    }
}
