package io.github.purecnn.model;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Saves the model file ({@link Sequential#save}) after every epoch, or only after epochs that
 * improve a monitored quantity, as Keras's {@code ModelCheckpoint}:
 * <pre>{@code new ModelCheckpoint(Path.of("best.purecnn")).monitor("val_loss").saveBestOnly(true)}</pre>
 *
 * <p>A {@code {epoch}} in the file name becomes the epoch number, from 1, zero-padded to two
 * digits as Keras's usual {@code {epoch:02d}} does ({@code model-{epoch}.purecnn} gives
 * {@code model-03.purecnn}), so every epoch keeps its own file; without it each save replaces
 * the last, atomically. A save that fails stops the fit with an {@link UncheckedIOException}
 * naming the file, since training on without the checkpoints asked for would lose work silently.
 */
public final class ModelCheckpoint implements Callback {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCheckpoint.class);
    private static final String EPOCH = "{epoch}";

    private final String path;
    private Monitor monitor = new Monitor("ModelCheckpoint", "val_loss");
    private EarlyStopping.Mode mode = EarlyStopping.Mode.AUTO;
    private boolean saveBestOnly;

    private Sequential model;
    private int lastSaved;

    /**
     * Saves to {@code file}, which may contain {@code {epoch}}.
     *
     * @param file Keras's {@code filepath}: the model file to write, with {@code {epoch}} where the
     *     epoch number goes, if each epoch is to keep its own file
     */
    public ModelCheckpoint(Path file) {
        this.path = Objects.requireNonNull(file, "file").toString();
    }

    /**
     * The quantity {@link #saveBestOnly} watches ({@code val_loss} unless set, as in Keras).
     *
     * @param quantity Keras's {@code monitor}: {@code loss}, a metric's Keras name, either with
     *     {@code val_}, or {@code learning_rate}
     * @return this callback
     * @throws IllegalArgumentException for any other name, listing the names it takes
     */
    public ModelCheckpoint monitor(String quantity) {
        Monitor m = new Monitor("ModelCheckpoint", quantity);
        m.mode(mode);
        monitor = m;
        return this;
    }

    /**
     * Whether a larger monitored value is better; AUTO decides from the name, as {@link EarlyStopping} does.
     *
     * @param m Keras's {@code mode}: {@link EarlyStopping.Mode#AUTO} (the default), {@code MIN} or {@code MAX}
     * @return this callback
     */
    public ModelCheckpoint mode(EarlyStopping.Mode m) {
        monitor.mode(m);
        mode = m;
        return this;
    }

    /**
     * Save only when the monitored quantity improves on its best value of this fit.
     *
     * @param on Keras's {@code save_best_only}: true to save only improving epochs; false, the
     *     default, to save after every epoch
     * @return this callback
     */
    public ModelCheckpoint saveBestOnly(boolean on) {
        saveBestOnly = on;
        return this;
    }

    /**
     * The file for {@code epoch}: the path with {@code {epoch}} replaced.
     *
     * @param epoch the epoch of the fit, from 1
     * @return the path, with the epoch zero-padded to two digits, or the path as given without {@code {epoch}}
     */
    public Path fileFor(int epoch) {
        return Path.of(path.replace(EPOCH, String.format(Locale.ROOT, "%02d", epoch)));
    }

    /**
     * The last epoch saved in the current or last fit, 0 if none.
     *
     * @return the epoch, from 1, or 0
     */
    public int lastSavedEpoch() {
        return lastSaved;
    }

    @Override
    public void onTrainBegin(Sequential m) {
        model = m;
        monitor.reset();
        lastSaved = 0;
    }

    @Override
    public void onEpochEnd(int epoch, EpochLog log) {
        if (saveBestOnly && !monitor.improves(epoch, log)) {
            return;
        }
        Path file = fileFor(epoch);
        try {
            model.save(file);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: cannot save epoch " + epoch + " to " + file + ": "
                    + e.getMessage(), e);
        }
        lastSaved = epoch;
        LOG.debug("epoch {}: saved {}{}", epoch, file,
                saveBestOnly ? " (" + monitor.quantity() + " improved to " + monitor.best() + ")" : "");
    }
}
