package io.github.purecnn.model;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the learning rate when a monitored quantity stops improving, as Keras's
 * {@code ReduceLROnPlateau}: after {@code patience} epochs without an improvement of more than
 * {@code minDelta}, {@code lr = max(lr * factor, minLr)} (if lr is still above minLr), then
 * {@code cooldown} epochs pass before waiting starts again. Keras's defaults: monitor
 * {@code val_loss}, factor 0.1, patience 10, min_delta 1e-4, cooldown 0, min_lr 0. Each
 * reduction is logged at INFO.
 * <pre>{@code new ReduceLROnPlateau("val_loss").factor(0.2).patience(5).minLr(0.001)}</pre>
 */
public final class ReduceLROnPlateau implements Callback {
    private static final Logger LOG = LoggerFactory.getLogger(ReduceLROnPlateau.class);

    private final Monitor monitor;
    private double factor = 0.1;
    private int patience = 10;
    private int cooldown;
    private double minLr;

    private Sequential model;
    private int wait;
    private int cooldownCounter;

    /** Keras's default: watches {@code val_loss}. */
    public ReduceLROnPlateau() {
        this("val_loss");
    }

    /**
     * Watches {@code monitor}: {@code loss}, a metric, either with {@code val_}.
     *
     * @param monitor Keras's {@code monitor}: {@code loss}, a metric's Keras name ({@code accuracy},
     *     {@code mae}, ...), either with {@code val_} for its value on the validation data
     * @throws IllegalArgumentException for any other name, listing the names it takes
     */
    public ReduceLROnPlateau(String monitor) {
        this.monitor = new Monitor("ReduceLROnPlateau", monitor);
        this.monitor.minDelta(1e-4);
    }

    /**
     * The factor the learning rate is multiplied by, in (0, 1).
     *
     * @param f Keras's {@code factor}, 0.1 by default: the new rate is {@code max(lr * f, minLr)}
     * @return this callback
     * @throws IllegalArgumentException if {@code f} is not in (0, 1)
     */
    public ReduceLROnPlateau factor(double f) {
        if (!(f > 0 && f < 1)) {
            throw new IllegalArgumentException("ReduceLROnPlateau's factor must be in (0, 1), found " + f);
        }
        factor = f;
        return this;
    }

    /**
     * Epochs without improvement before the rate is lowered.
     *
     * @param epochs Keras's {@code patience}, 10 by default, at least 0
     * @return this callback
     * @throws IllegalArgumentException if {@code epochs} is negative
     */
    public ReduceLROnPlateau patience(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("patience must be at least 0, found " + epochs);
        }
        patience = epochs;
        return this;
    }

    /**
     * The least change that counts as an improvement.
     *
     * @param delta Keras's {@code min_delta}, 1e-4 by default: a value must beat the best by more
     *     than this
     * @return this callback
     * @throws IllegalArgumentException if {@code delta} is negative or NaN
     */
    public ReduceLROnPlateau minDelta(double delta) {
        monitor.minDelta(delta);
        return this;
    }

    /**
     * Epochs after a reduction before waiting starts again.
     *
     * @param epochs Keras's {@code cooldown}, 0 by default, at least 0
     * @return this callback
     * @throws IllegalArgumentException if {@code epochs} is negative
     */
    public ReduceLROnPlateau cooldown(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("cooldown must be at least 0, found " + epochs);
        }
        cooldown = epochs;
        return this;
    }

    /**
     * The lowest learning rate a reduction gives.
     *
     * @param rate Keras's {@code min_lr}, 0 by default; a rate already at or below it is left alone
     * @return this callback
     * @throws IllegalArgumentException if {@code rate} is negative, infinite or NaN
     */
    public ReduceLROnPlateau minLr(double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("min_lr must be a finite number of at least 0, found " + rate);
        }
        minLr = rate;
        return this;
    }

    /**
     * Whether larger values of the monitored quantity are better; AUTO decides from its name.
     *
     * @param m Keras's {@code mode}: {@link EarlyStopping.Mode#AUTO} (the default), {@code MIN} or {@code MAX}
     * @return this callback
     */
    public ReduceLROnPlateau mode(EarlyStopping.Mode m) {
        monitor.mode(m);
        return this;
    }

    /**
     * @throws IllegalStateException when the optimizer's learning rate follows a schedule, which
     *     cannot be set (as Keras refuses)
     */
    @Override
    public void onTrainBegin(Sequential m) {
        if (m.optimizer().schedule() != null) {
            throw new IllegalStateException("ReduceLROnPlateau needs a learning rate it can set, the "
                    + m.optimizer().typeName() + "'s follows a " + m.optimizer().schedule().typeName() + " schedule");
        }
        model = m;
        monitor.reset();
        wait = 0;
        cooldownCounter = 0;
    }

    @Override
    public void onEpochEnd(int epoch, EpochLog log) {
        if (cooldownCounter > 0) {
            cooldownCounter--;
            wait = 0;
        }
        if (monitor.improves(epoch, log)) {
            wait = 0;
        } else if (cooldownCounter == 0) {
            wait++;
            if (wait >= patience) {
                double old = model.optimizer().learningRate();
                if (old > (float) minLr) {
                    double lowered = Math.max(old * factor, minLr);
                    model.optimizer().setLearningRate(lowered);
                    LOG.info("epoch {}: ReduceLROnPlateau reducing the learning rate to {}", epoch,
                            model.optimizer().learningRate());
                    cooldownCounter = cooldown;
                    wait = 0;
                }
            }
        }
    }
}
