package io.github.purecnn.data;

import io.github.purecnn.image.Interpolation;
import io.github.purecnn.kernels.image.Resize;
import io.github.purecnn.tensor.Shape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Loads a folder of images sorted into one sub-folder per class, as Keras's
 * {@code keras.utils.image_dataset_from_directory} does:
 * <pre>
 * flowers/
 *   daisy/    img_001.jpg, img_002.png, ...
 *   tulip/    ...
 * </pre>
 * gives label 0 to {@code daisy} and 1 to {@code tulip} (class folders sorted by name, or an
 * explicit list of class names). Each class folder is searched recursively for files ending in
 * {@code .png}, {@code .jpg}, {@code .jpeg}, {@code .bmp} or {@code .gif} (in any case); other
 * files are ignored. Images are read with {@code javax.imageio} (see {@link Options} for colour
 * modes, sizes, the validation split and bad files).
 *
 * <p>File order and split follow Keras's rule exactly: the class folders in label order, each
 * folder's files sorted by path; then, with {@code shuffle}, the whole list shuffled by NumPy's
 * {@code RandomState(seed).shuffle}; then {@code validation_split} keeps the last
 * {@code int(validation_split * n)} files for validation and the others for training. So the same
 * seed puts the same files in the same subset as Keras does. (Keras also reshuffles the files in a
 * buffer when it makes its {@code tf.data} pipeline; purecnn's {@code fit} shuffles every epoch
 * instead.)
 *
 * <p>Pixels are stored as bytes, one per channel. Keras hands out the float output of its bilinear
 * resize; here resized pixels are rounded to the nearest integer (at most 0.5 off Keras's value).
 * They are handed out as floats in 0..255 like Keras's, or in 0..1 ({@link Options#pixelScale}).
 *
 * <p>A file that cannot be read (not an image, damaged, truncated, too large) stops the load with
 * an {@link ImageFileException} naming it; with {@link Options#skipBadFiles} it is left out and
 * counted in a log line instead. Either way no partly loaded data set is ever returned.
 */
public final class ImageFolders {
    private static final Logger LOG = LoggerFactory.getLogger(ImageFolders.class);
    /** Keras's ALLOWLIST_FORMATS. */
    private static final List<String> EXTENSIONS = List.of(".bmp", ".gif", ".jpeg", ".jpg", ".png");

    /** How many channels images are converted to, Keras's {@code color_mode}. */
    public enum ColorMode {
        /** One channel. */
        GRAYSCALE(1),
        /** Three channels, red, green, blue. */
        RGB(3),
        /** Four channels, red, green, blue, alpha. */
        RGBA(4);

        private final int channels;

        ColorMode(int channels) {
            this.channels = channels;
        }

        /**
         * The number of channels: 1, 3 or 4.
         *
         * @return the last dimension of every loaded image's shape (height, width, channels)
         */
        public int channels() {
            return channels;
        }
    }

    /** How labels are handed out, Keras's {@code label_mode}. */
    public enum LabelMode {
        /** Integer class labels, for {@code sparse_categorical_crossentropy}. */
        INT,
        /** One-hot float targets of shape (classes,), for {@code categorical_crossentropy}. */
        CATEGORICAL,
        /** One float target of shape (1,), 0 or 1, for {@code binary_crossentropy}; exactly two classes. */
        BINARY
    }

    /** Which part of a validation split to load, Keras's {@code subset}. */
    public enum Subset {
        /** The first {@code n - int(validation_split * n)} files. */
        TRAINING,
        /** The last {@code int(validation_split * n)} files. */
        VALIDATION
    }

    /**
     * The arguments of {@code image_dataset_from_directory}, with Keras's defaults: labels
     * {@code INT}, colour {@code RGB}, size 256 x 256, shuffled, no split, pixels 0..255.
     * Setters return this options object, to be chained.
     */
    public static final class Options {
        /** Keras's defaults, which the setters change. */
        public Options() {
        }

        private List<String> classNames;
        private LabelMode labelMode = LabelMode.INT;
        private ColorMode colorMode = ColorMode.RGB;
        private int height = 256;
        private int width = 256;
        private boolean cropToAspectRatio;
        private boolean shuffle = true;
        private Long seed;
        private double validationSplit;
        private Subset subset;
        private PixelScale pixelScale = PixelScale.RAW;
        private boolean skipBadFiles;
        private long maxImagePixels = 1L << 24;

        /**
         * An explicit class list, in label order; each must be a sub-folder. Default: all sub-folders, sorted.
         *
         * @param names the class folders' names, Keras's {@code class_names}: label {@code i} is
         *     {@code names.get(i)}; null for the default; copied, and checked against the folder when loading
         * @return this options object
         */
        public Options classNames(List<String> names) {
            this.classNames = names == null ? null : List.copyOf(names);
            return this;
        }

        /**
         * Keras's {@code label_mode}; default {@link LabelMode#INT}.
         *
         * @param mode integer labels, one-hot targets, or one 0/1 target (exactly two classes)
         * @return this options object
         * @throws NullPointerException if {@code mode} is null
         */
        public Options labelMode(LabelMode mode) {
            this.labelMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Keras's {@code color_mode}; default {@link ColorMode#RGB}.
         *
         * @param mode the channels every image is converted to: 1, 3 or 4
         * @return this options object
         * @throws NullPointerException if {@code mode} is null
         */
        public Options colorMode(ColorMode mode) {
            this.colorMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Keras's {@code image_size}: every image is resized to this (bilinear); default 256 x 256.
         *
         * @param height the loaded images' height in pixels, at least 1
         * @param width  the loaded images' width in pixels, at least 1
         * @return this options object
         * @throws IllegalArgumentException if a size is below 1
         */
        public Options imageSize(int height, int width) {
            if (height < 1 || width < 1) {
                throw new IllegalArgumentException("image size must be at least 1 x 1, found " + height + " x " + width);
            }
            this.height = height;
            this.width = width;
            return this;
        }

        /**
         * Keras's {@code crop_to_aspect_ratio}: crop the largest centred window of the target's aspect ratio first.
         *
         * @param crop true to crop before resizing, so that images are not distorted; false (Keras's default)
         *     to resize the whole image
         * @return this options object
         */
        public Options cropToAspectRatio(boolean crop) {
            this.cropToAspectRatio = crop;
            return this;
        }

        /**
         * Keras's {@code shuffle}; default true. Without it the files stay in sorted order.
         *
         * @param shuffle true to shuffle the file list with the seed before the split
         * @return this options object
         */
        public Options shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /**
         * Keras's {@code seed}, 0 to 2^32 - 1; needed with a validation split and shuffling.
         *
         * @param seed the seed of NumPy's {@code RandomState} shuffle, 0 to 2^32 - 1; without one, a shuffle
         *     draws a seed below one million as Keras does
         * @return this options object
         * @throws IllegalArgumentException if the seed is outside 0 to 2^32 - 1
         */
        public Options seed(long seed) {
            if (seed < 0 || seed > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("seed must be between 0 and 2^32 - 1, as NumPy's RandomState"
                        + " requires, found " + seed);
            }
            this.seed = seed;
            return this;
        }

        /**
         * Keras's {@code validation_split} and {@code subset}: the fraction held out, and which part to load.
         *
         * @param fraction the part of the files held out for validation, strictly between 0 and 1: the last
         *     {@code int(fraction * n)} files
         * @param part     which part {@link ImageFolders#load} loads; {@link ImageFolders#loadBoth} loads both
         * @return this options object
         * @throws IllegalArgumentException if the fraction is not strictly between 0 and 1
         * @throws NullPointerException if {@code part} is null
         */
        public Options validationSplit(double fraction, Subset part) {
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("validation split must be between 0 and 1, found " + fraction);
            }
            this.validationSplit = fraction;
            this.subset = Objects.requireNonNull(part, "part");
            return this;
        }

        /**
         * How pixels are handed out: {@link PixelScale#RAW} (0..255, Keras's default) or
         * {@link PixelScale#UNIT} (0..1).
         *
         * @param scale the pixel scale; the stored bytes are the same either way
         * @return this options object
         * @throws NullPointerException if {@code scale} is null
         */
        public Options pixelScale(PixelScale scale) {
            this.pixelScale = Objects.requireNonNull(scale, "scale");
            return this;
        }

        /**
         * Leave unreadable files out (counted in a log line) instead of failing; default false.
         *
         * @param skip true to leave out files that cannot be decoded, false to fail on the first with an
         *     {@link ImageFileException}
         * @return this options object
         */
        public Options skipBadFiles(boolean skip) {
            this.skipBadFiles = skip;
            return this;
        }

        /**
         * The most pixels one image may have, checked before decoding; default 2^24 (4096 x 4096).
         *
         * @param pixels the largest width times height of a file's image, at least 1; a larger image is an
         *     {@link ImageFileException} (or skipped) before its pixels are decoded
         * @return this options object
         * @throws IllegalArgumentException if {@code pixels} is below 1
         */
        public Options maxImagePixels(long pixels) {
            if (pixels < 1) {
                throw new IllegalArgumentException("maxImagePixels must be at least 1, found " + pixels);
            }
            this.maxImagePixels = pixels;
            return this;
        }
    }

    /**
     * A loaded image folder: the data set, the class names in label order (Keras's
     * {@code class_names}) and the files of the samples in order (Keras's {@code file_paths}).
     *
     * @param dataset    the images with their targets, in the order of {@code files}
     * @param classNames the class folders' names; label {@code i} is {@code classNames.get(i)}
     * @param files      the file of each sample, in sample order (skipped bad files left out)
     */
    public record Loaded(Dataset dataset, List<String> classNames, List<Path> files) {
    }

    /**
     * Both parts of a validation split, Keras's {@code subset="both"}.
     *
     * @param training   the first {@code n - int(validation_split * n)} files
     * @param validation the last {@code int(validation_split * n)} files
     */
    public record Both(Loaded training, Loaded validation) {
    }

    private ImageFolders() {
    }

    /**
     * Loads the images under {@code dir} (the part {@link Options#validationSplit} selects, if
     * any).
     *
     * @param dir     the folder of class folders
     * @param options Keras's arguments; {@code new Options()} for Keras's defaults
     * @return the data set, in memory, with its class names and files
     * @throws NoSuchFileException if {@code dir} does not exist
     * @throws NotDirectoryException if {@code dir} is not a folder
     * @throws DatasetFormatException if it has no class folders or they hold no image files, or
     *     no file can be read when bad files are skipped
     * @throws ImageFileException naming the first file that cannot be read, unless bad files are skipped
     * @throws IllegalArgumentException if an explicit class is not a sub-folder, a split with
     *     shuffling lacks a seed, the split leaves a part empty, binary labels do not have exactly
     *     two classes, or the images take more bytes than one array holds
     * @throws IOException if a folder cannot be listed
     */
    public static Loaded load(Path dir, Options options) throws IOException {
        Index index = index(dir, options);
        if (options.validationSplit == 0) {
            return decode(dir, index, 0, index.files.size(), options);
        }
        int validation = validationCount(dir, index, options);
        int training = index.files.size() - validation;
        LOG.info("Using {} files for {}.", options.subset == Subset.TRAINING ? training : validation,
                options.subset.name().toLowerCase(Locale.ROOT));
        return options.subset == Subset.TRAINING ? decode(dir, index, 0, training, options)
                : decode(dir, index, training, validation, options);
    }

    /**
     * Loads both parts of the validation split {@code options} sets (its subset is ignored), as
     * Keras's {@code subset="both"}: the same file order, training files first.
     *
     * @param dir     the folder of class folders
     * @param options Keras's arguments, with a validation split
     * @return the training and the validation part, which share no file
     * @throws IllegalArgumentException if {@code options} have no validation split, and as {@link #load}
     * @throws IOException as {@link #load}: a missing folder, no images, or a file that cannot be read
     */
    public static Both loadBoth(Path dir, Options options) throws IOException {
        if (options.validationSplit == 0) {
            throw new IllegalArgumentException("loadBoth needs a validation split: call Options.validationSplit");
        }
        Index index = index(dir, options);
        int validation = validationCount(dir, index, options);
        int training = index.files.size() - validation;
        LOG.info("Using {} files for training and {} for validation.", training, validation);
        return new Both(decode(dir, index, 0, training, options), decode(dir, index, training, validation, options));
    }

    /**
     * Writes the images {@link #load} would load to a {@link DatasetFile}, decoding one image at
     * a time: for image folders larger than the heap. Labels must be {@link LabelMode#INT}, and
     * bad files cannot be skipped (the file's sample count is fixed before the first image is
     * decoded): the first unreadable file fails the write, which then leaves no file behind.
     *
     * @param dir     the folder of class folders
     * @param options Keras's arguments, with label mode {@link LabelMode#INT} and no skipping
     * @param file    the data set file to write, replaced atomically
     * @return the data set file, opened
     * @throws IllegalArgumentException if the options ask for other labels or for skipping, and as
     *     {@link #load}
     * @throws ImageFileException naming the first file that cannot be read; {@code file} is then
     *     left as it was
     * @throws IOException as {@link #load}, or if {@code file} cannot be written
     */
    public static Loaded writeDatasetFile(Path dir, Options options, Path file) throws IOException {
        if (options.labelMode != LabelMode.INT || options.skipBadFiles) {
            throw new IllegalArgumentException("writing a DatasetFile needs label mode INT and no skipping of bad"
                    + " files, found " + options.labelMode + (options.skipBadFiles ? " with skipping" : ""));
        }
        Index index = index(dir, options);
        int from = 0;
        int count = index.files.size();
        if (options.validationSplit > 0) {
            int validation = validationCount(dir, index, options);
            from = options.subset == Subset.TRAINING ? 0 : count - validation;
            count = options.subset == Subset.TRAINING ? count - validation : validation;
        }
        int first = from;
        Shape sampleShape = Shape.of(options.height, options.width, options.colorMode.channels());
        DatasetFile.writeBytes(file, count, sampleShape, options.pixelScale, index.classNames.size(), (i, sample) -> {
            byte[] image = sample(index.files.get(first + i), options);
            System.arraycopy(image, 0, sample, 0, sample.length);
            return index.labels.get(first + i);
        });
        return new Loaded(DatasetFile.open(file), index.classNames, List.copyOf(index.files.subList(from, from + count)));
    }

    /** The files with their labels in Keras's order, and the class names. */
    private record Index(List<String> classNames, List<Path> files, List<Integer> labels) {
    }

    private static Index index(Path dir, Options options) throws IOException {
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such image folder");
        }
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(dir.toString());
        }
        List<String> folders = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            children.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith(".")).forEach(folders::add);
        }
        folders.sort(ImageFolders::compareCodePoints);
        List<String> classes = folders;
        if (options.classNames != null) {
            Set<String> missing = new LinkedHashSet<>(options.classNames);
            missing.removeAll(folders);
            if (!missing.isEmpty() || options.classNames.isEmpty()) {
                throw new IllegalArgumentException("class names " + options.classNames + " must be sub-folders of "
                        + dir + "; " + (missing.isEmpty() ? "none given" : "not found: " + missing)
                        + "; the sub-folders are " + folders);
            }
            classes = options.classNames;
        }
        if (classes.isEmpty()) {
            throw new DatasetFormatException(dir + ": no class folders: expected one sub-folder of images per class");
        }
        if (options.labelMode == LabelMode.BINARY && classes.size() != 2) {
            throw new IllegalArgumentException("label mode BINARY needs exactly 2 classes, " + dir + " has "
                    + classes.size() + ": " + classes);
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            for (Path file : imageFiles(dir.resolve(classes.get(c)))) {
                files.add(file);
                labels.add(c);
            }
        }
        if (files.isEmpty()) {
            throw new DatasetFormatException(dir + ": no image files in the class folders " + classes
                    + ": expected files ending in " + String.join(", ", EXTENSIONS));
        }
        LOG.info("Found {} files belonging to {} classes.", files.size(), classes.size());
        if (options.shuffle) {
            if (options.seed == null && options.validationSplit > 0) {
                throw new IllegalArgumentException("a validation split of shuffled files needs a seed, so that"
                        + " training and validation do not overlap: call Options.seed");
            }
            // Keras draws a seed below one million when none is given.
            long seed = options.seed != null ? options.seed : ThreadLocalRandom.current().nextLong(1_000_000);
            // Keras shuffles paths and labels with two generators of the same seed: one permutation.
            new LegacyRandomState(seed).shuffle(files);
            new LegacyRandomState(seed).shuffle(labels);
        }
        return new Index(List.copyOf(classes), files, labels);
    }

    /**
     * The image files under a class folder in Keras's order: by folder path, then file name
     * (Python sorts {@code os.walk}'s tuples by folder, then each folder's file names).
     */
    private static List<Path> imageFiles(Path classDir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(classDir)) {
            walk.filter(Files::isRegularFile).filter(p -> {
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return EXTENSIONS.stream().anyMatch(name::endsWith);
            }).forEach(files::add);
        }
        Comparator<Path> byFolder = (a, b) -> compareCodePoints(a.getParent().toString(), b.getParent().toString());
        files.sort(byFolder.thenComparing((a, b) -> compareCodePoints(a.getFileName().toString(),
                b.getFileName().toString())));
        return files;
    }

    /** Python's string order: by Unicode code point (Java's compareTo orders UTF-16 units). */
    private static int compareCodePoints(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    private static int validationCount(Path dir, Index index, Options options) {
        int n = index.files.size();
        int validation = (int) (options.validationSplit * n);
        if (validation < 1 || validation >= n) {
            // Keras would return an empty training set (its files[:-0]) or an empty validation set.
            throw new IllegalArgumentException("validation split " + options.validationSplit + " of the " + n
                    + " files in " + dir + " leaves " + validation + " for validation and " + (n - validation)
                    + " for training; both need at least one");
        }
        return validation;
    }

    /** Decodes files {@code [from, from + count)} of the index into a data set. */
    private static Loaded decode(Path dir, Index index, int from, int count, Options options) throws IOException {
        int channels = options.colorMode.channels();
        Shape sampleShape = Shape.of(options.height, options.width, channels);
        int sampleSize = sampleShape.size();
        long total = (long) count * sampleSize;
        if (total > ByteSamples.MAX_BYTES) {
            throw new IllegalArgumentException(count + " images of " + sampleShape + " take " + total
                    + " bytes, more than one array holds (" + ByteSamples.MAX_BYTES + "); write them to a"
                    + " DatasetFile in parts, or choose a smaller image size");
        }
        byte[] pixels = new byte[(int) total];
        int[] labels = new int[count];
        List<Path> kept = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int n = 0;
        for (int i = from; i < from + count; i++) {
            Path file = index.files.get(i);
            byte[] image;
            try {
                image = sample(file, options);
            } catch (ImageFileException e) {
                if (!options.skipBadFiles) {
                    throw e;
                }
                skipped.add(e.getMessage());
                continue;
            }
            System.arraycopy(image, 0, pixels, n * sampleSize, sampleSize);
            labels[n++] = index.labels.get(i);
            kept.add(file);
        }
        if (!skipped.isEmpty()) {
            LOG.warn("skipped {} of {} image files in {} that cannot be read; the first: {}", skipped.size(), count,
                    dir, skipped.get(0));
        }
        if (n == 0) {
            throw new DatasetFormatException(dir + ": none of the " + count + " image files can be read; the first: "
                    + skipped.get(0));
        }
        pixels = n == count ? pixels : Arrays.copyOf(pixels, n * sampleSize);
        labels = n == count ? labels : Arrays.copyOf(labels, n);
        int classes = index.classNames.size();
        Targets targets = switch (options.labelMode) {
            case INT -> Targets.adoptClasses(labels, classes);
            case CATEGORICAL -> Targets.oneHot(labels, classes);
            case BINARY -> Targets.ofStore(new FloatSamples(toFloats(labels), Shape.of(1)));
        };
        return new Loaded(Dataset.adoptBytes(pixels, sampleShape, options.pixelScale, targets), index.classNames,
                List.copyOf(kept));
    }

    private static float[] toFloats(int[] labels) {
        float[] out = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = labels[i];
        }
        return out;
    }

    /** One file decoded and fitted to the options' size and channels. */
    private static byte[] sample(Path file, Options options) throws IOException {
        int channels = options.colorMode.channels();
        return fitted(ImageDecoder.decode(file, channels, options.maxImagePixels), options, channels);
    }

    /** The decoded image at the options' size: cropped to the aspect ratio if asked, resized bilinearly, rounded. */
    private static byte[] fitted(ImageDecoder.Image image, Options options, int channels) {
        int top = 0;
        int left = 0;
        int height = image.height();
        int width = image.width();
        if (options.cropToAspectRatio) {
            int[] box = Resize.aspectRatioCrop(height, width, options.height, options.width);
            top = box[0];
            left = box[1];
            height = box[2];
            width = box[3];
        }
        if (height == options.height && width == options.width && height == image.height()
                && width == image.width()) {
            return image.pixels();
        }
        float[] src = new float[height * width * channels];
        byte[] pixels = image.pixels();
        for (int y = 0; y < height; y++) {
            int row = ((top + y) * image.width() + left) * channels;
            for (int k = 0; k < width * channels; k++) {
                src[y * width * channels + k] = pixels[row + k] & 0xFF;
            }
        }
        float[] dst = new float[options.height * options.width * channels];
        Resize.of(Interpolation.BILINEAR, height, width, channels, options.height, options.width)
                .forward(dst, 0, src, 0);
        byte[] out = new byte[dst.length];
        for (int k = 0; k < dst.length; k++) {
            // A convex combination of bytes stays in 0..255 up to float rounding; clamp that away.
            out[k] = (byte) Math.min(255, Math.max(0, Math.round(dst[k])));
        }
        return out;
    }
}
