package io.github.purecnn.cli;

import io.github.purecnn.data.Cifar;
import io.github.purecnn.data.Datasets;
import io.github.purecnn.data.ImageFolders;
import io.github.purecnn.data.Mnist;
import io.github.purecnn.data.PixelScale;
import io.github.purecnn.tensor.Shape;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The training and test data of {@code train --data PATH}, in any format the library reads, told
 * apart by content: an {@code .npz} archive (by its ZIP signature, whatever its name), or a folder
 * holding MNIST-format files, CIFAR-10 or CIFAR-100 binary files, or images in class folders.
 */
final class DataSources {
    static final Option<Path> DATA = Option.path("data", "PATH",
            "the training and test data, recognised by content: a folder of the four MNIST-format files (plain or"
                    + " .gz); a CIFAR-10 folder (data_batch_1.bin .. test_batch.bin) or CIFAR-100 folder (train.bin,"
                    + " test.bin; fine labels); an .npz holding x_train, y_train, x_test, y_test; or a folder of"
                    + " images in one sub-folder per class (PNG, JPEG, BMP, GIF), with train/ and test/ trees or"
                    + " one tree of which 20% is held out as the test set by Keras's split rule and --seed",
            Path.of("mnist-data"));
    static final Option<int[]> IMAGE_SIZE = new Option<>("image-size", "HxW",
            "image folders: resize every image to H x W (bilinear, as Keras); default the model's input size", null,
            DataSources::readSize);
    static final Option<ImageFolders.ColorMode> COLOR_MODE = new Option<>("color-mode", "MODE",
            "image folders: grayscale, rgb or rgba; default from the model's input channels", null,
            text -> readEnum(ImageFolders.ColorMode.class, text));
    static final Option<PixelScale> PIXEL_SCALE = new Option<>("pixel-scale", "SCALE",
            "image folders, .npz and CIFAR bytes: unit (0..1, as the seed tutorial scales MNIST) or raw (0..255,"
                    + " as Keras's image_dataset_from_directory)", PixelScale.UNIT,
            text -> readEnum(PixelScale.class, text));
    /** The share of a single image tree held out as the test set. */
    static final double TEST_SPLIT = 0.2;

    /** What was loaded, and a line saying what it is. */
    record Loaded(Mnist.TrainTest data, String description) {
    }

    private DataSources() {
    }

    /**
     * Loads the data at {@code path} for a model taking {@code input}.
     *
     * @throws IOException naming the path and what could not be read
     * @throws UsageException when an option does not fit the data or the model
     */
    static Loaded load(Path path, ParsedOptions args, Shape input, long seed, PrintStream out)
            throws IOException, UsageException {
        try {
            if (!Files.exists(path)) {
                throw new NoSuchFileException(path.toString(), null, "no such file or folder");
            }
            if (Files.isRegularFile(path)) {
                if (!isZip(path)) {
                    throw new IOException(path + ": not a data file purecnn recognises: expected an .npz archive"
                            + " or a folder");
                }
                refuseImageOptions(args, "an .npz archive");
                PixelScale scale = args.get(PIXEL_SCALE);
                return new Loaded(new Mnist.TrainTest(Datasets.fromNpz(path, "x_train", "y_train", scale),
                        Datasets.fromNpz(path, "x_test", "y_test", scale)), "NumPy archive " + path);
            }
            if (has(path, "train-images-idx3-ubyte")) {
                refuseImageOptions(args, "an MNIST-format folder");
                if (args.has(PIXEL_SCALE)) {
                    throw new UsageException("option '--pixel-scale' does not apply to MNIST-format folders, which"
                            + " are scaled to 0..1 as the seed tutorial does");
                }
                return new Loaded(Mnist.load(path), "MNIST-format folder " + path);
            }
            if (has(path, "data_batch_1.bin")) {
                refuseImageOptions(args, "a CIFAR-10 folder");
                return new Loaded(Cifar.load10(path, args.get(PIXEL_SCALE)), "CIFAR-10 folder " + path);
            }
            if (has(path, "train.bin") && has(path, "test.bin")) {
                refuseImageOptions(args, "a CIFAR-100 folder");
                return new Loaded(Cifar.load100(path, Cifar.Labels.CIFAR100_FINE, args.get(PIXEL_SCALE)),
                        "CIFAR-100 folder " + path + " (fine labels)");
            }
            return imageFolders(path, args, input, seed, out);
        } catch (UsageException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot load data from " + path + ": " + Main.describe(e), e);
        }
    }

