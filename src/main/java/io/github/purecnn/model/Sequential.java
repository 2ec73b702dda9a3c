package io.github.purecnn.model;

import io.github.purecnn.Internal;
import io.github.purecnn.data.Dataset;
import io.github.purecnn.data.Targets;
import io.github.purecnn.io.Npy;
import io.github.purecnn.io.NpyArray;
import io.github.purecnn.io.Npz;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.KernelsProvider;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.layers.Layers;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Optimizer;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A stack of layers, each feeding the next, as Keras's {@code Sequential}. Layers are built as
 * they are added, so a layer that cannot take its input fails at once, naming itself.
 * <pre>{@code
 * Sequential model = new Sequential(42, Shape.of(28, 28, 1),
 *         new Conv2D(6, 3).activation(RELU),
 *         new AveragePooling2D(2).padding(Padding.SAME),
 *         new Flatten(),
 *         new Dense(10).activation(SOFTMAX));
 * model.compile(new Adam(0.001), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
 * History h = model.fit(train, new FitOptions().epochs(10).batchSize(64));
 * }</pre>
 *
 * <p>One seed drives the initial weights, the shuffling and dropout: the same seed gives the
 * same weights and history, bit for bit, whatever the number of threads.
 *
 * <p><b>Threads.</b> A model is not thread-safe as a whole: building, compiling, {@code fit},
 * setting or loading weights and changing settings must happen on one thread at a time, with
 * nothing else using the model meanwhile. {@code evaluate} and {@code predict} only read the
 * model: several threads may call them at once, as long as none of the above runs at the same
 * time (they read the weights as they are during the call). Each call builds its own buffers and
 * packed weights for its batch size and, for more than 16 samples, starts and stops up to
 * {@link #threads()} worker threads; to serve predictions, one request at a time from many
 * threads, use {@link #predictor()}, which does that work once.
 */
public final class Sequential {
    private static final Logger LOG = LoggerFactory.getLogger(Sequential.class);
    private static final int INFERENCE_BATCH = 256;

    private final Shape inputShape;
    private final long seed;
    private final SplittableRandom initRandom;
    // Training progress: with the seed, it fixes every epoch's shuffle and every step's dropout
    // draws, so a model saved and loaded between epochs trains on exactly as if never stopped.
    private long epochsTrained;
    private long stepsTrained;
    private final List<Layer> layers = new ArrayList<>();
    private final Map<String, Integer> namesUsed = new HashMap<>();
    private final Set<String> names = new HashSet<>();
    private String name = "sequential";
    private int threads = Runtime.getRuntime().availableProcessors();
    private Kernels kernels = KernelsProvider.get();
    /** For tests: the path every engine of this model starts on, and the batch at which it moves to {@link #kernels}; null for the automatic choice. */
    private Kernels forcedStart;
    private long forcedSwitchBatch;

    private Optimizer optimizer;
    private Loss loss;
    private List<Metric> metrics = List.of();
    private volatile boolean stopTraining;

    /**
     * An empty model for inputs of {@code inputShape} (per sample, e.g. {@code (28, 28, 1)}), with a random seed.
     *
     * @param inputShape the shape of one sample, without batch dimension (Keras's {@code input_shape})
     * @param layers the first layers, added in order as {@link #add} does
     * @throws IllegalArgumentException naming the layer, when a layer cannot take its input or its
     *     name is taken
     * @throws IllegalStateException when a layer already belongs to a model
     */
    public Sequential(Shape inputShape, Layer... layers) {
        this(new SecureRandom().nextLong(), inputShape, layers);
    }

    /**
     * A model whose initial weights, shuffling and dropout all follow {@code seed}.
     *
     * @param seed the seed: the same seed, layers and data give the same weights and history, bit
     *     for bit, whatever the number of threads
     * @param inputShape the shape of one sample, without batch dimension (Keras's {@code input_shape})
     * @param layers the first layers, added in order as {@link #add} does
     * @throws IllegalArgumentException naming the layer, when a layer cannot take its input or its
     *     name is taken
     * @throws IllegalStateException when a layer already belongs to a model
     */
    public Sequential(long seed, Shape inputShape, Layer... layers) {
        this.inputShape = Objects.requireNonNull(inputShape, "input shape");
        this.seed = seed;
        this.initRandom = new SplittableRandom(seed);
        for (Layer l : layers) {
            add(l);
        }
    }

    /**
     * Appends a layer and builds it for the current output shape.
     *
     * @param layer a new layer; unnamed, it gets Keras's name for its type ({@code conv2d},
     *     {@code conv2d_1}, ...)
     * @return this model
     * @throws IllegalArgumentException naming the layer, its index, the input shape and why it cannot
     *     take it; or when the model already has a layer of its name
     * @throws IllegalStateException when the layer already belongs to a model
     */
    public Sequential add(Layer layer) {
        Objects.requireNonNull(layer, "layer");
        if (layer.isBuilt()) {
            throw new IllegalStateException("layer '" + layer.name() + "' already belongs to a model");
        }
        if (layer.name() != null && names.contains(layer.name())) {
            throw new IllegalArgumentException("the model already has a layer named '" + layer.name() + "'");
        }
        String assigned = layer.name() == null ? uniqueName(layer.defaultNamePrefix()) : layer.name();
        layer.build(outputShape(), layers.size(), assigned, initRandom);
        names.add(layer.name());
        layers.add(layer);
        optimizer = null;
        return this;
    }

    /** Keras's naming: the first {@code dense}, then {@code dense_1}, {@code dense_2}... */
    private String uniqueName(String prefix) {
        while (true) {
            int n = namesUsed.merge(prefix, 1, Integer::sum) - 1;
            String candidate = n == 0 ? prefix : prefix + "_" + n;
            if (!names.contains(candidate)) {
                return candidate;
            }
        }
    }

    /**
     * The model's name, as {@code summary()} shows it.
     *
     * @return the name: {@code "sequential"} unless {@link #named} changed it
     */
    public String name() {
        return name;
    }

    /**
     * Renames the model; returns this model. Throws IllegalArgumentException for an empty name.
     *
     * @param newName the name messages, summaries and saved files use
     * @return this model
     * @throws IllegalArgumentException if {@code newName} is null, empty or blank
     */
    public Sequential named(String newName) {
        if (newName == null || newName.isBlank()) {
            throw new IllegalArgumentException("a model name must not be empty");
        }
        name = newName;
        return this;
    }

    /**
     * The seed that fixes the initial weights, each epoch's shuffle and each step's dropout.
     *
     * @return the seed given to the constructor, or the random one drawn without it
     */
    public long seed() {
        return seed;
    }

    /**
     * The per-sample input shape.
     *
     * @return the shape of one sample, without batch dimension
     */
    public Shape inputShape() {
        return inputShape;
    }

    /**
     * The per-sample output shape: the input shape while the model has no layers.
     *
     * @return the last layer's output shape, without batch dimension
     */
    public Shape outputShape() {
        return layers.isEmpty() ? inputShape : layers.get(layers.size() - 1).outputShape();
    }

    /**
     * The layers in order, unmodifiable.
     *
     * @return the layers, first to last
     */
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    /**
     * All parameters (the weights created trainable), layer by layer, kernels before biases; those
     * of frozen layers included (see {@link #trainableWeights}).
     *
     * @return a new list of the parameters, which are the model's own (not copies)
     */
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Layer l : layers) {
            all.addAll(l.parameters());
        }
        return all;
    }

    /**
     * All weights, layer by layer, each layer's parameters then its non-trainable weights (a
     * Normalization layer's statistics): Keras's {@code get_weights()} order.
     *
     * @return a new list of the weights, which are the model's own (not copies)
     */
    public List<Parameter> weights() {
        List<Parameter> all = new ArrayList<>();
        for (Layer l : layers) {
            all.addAll(l.weights());
        }
        return all;
    }

    /**
     * The weights the optimizer updates, layer by layer (Keras's {@code trainable_weights}): the
     * parameters of the layers that are not frozen. {@link #compile} binds the optimizer to them.
     *
     * @return a new list of those parameters, which are the model's own (not copies)
     */
    public List<Parameter> trainableWeights() {
        List<Parameter> all = new ArrayList<>();
        for (Layer l : layers) {
            all.addAll(l.trainableWeights());
        }
        return all;
    }

    /**
     * The number of values in all the weights, trainable or not, as Keras's {@code count_params()}.
     *
     * @return the count, as the summary's "Total params"
     */
    public long countParams() {
        long total = 0;
        for (Layer l : layers) {
            total += l.countParams();
        }
        return total;
    }

    /**
     * The number of values the optimizer updates.
     *
     * @return the count, as the summary's "Trainable params"
     */
    public long countTrainableParams() {
        long total = 0;
        for (Layer l : layers) {
            total += l.countTrainableParams();
        }
        return total;
    }

    /**
     * Freezes ({@code false}) or unfreezes every layer, as Keras's {@code model.trainable = ...};
     * see {@link Layer#trainable(boolean)}. Compile again before training with the change.
     *
     * @param value false to freeze every layer, true to unfreeze them
     * @return this model
     */
    public Sequential trainable(boolean value) {
        for (Layer l : layers) {
            l.trainable(value);
        }
        return this;
    }

    /**
     * Copies of the weights (trainable or not) in Keras's {@code get_weights()} order and layouts.
     *
     * @return a new list of new tensors, one per weight; changing them does not change the model
     */
    public List<Tensor> getWeights() {
        List<Tensor> w = new ArrayList<>();
        for (Parameter p : weights()) {
            w.add(p.toTensor());
        }
        return w;
    }

    /**
     * Sets the weights from a list in {@code get_weights()} order; checks every shape before
     * changing anything.
     *
     * @param weights one tensor per weight, in {@link #getWeights()}'s order, shapes and layouts
     *     (Keras's, so a Keras model's {@code get_weights()} fits); their values are copied
     * @throws IllegalArgumentException naming the weight and both shapes, or both counts, when the
     *     list does not fit; the model is then unchanged
     */
    public void setWeights(List<Tensor> weights) {
        List<Parameter> ps = weights();
        if (weights.size() != ps.size()) {
            throw new IllegalArgumentException("model '" + name + "' has " + ps.size() + " weight arrays, given " + weights.size());
        }
        for (int i = 0; i < ps.size(); i++) {
            if (!weights.get(i).shape().equals(ps.get(i).shape())) {
                throw new IllegalArgumentException("weight " + i + " (" + ps.get(i).path() + ") has shape " + ps.get(i).shape()
                        + ", given " + weights.get(i).shape());
            }
        }
        for (int i = 0; i < ps.size(); i++) {
            ps.get(i).set(weights.get(i).data());
        }
    }

    // ---- saving and loading ----

    /**
     * Writes the model file, a ZIP archive of a JSON manifest and one {@code .npy} per tensor
     * (see {@code ModelFile}): architecture, weights and, when the model is compiled, the compile
     * settings, the optimizer state and the training progress (epochs and steps, which with the
     * seed fix the next epoch's shuffle and dropout), so that {@link #load} gives a model that
     * predicts bit for bit the same and, saved between epochs, resumes training exactly as if it
     * had never stopped. The file is replaced atomically: a failure leaves any previous file as
     * it was.
     *
     * <p>Not saved: the threads and kernels settings, which do not change results.
     *
     * @param file the model file to write; a symbolic link is written through to its target
     * @throws IOException naming the file when it cannot be written; any previous file is then unchanged
     * @throws IllegalStateException if the model has no layers
     */
    public void save(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        requireLayers();
        ModelFile.write(this, file);
    }

    /**
     * Loads a model file written by {@link #save}, with at most {@link Npy#DEFAULT_MAX_BYTES} (1 GiB) of tensor data.
     *
     * @param file the model file
     * @return the model, compiled if it was saved compiled, with its optimizer state and training progress
     * @throws ModelFormatException as {@link #load(Path, long)}
     * @throws IOException naming the file when it cannot be read (missing, not a regular file)
     */
    public static Sequential load(Path file) throws IOException {
        return load(file, Npy.DEFAULT_MAX_BYTES);
    }

    /**
     * Loads a model file written by {@link #save}; compiled if it was saved compiled, with its
     * optimizer state.
     *
     * @param file the model file
     * @param maxBytes the most tensor data the file may declare and hold
     * @return the model, compiled if it was saved compiled, with its optimizer state and training progress
     * @throws ModelFormatException naming the file and the entry when the file is not a model
     *     file this version reads, is damaged, exceeds {@code maxBytes}, or its tensors do not fit
     *     its architecture; nothing is returned half loaded
     * @throws IOException naming the file when it cannot be read (missing, not a regular file)
     */
    public static Sequential load(Path file, long maxBytes) throws IOException {
        Objects.requireNonNull(file, "file");
        return ModelFile.read(file, maxBytes);
    }

    /**
     * Writes the weights as {@code np.savez(file, *keras_model.get_weights())} does: uncompressed
     * {@code arr_0}, {@code arr_1}, ... in Keras's order and layouts, float32.
     *
     * @param file the {@code .npz} file to write, replaced atomically
     * @throws IOException naming the file when it cannot be written; any previous file is then unchanged
     */
    public void saveWeights(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        List<Parameter> ps = weights();
        NpyArray[] arrays = new NpyArray[ps.size()];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = NpyArray.of(ps.get(i).value(), ps.get(i).shape().dims());
        }
        Npz.write(file, Npz.positional(arrays), Npz.Compression.STORED);
    }

    /**
     * Sets the weights from an {@code .npz} written by {@code np.savez(file, *keras_model.get_weights())}
     * for the equivalent Keras model, or by {@link #saveWeights}: float32 arrays {@code arr_0},
     * {@code arr_1}, ... in Keras's order and layouts. Everything is checked before any weight changes.
     *
     * @param file the {@code .npz} file
     * @throws ModelFormatException naming the file, and the layer, parameter and both shapes on a
     *     mismatch; the model is then unchanged
     * @throws IOException naming the file when it cannot be read or is not a valid {@code .npz}
     *     archive; the model is then unchanged
     */
    public void loadWeights(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Map<String, NpyArray> arrays = Npz.read(file);
        List<Parameter> ps = weights();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            expected.add("arr_" + i);
        }
        if (!List.copyOf(arrays.keySet()).equals(expected)) {
            throw new ModelFormatException(file + ": model '" + name + "' has " + ps.size() + " weight arrays, expected"
                    + " them as " + (ps.isEmpty() ? "no arrays" : "arr_0 .. arr_" + (ps.size() - 1))
                    + " in Keras's get_weights() order, found " + arrays.size() + " " + arrays.keySet());
        }
        float[][] values = new float[ps.size()][];
        int i = 0;
        for (Layer l : layers) {
            for (Parameter p : l.weights()) {
                NpyArray a = arrays.get("arr_" + i);
                if (a.dtype() != NpyArray.DType.FLOAT32 || !Arrays.equals(a.shape(), p.shape().dims())) {
                    throw new ModelFormatException(file + " entry 'arr_" + i + "': layer '" + l.name() + "' parameter '"
                            + p.name() + "' expects float32 " + p.shape() + " (Keras layout), found "
                            + a.dtype().numpyName() + " " + ModelFile.tuple(a.shape()));
                }
                values[i++] = a.toFloats();
            }
        }
        for (int k = 0; k < ps.size(); k++) {
            ps.get(k).set(values[k]);
        }
    }

    /**
     * How many threads fit, evaluate and predict use; the results do not depend on it.
     *
     * @param count the threads a batch is spread over, at least 1; the number of processors unless set
     * @return this model
     * @throws IllegalArgumentException if {@code count} is below 1
     */
    public Sequential threads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("threads must be at least 1, found " + count);
        }
        threads = count;
        return this;
    }

    /**
     * The number of threads batches run on (results do not depend on it).
     *
     * @return the count: the number of processors unless {@link #threads(int)} set another
     */
    public int threads() {
        return threads;
    }

    /**
     * Runs this model on the given kernel path instead of the one chosen at start-up
     * ({@link KernelPath#chosen()}). Results are the same bits on every path; only speed changes.
     * (On the Vector API path, a run too short to repay the JIT's warm-up of the vector kernels
     * runs its first batches on plain Java, with the same results.)
     *
     * @param path the kernels to run on
     * @return this model
     * @throws IllegalStateException if this JVM cannot run the path ({@link KernelPath#isAvailable()}),
     *     naming the JVM option it needs
     */
    public Sequential kernelPath(KernelPath path) {
        Objects.requireNonNull(path, "kernel path");
        kernels = path.kernels();
        return this;
    }

    /**
     * The kernel path this model runs on.
     *
     * @return the path: {@link KernelPath#chosen()} unless {@link #kernelPath(KernelPath)} set another
     */
    public KernelPath kernelPath() {
        return KernelPath.of(kernels);
    }

    /**
     * Runs on the given kernel implementation: for the project's tests and benchmarks, which
     * reach kernel variants the public {@link #kernelPath(KernelPath)} does not name. An instance
     * other than the start-up choice runs as given from the first batch on.
     *
     * @param implementation the kernels
     * @return this model
     */
    @Internal
    public Sequential kernels(Kernels implementation) {
        kernels = Objects.requireNonNull(implementation, "kernels");
        return this;
    }

    /**
     * The kernel implementation this model runs on.
     *
     * @return the kernels
     */
    @Internal
    public Kernels kernels() {
        return kernels;
    }

    // ---- summary ----

    /**
     * Keras's summary table: layer name and type, output shape, parameter count, then the totals.
     *
     * @return the table, as Keras's {@code model.summary()} prints it, ending with a line break
     */
    public String summary() {
        List<String[]> rows = new ArrayList<>();
        for (Layer l : layers) {
            rows.add(new String[] {l.name() + " (" + l.typeName() + ")", l.outputShape().toTuple("None"),
                    String.format(Locale.ROOT, "%,d", l.countParams())});
        }
        int c0 = "Layer (type)".length();
        int c1 = "Output Shape".length();
        for (String[] r : rows) {
            c0 = Math.max(c0, r[0].length());
            c1 = Math.max(c1, r[1].length());
        }
        c0 += 4;
        c1 += 4;
        int width = Math.max(65, 1 + c0 + c1 + 10);
        String format = " %-" + c0 + "s%-" + c1 + "s%s%n";
        StringBuilder sb = new StringBuilder();
        sb.append("Model: \"").append(name).append("\"\n");
        sb.append("_".repeat(width)).append('\n');
        sb.append(String.format(Locale.ROOT, format, "Layer (type)", "Output Shape", "Param #"));
        sb.append("=".repeat(width)).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            sb.append(String.format(Locale.ROOT, format, (Object[]) rows.get(i)));
            if (i < rows.size() - 1) {
                sb.append('\n');
            }
        }
        sb.append("=".repeat(width)).append('\n');
        long total = countParams();
        long trainable = countTrainableParams();
        sb.append(String.format(Locale.ROOT, "Total params: %,d%n", total));
        sb.append(String.format(Locale.ROOT, "Trainable params: %,d%n", trainable));
        sb.append(String.format(Locale.ROOT, "Non-trainable params: %,d%n", total - trainable));
        sb.append("_".repeat(width)).append('\n');
        return sb.toString();
    }

    /**
     * Prints {@link #summary()} to the stream.
     *
     * @param out where to print, such as {@code System.out}; flushed, not closed
     */
    public void printSummary(PrintStream out) {
        out.print(summary());
        out.flush();
    }

    // ---- compile ----

    /**
     * Chooses the optimizer, the loss and the metrics, as Keras's {@code compile}. The optimizer
     * is bound to this model's trainable weights ({@link #trainableWeights}) and its state reset;
     * after freezing or unfreezing layers, compile again (with a new optimizer) to train. Whether
     * the loss and metrics fit the targets is checked when data comes ({@code fit}, {@code evaluate}).
     *
     * @param opt the optimizer, such as {@code new Adam(0.001)}; one per compile, since it keeps the
     *     state of these weights
     * @param lossFunction the loss, such as {@code Loss.sparseCategoricalCrossentropy()}
     * @param metrics the metrics to report beside the loss, such as {@link Metric#ACCURACY}; repeats
     *     are dropped
     * @return this model
     * @throws IllegalStateException naming the largest layer when the weights, the optimizer state
     *     and the buffers of one shard of images would not fit in this JVM's heap (nothing is
     *     allocated then); when the model has no layers; or when the optimizer is already bound to
     *     other weights (another model's, or this one's before layers were added)
     */
    public Sequential compile(Optimizer opt, Loss lossFunction, Metric... metrics) {
        Objects.requireNonNull(opt, "optimizer");
        Objects.requireNonNull(lossFunction, "loss");
        if (layers.isEmpty()) {
            throw new IllegalStateException("model '" + name + "' has no layers to compile");
        }
        List<Metric> chosen = new ArrayList<>();
        for (Metric m : metrics) {
            if (!chosen.contains(Objects.requireNonNull(m, "metric"))) {
                chosen.add(m);
            }
        }
        requireMemory(BatchEngine.SHARD_SIZE, opt.stateArraysPerParameter());
        opt.build(trainableWeights());
        this.optimizer = opt;
        this.loss = lossFunction;
        this.metrics = List.copyOf(chosen);
        return this;
    }

    /**
     * Whether {@code compile} has been called.
     *
     * @return true once compiled, until a layer is added
     */
    public boolean isCompiled() {
        return optimizer != null;
    }

    /**
     * The optimizer given to {@code compile}; null before.
     *
     * @return the optimizer, with its state, or null
     */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * The loss given to {@code compile}; null before.
     *
     * @return the loss, or null
     */
    public Loss loss() {
        return loss;
    }

    /**
     * The metrics given to {@code compile}, without repeats, in order.
     *
     * @return an unmodifiable list; empty before compile or when compiled without metrics
     */
    public List<Metric> metrics() {
        return metrics;
    }

    /**
     * Asks a running {@code fit} to stop: after the current batch when called during one (as
     * Keras's {@code stop_training}, checked after every batch), else after the current epoch.
     * The epoch still ends as usual: validation, its log and the callbacks' {@code onEpochEnd}.
     */
    public void stopTraining() {
        stopTraining = true;
    }

    /** Whether {@link #stopTraining()} was called since training began (read by {@link ShardedTraining}). */
    boolean stopRequested() {
        return stopTraining;
    }

    /** Forgets a stop request, as {@code fit} does when it begins. */
    void clearStopRequest() {
        stopTraining = false;
    }

    // ---- fit ----

    /**
     * Keras's {@code fit(x, y, ...)}: inputs (n, input shape) and integer class labels.
     *
     * @param x the inputs, {@code (n, input shape)}
     * @param y n class labels, each in [0, number of outputs)
     * @param options epochs, batch size, validation, callbacks and the other arguments of Keras's {@code fit}
     * @return one log per epoch trained
     * @throws IllegalArgumentException when x's shape is not the model's input, y's length is not
     *     x's batch size, a label is out of range, or as {@link #fit(Dataset, FitOptions)}
     * @throws IllegalStateException as {@link #fit(Dataset, FitOptions)}
     * @throws NonFiniteLossException as {@link #fit(Dataset, FitOptions)}
     */
    public History fit(Tensor x, int[] y, FitOptions options) {
        return fit(toDataset(x, y), options);
    }

    /**
     * Keras's {@code fit(x, y, ...)} with float targets: inputs (n, input shape) and targets (n,
     * output shape), such as regression values or one-hot labels; a 1-D y is one value per sample.
     *
     * @param x the inputs, {@code (n, input shape)}
     * @param y the targets, {@code (n, output shape)} or {@code (n)}
     * @param options epochs, batch size, validation, callbacks and the other arguments of Keras's {@code fit}
     * @return one log per epoch trained
     * @throws IllegalArgumentException when x's shape is not the model's input, y's batch size is
     *     not x's, or as {@link #fit(Dataset, FitOptions)}
     * @throws IllegalStateException as {@link #fit(Dataset, FitOptions)}
     * @throws NonFiniteLossException as {@link #fit(Dataset, FitOptions)}
     */
    public History fit(Tensor x, Tensor y, FitOptions options) {
        return fit(toDataset(x, y), options);
    }

    /**
     * Trains the model, as Keras's {@code fit}. Everything is checked before the first step, so a
     * call that fails on its arguments leaves the weights untouched.
     *
     * @param data the training samples and their targets (class labels or float targets)
     * @param options epochs, batch size, validation, callbacks and the other arguments of Keras's {@code fit}
     * @return one log per epoch trained: fewer than {@code options.epochs()} when a callback stopped training
     * @throws IllegalArgumentException when the data's inputs or targets do not fit the model (the
     *     message names both shapes), the loss or a metric does not fit the targets, the data is
     *     empty, a validation split leaves no sample on a side, or a sample or class weight is bad
     * @throws IllegalStateException when the model is not compiled, its trainable weights changed
     *     since compile, or a batch's buffers would not fit in the heap
     * @throws NonFiniteLossException when a batch's loss is NaN or infinite and no callback goes
     *     on (the weights are those before that batch)
     */
    public History fit(Dataset data, FitOptions options) {
        requireCompiled("fit");
        Objects.requireNonNull(options, "options");
        checkShape(data, "training data");
        Dataset train = data;
        float[] trainWeights = options.sampleWeight();
        Dataset validation = options.validationData();
        float[] validationWeights = null;
        if (trainWeights != null && trainWeights.length != data.size()) {
            throw new IllegalArgumentException("training data has " + data.size() + " samples, sample_weight has "
                    + trainWeights.length + " weights");
        }
        if (options.validationSplit() > 0) {
            int held = (int) (data.size() * options.validationSplit());
            if (held < 1 || held >= data.size()) {
                throw new IllegalArgumentException("validation split " + options.validationSplit() + " of " + data.size()
                        + " images leaves " + held + " for validation and " + (data.size() - held) + " for training");
            }
            train = data.subset(0, data.size() - held);
            validation = data.subset(data.size() - held, held);
            if (trainWeights != null) {
                // Keras splits sample_weight with the data: the held-out samples keep theirs
                validationWeights = Arrays.copyOfRange(trainWeights, train.size(), data.size());
                trainWeights = Arrays.copyOf(trainWeights, train.size());
            }
        }
        if (options.classWeight() != null) {
            // Keras turns class_weight into the training samples' weights (not the validation data's)
            trainWeights = ClassWeights.sampleWeights(train, options.classWeight());
        }
        Objective objective = objective("training data", train, trainWeights);
        Objective validationObjective = validation == null ? null
                : objective("validation data", checkShape(validation, "validation data"), validationWeights);
        int batch = Math.min(options.batchSize(), train.size());
        int batches = (train.size() + batch - 1) / batch;
        requireTrainableAsCompiled("fit");
        checkTrainingBatches(batch, train.size());
        String[] metricNames = objective.metricNames();
        List<String> logNames = new ArrayList<>();
        logNames.add("loss");
        logNames.addAll(List.of(metricNames));
        List<Callback> callbacks = new ArrayList<>();
        if (options.verbose() > 0) {
            // Redraw in place only on a terminal: the JVM has a console, and progress goes to one of its streams.
            PrintStream progress = options.progressStream();
            boolean inPlace = options.verbose() == 1 && System.console() != null
                    && (progress == System.out || progress == System.err);
            callbacks.add(new ProgressBar(options.progressStream(), inPlace, options.epochs()));
        }
        callbacks.addAll(options.callbacks());

        int[] order = new int[train.size()];
        History history = new History();
        BatchLog batchLog = new BatchLog(logNames);
        double[] metricTotals = new double[metricNames.length];
        stopTraining = false;
        LOG.debug("fit: {} samples, batch {}, {} epochs, {} threads, kernels {}", train.size(), batch,
                options.epochs(), threads, kernels.name());
        long validationBatches = validation == null ? 0 : (validation.size() + batch - 1) / batch;
        long plannedBatches = (long) options.epochs() * (batches + validationBatches);
        try (BatchEngine engine = newEngine(batch, loss.fusedActivation(), plannedBatches)) {
            LOG.debug("fit plan: {}", engine.describe());
            for (Callback c : callbacks) {
                c.onTrainBegin(this);
            }
            for (int epoch = 1; epoch <= options.epochs() && !stopTraining; epoch++) {
                beginEpoch(order, options.shuffle());
                for (Callback c : callbacks) {
                    c.onEpochBegin(epoch);
                }
                long start = System.nanoTime();
                double lossTotal = 0;
                double weightTotal = 0;
                Arrays.fill(metricTotals, 0.0);
                int seen = 0;
                for (int b = 0; b < batches && !stopTraining; b++) {
                    int from = b * batch;
                    int n = Math.min(batch, train.size() - from);
                    for (Callback c : callbacks) {
                        c.onBatchBegin(epoch, b + 1);
                    }
                    engine.computeGradients(objective, order, from, n, beginStep());
                    // Keras's batch loss: the weighted losses over the batch size, plus the weight penalties once
                    double batchLoss = engine.stepLossSum / n + engine.stepRegularization;
                    if (!Double.isFinite(batchLoss)) {
                        boolean goOn = false;
                        for (Callback c : callbacks) {
                            goOn |= c.onNonFiniteLoss(epoch, b + 1, batchLoss);
                        }
                        if (!goOn) {
                            throw new NonFiniteLossException(epoch, b + 1, batches, batchLoss);
                        }
                        LOG.warn("loss is {} in epoch {}, batch {}: batch skipped", batchLoss, epoch, b + 1);
                        continue;
                    }
                    engine.applyUpdate(optimizer);
                    // the epoch's loss is the batches' losses weighted by their sizes, as Keras's loss tracker
                    lossTotal += engine.stepLossSum + engine.stepRegularization * n;
                    weightTotal += engine.stepWeightSum;
                    for (int k = 0; k < metricTotals.length; k++) {
                        metricTotals[k] += engine.stepMetricSums[k];
                    }
                    seen += n;
                    batchLog.set(0, lossTotal / seen);
                    for (int k = 0; k < metricTotals.length; k++) {
                        batchLog.set(k + 1, weightedMean(metricTotals[k], weightTotal));
                    }
                    for (Callback c : callbacks) {
                        c.onBatchEnd(epoch, b + 1, batches, batchLog);
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                Map<String, Double> values = new LinkedHashMap<>();
                values.put("loss", seen == 0 ? Double.NaN : lossTotal / seen);
                for (int k = 0; k < metricNames.length; k++) {
                    values.put(metricNames[k], seen == 0 ? Double.NaN : weightedMean(metricTotals[k], weightTotal));
                }
                if (validationObjective != null) {
                    Evaluation v = evaluate(engine, validationObjective);
                    values.put("val_loss", v.loss());
                    for (String m : metricNames) {
                        values.put("val_" + m, v.get(m));
                    }
                }
                values.put("learning_rate", (double) optimizer.learningRate());
                EpochLog log = new EpochLog(epoch, values, seconds);
                history.add(log);
                LOG.debug("epoch {}: {}", epoch, log);
                for (Callback c : callbacks) {
                    c.onEpochEnd(epoch, log);
                }
            }
            for (Callback c : callbacks) {
                c.onTrainEnd(this, history);
            }
        }
        return history;
    }

    /** Keras's Mean metric result: the weighted sum over the summed weight, 0 when that is 0. */
    private static double weightedMean(double sum, double weight) {
        return weight == 0 ? 0 : sum / weight;
    }

    /** The objective of this model's loss and metrics on data whose shape was checked. */
    private Objective objective(String what, Dataset data, float[] sampleWeights) {
        if (data.size() == 0) {
            throw new IllegalArgumentException(what + " is empty");
        }
        return Objective.of(what, name, data, outputShape(), loss, metrics, sampleWeights);
    }

    /**
     * How many epochs {@code fit} has run on this model, over all calls (and before saving, for a loaded model).
     *
     * @return the count, which with the seed fixes the next epoch's shuffle
     */
    public long epochsTrained() {
        return epochsTrained;
    }

    /**
     * How many training batches {@code fit} has run on this model, over all calls.
     *
     * @return the count, which with the seed fixes the next step's dropout
     */
    public long stepsTrained() {
        return stepsTrained;
    }

    /**
     * Counts a new epoch and writes its order of the training images into {@code order}: shuffled
     * with a seed derived from the model's seed and the epoch count, so that it is the same in every
     * run, resumed or not.
     */
    void beginEpoch(int[] order, boolean shuffle) {
        epochsTrained++;
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            shuffle(order, new SplittableRandom(derivedSeed(SHUFFLE_STREAM, epochsTrained)));
        }
    }

    /** Counts a new training step and returns the seed of its randomness (dropout), derived from the model's seed and the step count. */
    long beginStep() {
        stepsTrained++;
        return derivedSeed(NOISE_STREAM, stepsTrained);
    }

    /** Puts back the training progress of a saved model, so that its next epoch shuffles and drops out as the original's would. */
    void restoreProgress(long epochs, long steps) {
        if (epochs < 0 || steps < 0) {
            throw new IllegalArgumentException("training progress must not be negative, found " + epochs + " epochs and "
                    + steps + " steps");
        }
        epochsTrained = epochs;
        stepsTrained = steps;
    }

    private static final long SHUFFLE_STREAM = 1;
    private static final long NOISE_STREAM = 2;

    /** A seed for one use ({@code stream}) at one point of training ({@code index}), well mixed from the model's seed. */
    private long derivedSeed(long stream, long index) {
        return new SplittableRandom(seed ^ (stream * 0xBF58476D1CE4E5B9L) ^ (index * 0x9E3779B97F4A7C15L)).nextLong();
    }

    /** Fisher-Yates. */
    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    // ---- evaluate and predict ----

    /**
     * Keras's {@code evaluate(x, y)}: the mean loss and the metrics over the samples.
     *
     * @param x the inputs, {@code (n, input shape)}
     * @param y n class labels, each in [0, number of outputs)
     * @return the loss and each compiled metric
     * @throws IllegalArgumentException when x's shape is not the model's input, y's length is not
     *     x's batch size, a label is out of range, or as {@link #evaluate(Dataset)}
     * @throws IllegalStateException as {@link #evaluate(Dataset)}
     */
    public Evaluation evaluate(Tensor x, int[] y) {
        return evaluate(toDataset(x, y));
    }

    /**
     * Keras's {@code evaluate(x, y)} with float targets (n, output shape).
     *
     * @param x the inputs, {@code (n, input shape)}
     * @param y the targets, {@code (n, output shape)} or {@code (n)}
     * @return the loss and each compiled metric
     * @throws IllegalArgumentException when x's shape is not the model's input, y's batch size is
     *     not x's, or as {@link #evaluate(Dataset)}
     * @throws IllegalStateException as {@link #evaluate(Dataset)}
     */
    public Evaluation evaluate(Tensor x, Tensor y) {
        return evaluate(toDataset(x, y));
    }

    /**
     * Keras's {@code evaluate}: the mean loss and the metrics over the data set. Safe to call from
     * several threads at once while nothing changes the model (see the class comment).
     *
     * @param data the samples and their targets
     * @return the mean loss (weight penalties included) and each compiled metric
     * @throws IllegalArgumentException when the data is empty, its inputs do not have the model's
     *     input shape, or the loss or a metric does not fit its targets
     * @throws IllegalStateException when the model is not compiled, or a batch's buffers would not
     *     fit in the heap
     */
    public Evaluation evaluate(Dataset data) {
        return evaluate(data, null);
    }

    /**
     * Keras's {@code evaluate(..., sample_weight=...)}: the loss is the weighted losses' sum over
     * the number of samples, the metrics are weighted means; with the weight penalties' loss
     * added, as Keras's evaluation loss has it.
     *
     * @param data the samples and their targets
     * @param sampleWeights one weight per sample, finite and at least 0; null for none
     * @return the loss and the weighted mean of each compiled metric
     * @throws IllegalArgumentException as {@link #evaluate(Dataset)}, and when the weights are not
     *     one per sample or one is negative or not finite
     * @throws IllegalStateException as {@link #evaluate(Dataset)}
     */
    public Evaluation evaluate(Dataset data, float[] sampleWeights) {
        requireCompiled("evaluate");
        Objective objective = objective("evaluation data", checkShape(data, "evaluation data"), sampleWeights);
        int capacity = Math.min(INFERENCE_BATCH, data.size());
        try (BatchEngine engine = newEngine(capacity, null, (data.size() + capacity - 1) / capacity)) {
            return evaluate(engine, objective);
        }
    }

    private Evaluation evaluate(BatchEngine engine, Objective objective) {
        Dataset data = objective.data();
        String[] names = objective.metricNames();
        double lossSum = 0;
        double weightSum = 0;
        double[] metricSums = new double[names.length];
        int capacity = engine.capacity();
        for (int from = 0; from < data.size(); from += capacity) {
            int n = Math.min(capacity, data.size() - from);
            engine.forward(data, objective, null, from, n, null);
            lossSum += engine.stepLossSum;
            weightSum += engine.stepWeightSum;
            for (int k = 0; k < names.length; k++) {
                metricSums[k] += engine.stepMetricSums[k];
            }
        }
        Map<String, Double> metricValues = new LinkedHashMap<>();
        for (int k = 0; k < names.length; k++) {
            metricValues.put(names[k], weightedMean(metricSums[k], weightSum));
        }
        return new Evaluation(lossSum / data.size() + engine.regularizationLoss(), metricValues);
    }

    /**
     * The model's outputs for a batch of images {@code (n, input shape)}, or for one image given
     * without batch dimension; always with a batch dimension, {@code (n, output shape)}.
     *
     * <p>Safe to call from several threads at once while nothing changes the model (see the class
     * comment); each call plans and allocates its own buffers, and spreads a batch over
     * {@link #threads()} threads of its own. For many small calls, a {@link #predictor()} does
     * that once and gives the same bits.
     *
     * @param x samples of shape {@code (n, input shape)}, or one of the input shape
     * @return a new tensor of the outputs, {@code (n, output shape)}; n is 1 for a single sample
     * @throws IllegalArgumentException naming the model's input shape and x's
     * @throws IllegalStateException when the model has no layers, or a batch's buffers would not fit in the heap
     */
    public Tensor predict(Tensor x) {
        requireLayers();
        Objects.requireNonNull(x, "x");
        return predict(null, x.data(), samplesIn(x, inputShape, name));
    }

    /**
     * How many samples x holds: 1 when its shape is the input shape, n when it is (n, input shape).
     *
     * @throws IllegalArgumentException naming the model, its input shape and x's
     */
    static int samplesIn(Tensor x, Shape inputShape, String modelName) {
        Shape s = x.shape();
        if (s.equals(inputShape)) {
            return 1;
        } else if (s.rank() == inputShape.rank() + 1 && s.withoutBatch().equals(inputShape)) {
            return s.dim(0);
        }
        throw new IllegalArgumentException("model '" + modelName + "' takes input of shape " + inputShape.toTuple("n")
                + " or " + inputShape + " for one sample, given " + s);
    }

    /**
     * The model's outputs for every image of a data set, {@code (size, output shape)}.
     *
     * @param data the samples (their targets are not read)
     * @return a new tensor of the outputs, in the data set's order
     * @throws IllegalArgumentException when the samples do not have the model's input shape
     * @throws IllegalStateException when the model has no layers, or a batch's buffers would not fit in the heap
     */
    public Tensor predict(Dataset data) {
        requireLayers();
        checkShape(data, "prediction data");
        return predict(data, null, data.size());
    }

    private Tensor predict(Dataset data, float[] input, int n) {
        Shape outShape = outputShape().withBatch(n);      // checks that n outputs fit in one array
        float[] out = new float[outShape.size()];
        int capacity = Math.min(INFERENCE_BATCH, n);
        try (BatchEngine engine = newEngine(capacity, null, (n + capacity - 1) / capacity)) {
            for (int from = 0; from < n; from += engine.capacity()) {
                engine.forward(data, null, input, from, Math.min(engine.capacity(), n - from), out);
            }
        }
        return new Tensor(outShape, out);
    }

    // ---- serving ----

    /**
     * A thread-safe predictor over a snapshot of this model's weights, for serving: calls from any
     * number of threads at once, each run on the calling thread, at most as many at once as there
     * are processors (the others wait for a free lane); see {@link Predictor}.
     *
     * @return a new predictor over a copy of the current weights
     * @throws IllegalStateException if the model has no layers, or the snapshot would not fit in the heap
     * @throws IllegalArgumentException naming the layer, if a custom layer's type is not
     *     {@linkplain io.github.purecnn.layers.Layers#register registered} (the snapshot is made from
     *     the layers' configs, as loading a model file does)
     */
    public Predictor predictor() {
        return predictor(Runtime.getRuntime().availableProcessors());
    }

    /**
     * A predictor as {@link #predictor()}, running at most {@code maxConcurrentCalls} calls at once
     * and keeping as many lanes (the buffers of a forward pass over 16 samples) at most.
     *
     * <p>Call it from the thread that trains the model, between {@code fit} calls or from a
     * callback: the snapshot copies the weights as they are, and a copy taken during a training
     * step of another thread would mix two steps.
     *
     * @param maxConcurrentCalls the most calls that run at once, at least 1; each keeps a lane, so
     *     this also bounds the predictor's memory
     * @return a new predictor over a copy of the current weights
     * @throws IllegalArgumentException if {@code maxConcurrentCalls} is below 1, or naming the layer as
     *     {@link #predictor()}
     * @throws IllegalStateException if the model has no layers, or the snapshot and its lanes would
     *     not fit in the heap
     */
    public Predictor predictor(int maxConcurrentCalls) {
        requireLayers();
        if (maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("maxConcurrentCalls must be at least 1, found " + maxConcurrentCalls);
        }
        // the snapshot's weights, and a lane of 16 samples for each call that may run at once
        requireMemory((int) Math.min(Integer.MAX_VALUE, (long) maxConcurrentCalls * BatchEngine.SHARD_SIZE), 0);
        return new Predictor(snapshot(), maxConcurrentCalls);
    }

    /**
     * A copy of this model that shares nothing with it: the same layers made again from their
     * configs (as a model file is loaded), the same weights, seed and kernels; not compiled.
     */
    private Sequential snapshot() {
        Sequential copy = new Sequential(seed, inputShape).named(name);
        for (Layer l : layers) {
            Layer again;
            try {
                again = Layers.fromConfig(l.typeName(), l.config());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot copy layer '" + l.name() + "' of model '" + name + "': "
                        + e.getMessage(), e);
            }
            copy.add(again);
        }
        List<Parameter> from = weights();
        List<Parameter> to = copy.weights();
        for (int i = 0; i < from.size(); i++) {
            to.get(i).set(from.get(i).value());
        }
        copy.kernels(kernels);
        return copy;
    }

    // ---- checks ----

    /**
     * Checks that the model has weights to train and that they are those the optimizer was bound
     * to at {@code compile} (the trainable flags may have changed since).
     *
     * @throws IllegalStateException naming the layers, and saying what to do
     */
    void requireTrainableAsCompiled(String action) {
        List<Parameter> now = trainableWeights();
        if (now.isEmpty()) {
            List<String> frozen = layers.stream().filter(l -> !l.isTrainable()).map(Layer::name).toList();
            throw new IllegalStateException("cannot " + action + " model '" + name + "': it has no trainable weights ("
                    + (frozen.isEmpty() ? "none of its layers has weights" : "frozen layers: " + String.join(", ", frozen))
                    + "); unfreeze a layer with trainable(true) and compile again");
        }
        List<Parameter> bound = optimizer.parameters();
        if (!bound.equals(now)) {
            Set<String> changed = new java.util.LinkedHashSet<>();
            for (Layer l : layers) {
                for (Parameter p : l.parameters()) {
                    if (bound.contains(p) != now.contains(p)) {
                        changed.add(l.name() + (l.isTrainable() ? " (unfrozen)" : " (frozen)"));
                    }
                }
            }
            throw new IllegalStateException("cannot " + action + " model '" + name + "': its trainable weights changed since"
                    + " compile (layers " + String.join(", ", changed) + "); call compile again, with a new optimizer, as Keras requires");
        }
    }

    /** Lets every layer check the batch sizes an epoch of {@code samples} uses: {@code batch}, and the last one. */
    private void checkTrainingBatches(int batch, int samples) {
        int last = samples % batch;
        for (Layer l : layers) {
            l.checkTrainingBatch(batch);
            if (last != 0) {
                try {
                    l.checkTrainingBatch(last);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(e.getMessage() + " (the last batch of each epoch: " + samples
                            + " samples in batches of " + batch + ")", e);
                }
            }
        }
    }

    /**
     * An engine for batches of {@code capacity}, after the memory check, that expects to run
     * {@code plannedBatches} batches (which decides the path it starts on: see {@link PathSwitch});
     * {@code fusedActivation} as {@link BatchEngine} takes it.
     */
    private BatchEngine newEngine(int capacity, Activation fusedActivation, long plannedBatches) {
        requireMemory(capacity, optimizer == null ? 0 : optimizer.stateArraysPerParameter());
        PathSwitch pathSwitch = forcedStart != null ? PathSwitch.forcedAt(forcedStart, forcedSwitchBatch)
                : PathSwitch.forRun(kernels, plannedBatches);
        return new BatchEngine(layers, capacity, kernels, threads, fusedActivation, pathSwitch);
    }

    /**
     * For tests: every engine this model makes from now on runs its batches before batch
     * {@code batch} (0-based, counted per engine) on {@code start}, the rest on {@link #kernels()}.
     */
    void switchPathAt(Kernels start, long batch) {
        forcedStart = Objects.requireNonNull(start, "start");
        forcedSwitchBatch = batch;
    }

    /**
     * Refuses, before allocating, what would not fit in the heap: this model with
     * {@code optimizerArrays} state arrays per parameter, run on batches of {@code batch} images.
     */
    private void requireMemory(int batch, int optimizerArrays) {
        String shortfall = MemoryEstimate.of(inputShape, layers, optimizerArrays).shortfall(batch, 0);
        if (shortfall != null) {
            throw new IllegalStateException("model '" + name + "' " + shortfall);
        }
    }

    private void requireLayers() {
        if (layers.isEmpty()) {
            throw new IllegalStateException("model '" + name + "' has no layers");
        }
    }

    private void requireCompiled(String action) {
        requireLayers();
        if (optimizer == null) {
            throw new IllegalStateException("call compile(optimizer, loss, metrics) before " + action
                    + " on model '" + name + "'" + (loss != null ? " (it was changed after compiling)" : ""));
        }
    }

    /** The data, after checking that its samples have the model's input shape. */
    private Dataset checkShape(Dataset data, String what) {
        Objects.requireNonNull(data, what);
        if (!data.sampleShape().equals(inputShape)) {
            throw new IllegalArgumentException(what + " has " + (inputShape.rank() == 3 ? "images" : "samples")
                    + " of shape " + data.sampleShape() + ", model '" + name + "' takes " + inputShape);
        }
        return data;
    }

    private void checkInputs(Tensor x) {
        Objects.requireNonNull(x, "x");
        if (x.shape().rank() != inputShape.rank() + 1 || !x.shape().withoutBatch().equals(inputShape)) {
            throw new IllegalArgumentException("model '" + name + "' takes input of shape " + inputShape.toTuple("n")
                    + ", given " + x.shape());
        }
    }

    private Dataset toDataset(Tensor x, int[] y) {
        checkInputs(x);
        Objects.requireNonNull(y, "y");
        if (y.length != x.batchSize()) {
            throw new IllegalArgumentException("x has " + x.batchSize() + " samples but y has " + y.length + " labels");
        }
        return Dataset.of(x, y, outputShape().size());
    }

    private Dataset toDataset(Tensor x, Tensor y) {
        checkInputs(x);
        Objects.requireNonNull(y, "y");
        if (y.batchSize() != x.batchSize()) {
            throw new IllegalArgumentException("x has " + x.batchSize() + " samples but y has " + y.batchSize()
                    + " (y's shape " + y.shape() + ")");
        }
        return Dataset.of(x, Targets.values(y));
    }

    @Override
    public String toString() {
        return "Sequential '" + name + "' " + inputShape + " -> " + outputShape() + ", " + layers.size() + " layers";
    }
}
