package io.github.purecnn.model;

import java.util.Objects;

/**
 * Sets the learning rate at the start of every epoch from a function of the epoch and the
 * current rate, as Keras's {@code LearningRateScheduler}. The epoch is counted from 0 over the
 * model's whole training (a model loaded from a file goes on counting where it stopped, as Keras
 * with {@code initial_epoch}).
 * <pre>{@code new LearningRateScheduler((epoch, lr) -> epoch < 10 ? lr : lr * Math.exp(-0.1))}</pre>
 */
public final class LearningRateScheduler implements Callback {
    /** The new learning rate for an epoch. */
    @FunctionalInterface
    public interface Schedule {
        /**
         * @param epoch   0 for the model's first epoch
         * @param current the learning rate now, float32
         * @return the learning rate for the epoch, finite and at least 0
         */
        double learningRate(int epoch, double current);
    }

    private final Schedule schedule;
    private Sequential model;

    /**
     * A scheduler asking {@code schedule} for each epoch's rate.
     *
     * @param schedule Keras's {@code schedule}: the function of the epoch (from 0) and the current
     *     rate that gives the epoch's rate
     */
    public LearningRateScheduler(Schedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    /** @throws IllegalStateException when the optimizer's learning rate follows a schedule, which cannot be set */
    @Override
    public void onTrainBegin(Sequential m) {
        if (m.optimizer().schedule() != null) {
            throw new IllegalStateException("LearningRateScheduler needs a learning rate it can set, the "
                    + m.optimizer().typeName() + "'s follows a " + m.optimizer().schedule().typeName() + " schedule");
        }
        model = m;
    }

    /** @throws IllegalArgumentException when the schedule gives a rate that is not finite or below 0, naming the epoch */
    @Override
    public void onEpochBegin(int epoch) {
        int index = (int) Math.min(Integer.MAX_VALUE, model.epochsTrained() - 1);
        double rate = schedule.learningRate(index, model.optimizer().learningRate());
        try {
            model.optimizer().setLearningRate(rate);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LearningRateScheduler: the schedule gave " + rate + " for epoch " + index
                    + ": " + e.getMessage(), e);
        }
    }
}