    private static Loaded imageFolders(Path dir, ParsedOptions args, Shape input, long seed, PrintStream out)
            throws IOException, UsageException {
        ImageFolders.Options options = new ImageFolders.Options().pixelScale(args.get(PIXEL_SCALE));
        int[] size = args.get(IMAGE_SIZE);
        ImageFolders.ColorMode mode = args.get(COLOR_MODE);
        if ((size == null || mode == null) && input.rank() != 3) {
            throw new UsageException("the model takes input of shape " + input + ", not images (height, width,"
                    + " channels): give --image-size and --color-mode");
        }
        options.imageSize(size != null ? size[0] : input.dim(0), size != null ? size[1] : input.dim(1));
        options.colorMode(mode != null ? mode : colorMode(input));
        long keptSeed = seed & 0xFFFFFFFFL;
        options.seed(keptSeed);
        if (Set.copyOf(subfolders(dir)).equals(Set.of("test", "train"))) {
            out.println("image folders: " + dir.resolve("train") + " for training, " + dir.resolve("test")
                    + " for testing");
            return new Loaded(new Mnist.TrainTest(ImageFolders.load(dir.resolve("train"), options).dataset(),
                    ImageFolders.load(dir.resolve("test"), options).dataset()), "image folders " + dir);
        }
        options.validationSplit(TEST_SPLIT, ImageFolders.Subset.TRAINING);
        ImageFolders.Both both = ImageFolders.loadBoth(dir, options);
        out.printf(Locale.ROOT, "image folders: %d classes %s; %d files held out as the test set (Keras's"
                        + " validation_split %s with seed %d)%n", both.training().classNames().size(),
                both.training().classNames(), both.validation().dataset().size(), TEST_SPLIT, keptSeed);
        return new Loaded(new Mnist.TrainTest(both.training().dataset(), both.validation().dataset()),
                "image folders " + dir);
    }

    /** {@code --image-size} and {@code --color-mode} apply to image folders only: never silently ignored. */
    private static void refuseImageOptions(ParsedOptions args, String what) throws UsageException {
        for (Option<?> option : List.of(IMAGE_SIZE, COLOR_MODE)) {
            if (args.has(option)) {
                throw new UsageException("option '--" + option.name() + "' applies to image folders; the data is "
                        + what);
            }
        }
    }

    private static ImageFolders.ColorMode colorMode(Shape input) throws UsageException {
        return switch (input.dim(2)) {
            case 1 -> ImageFolders.ColorMode.GRAYSCALE;
            case 3 -> ImageFolders.ColorMode.RGB;
            case 4 -> ImageFolders.ColorMode.RGBA;
            default -> throw new UsageException("the model takes images of " + input.dim(2) + " channels; image"
                    + " folders give 1, 3 or 4: give --color-mode");
        };
    }

    private static List<String> subfolders(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            children.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).forEach(names::add);
        }
        return names;
    }

    private static boolean has(Path dir, String name) {
        return Files.isRegularFile(dir.resolve(name)) || Files.isRegularFile(dir.resolve(name + ".gz"));
    }

    private static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] sig = in.readNBytes(4);
            return sig.length == 4 && sig[0] == 'P' && sig[1] == 'K' && (sig[2] == 3 || sig[2] == 5);
        }
    }

    private static int[] readSize(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x", -1);
        try {
            int[] size = parts.length == 1 ? new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[0])}
                    : parts.length == 2 ? new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])} : null;
            if (size != null && size[0] >= 1 && size[1] >= 1 && size[0] <= 1 << 14 && size[1] <= 1 << 14) {
                return size;
            }
        } catch (NumberFormatException e) {
            // the message below says what was expected
        }
        throw new IllegalArgumentException("expected HEIGHTxWIDTH such as 28x28 (or one size for both), each 1 to "
                + (1 << 14) + ", found '" + text + "'");
    }

    private static <E extends Enum<E>> E readEnum(Class<E> type, String text) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(text.trim())) {
                return e;
            }
        }
        List<String> names = Stream.of(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        throw new IllegalArgumentException("expected one of " + String.join(", ", names) + ", found '" + text + "'");
    }
}
