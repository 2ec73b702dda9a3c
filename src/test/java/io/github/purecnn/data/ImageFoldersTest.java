package io.github.purecnn.data;

import io.github.purecnn.data.ImageFolders.ColorMode;
import io.github.purecnn.data.ImageFolders.LabelMode;
import io.github.purecnn.data.ImageFolders.Options;
import io.github.purecnn.data.ImageFolders.Subset;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.testing.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.github.purecnn.data.IdxReaderTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFoldersTest {
    @TempDir
    Path dir;

    /** Exact values: the images already have the target size, so nothing is resized. */
    private static Options exact(int height, int width, ColorMode mode) {
        return new Options().imageSize(height, width).colorMode(mode).shuffle(false);
    }

    private static float[] pixels(int... values) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = values[i];
        }
        return f;
    }

    /**
     * A tree of every format and colour type, odd sizes, a hidden folder, a nested folder and a
     * file that is not an image: classes sorted by name give the labels, files sorted by path.
     */
    @Test
    void labelsShapesAndOrderFollowTheFolders() throws IOException {
        ImageFiles.write(ImageFiles.rgb(5, 3, (x, y) -> 0x102030), "png", dir.resolve("zebra/b.png"));
        ImageFiles.write(ImageFiles.grey(7, 9, (x, y) -> 40), "png", dir.resolve("zebra/a.PNG"));
        ImageFiles.write(ImageFiles.rgb(3, 5, (x, y) -> 0x808080), "jpeg", dir.resolve("ant/photo.jpg"));
        ImageFiles.write(ImageFiles.rgb(4, 4, (x, y) -> 0x00ff00), "bmp", dir.resolve("ant/deeper/x.bmp"));
        ImageFiles.write(ImageFiles.palette(6, 2, new int[] {0xff0000, 0x0000ff}, (x, y) -> x % 2), "gif",
                dir.resolve("cat/anim.gif"));
        ImageFiles.write(ImageFiles.rgba(2, 2, (x, y) -> 0x80112233), "png", dir.resolve("cat/alpha.jpeg.png"));
        Files.writeString(dir.resolve("cat/notes.txt"), "not an image, ignored by its name");
        ImageFiles.write(ImageFiles.rgb(2, 2, (x, y) -> 0), "png", dir.resolve(".hidden/ignored.png"));

        ImageFolders.Loaded loaded = ImageFolders.load(dir, new Options().imageSize(4, 4).shuffle(false));
        Dataset d = loaded.dataset();
        assertEquals(List.of("ant", "cat", "zebra"), loaded.classNames());
        // Keras sorts os.walk's folders by path: "ant" before "ant/deeper".
        assertEquals(List.of("ant/photo.jpg", "ant/deeper/x.bmp", "cat/alpha.jpeg.png", "cat/anim.gif",
                "zebra/a.PNG", "zebra/b.png"), loaded.files().stream().map(p -> dir.relativize(p).toString()).toList());
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2}, d.labels());
        assertEquals(Shape.of(4, 4, 3), d.sampleShape());
        assertEquals(3, d.numClasses());
        // 0..255 like Keras: a green BMP (4 x 4, not resized) and the grey PNG resized from a uniform 40.
        assertArrayEquals(new float[] {0, 255, 0}, Arrays.copyOf(d.image(1), 3));
        assertArrayEquals(new float[] {40, 40, 40}, Arrays.copyOf(d.image(4), 3));
    }

    @Test
    void colourModesConvertAsKerasLoadImgDoes() throws IOException {
        // One RGB pixel row: pure red, (10, 200, 30), white.
        int[] rgb = {0xff0000, 0x0ac81e, 0xffffff};
        ImageFiles.write(ImageFiles.rgb(3, 1, (x, y) -> rgb[x]), "png", dir.resolve("c/rgb.png"));
        Dataset grey = ImageFolders.load(dir, exact(1, 3, ColorMode.GRAYSCALE)).dataset();
        // Pillow's convert("L"): (19595 R + 38470 G + 7471 B + 32768) >> 16.
        assertArrayEquals(pixels((19595 * 255 + 32768) >> 16, (19595 * 10 + 38470 * 200 + 7471 * 30 + 32768) >> 16,
                255), grey.image(0));
        Dataset rgba = ImageFolders.load(dir, exact(1, 3, ColorMode.RGBA)).dataset();
        assertArrayEquals(pixels(255, 0, 0, 255, 10, 200, 30, 255, 255, 255, 255, 255), rgba.image(0));
    }

    @Test
    void greyPalettesAndAlphaAreReadExactly() throws IOException {
        ImageFiles.write(ImageFiles.grey(2, 1, (x, y) -> x == 0 ? 3 : 250), "png", dir.resolve("a/grey.png"));
        ImageFiles.write(ImageFiles.palette(2, 1, new int[] {0x123456, 0xfedcba}, (x, y) -> 1 - x), "gif",
                dir.resolve("b/palette.gif"));
        ImageFiles.write(ImageFiles.rgba(2, 1, (x, y) -> x == 0 ? 0x00010203 : 0xff040506), "png",
                dir.resolve("c/alpha.png"));
        ImageFiles.write(ImageFiles.rgb(2, 1, (x, y) -> x == 0 ? 0x0a0b0c : 0xa0b0c0), "bmp", dir.resolve("d/x.bmp"));
        Dataset rgba = ImageFolders.load(dir, exact(1, 2, ColorMode.RGBA)).dataset();
        // Grey values are taken from the raster (getRGB would put them through a gamma curve).
        assertArrayEquals(pixels(3, 3, 3, 255, 250, 250, 250, 255), rgba.image(0));
        assertArrayEquals(pixels(0xfe, 0xdc, 0xba, 255, 0x12, 0x34, 0x56, 255), rgba.image(1));
        assertArrayEquals(pixels(1, 2, 3, 0, 4, 5, 6, 255), rgba.image(2));
        assertArrayEquals(pixels(10, 11, 12, 255, 160, 176, 192, 255), rgba.image(3));
        Dataset rgb = ImageFolders.load(dir, exact(1, 2, ColorMode.RGB)).dataset();
        assertArrayEquals(pixels(1, 2, 3, 4, 5, 6), rgb.image(2), "RGB drops alpha without blending");
        Dataset grey = ImageFolders.load(dir, exact(1, 2, ColorMode.GRAYSCALE)).dataset();
        assertArrayEquals(pixels(3, 250), grey.image(0));
    }

    @Test
    void jpegIsReadWithinItsCompressionError() throws IOException {
        ImageFiles.write(ImageFiles.rgb(8, 8, (x, y) -> 0x3c78b4), "jpeg", dir.resolve("a/flat.jpg"));
        float[] image = ImageFolders.load(dir, exact(8, 8, ColorMode.RGB)).dataset().image(0);
        float[] expected = {0x3c, 0x78, 0xb4};
        for (int k = 0; k < image.length; k++) {
            // A flat colour survives JPEG's quantisation and YCbCr round trip within a few levels.
            assertEquals(expected[k % 3], image[k], 3, "value " + k);
        }
    }

    @Test
    void unitScaleHandsOutZeroToOne() throws IOException {
        ImageFiles.write(ImageFiles.grey(1, 1, (x, y) -> 255), "png", dir.resolve("a/white.png"));
        Dataset d = ImageFolders.load(dir, exact(1, 1, ColorMode.GRAYSCALE).pixelScale(PixelScale.UNIT)).dataset();
        assertArrayEquals(new float[] {1f}, d.image(0));
    }

    /**
     * A 2 x 3 grey image resized to 2 x 2: only the columns change. Half-pixel centres with scale
     * 3/2 sample the input at x = (0 + 0.5) * 1.5 - 0.5 = 0.25 (between columns 0 and 1, weight
     * 0.25) and x = (1 + 0.5) * 1.5 - 0.5 = 1.75 (between 1 and 2, weight 0.75). Rows at y = 0 and
     * 1 exactly. Row (0, 100, 200) gives (25, 175); row (10, 20, 255) gives 12.5 (rounded to 13,
     * Java's half-up) and 20 + 0.75 * 235 = 196.25 (196).
     */
    @Test
    void resizingIsBilinearWithHalfPixelCentres() throws IOException {
        int[][] rows = {{0, 100, 200}, {10, 20, 255}};
        ImageFiles.write(ImageFiles.grey(3, 2, (x, y) -> rows[y][x]), "png", dir.resolve("a/g.png"));
        Dataset d = ImageFolders.load(dir, exact(2, 2, ColorMode.GRAYSCALE)).dataset();
        assertArrayEquals(pixels(25, 175, 13, 196), d.image(0));
    }

    /**
     * crop_to_aspect_ratio: a 2 x 6 image to 2 x 2 keeps the centred 2 x 2 window, columns 2 and
     * 3 (Keras: crop_width = int(2 * 2 / 2) = 2, start int((6 - 2) / 2) = 2), then resizes nothing.
     */
    @Test
    void cropToAspectRatioKeepsTheCentredWindow() throws IOException {
        ImageFiles.write(ImageFiles.grey(6, 2, (x, y) -> 10 * x + y), "png", dir.resolve("a/wide.png"));
        Dataset d = ImageFolders.load(dir, exact(2, 2, ColorMode.GRAYSCALE).cropToAspectRatio(true)).dataset();
        assertArrayEquals(pixels(20, 30, 21, 31), d.image(0));
    }

    @Test
    void labelModesAndExplicitClasses() throws IOException {
        ImageFiles.write(ImageFiles.grey(1, 1, (x, y) -> 1), "png", dir.resolve("no/a.png"));
        ImageFiles.write(ImageFiles.grey(1, 1, (x, y) -> 2), "png", dir.resolve("yes/a.png"));
        ImageFiles.write(ImageFiles.grey(1, 1, (x, y) -> 3), "png", dir.resolve("maybe/a.png"));
        Options options = exact(1, 1, ColorMode.GRAYSCALE);
        Dataset hot = ImageFolders.load(dir, options.labelMode(LabelMode.CATEGORICAL)).dataset();
        assertEquals(Shape.of(3), hot.targetShape());
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, hot.targets().data());
        ImageFolders.Loaded chosen = ImageFolders.load(dir, options.classNames(List.of("yes", "no"))
                .labelMode(LabelMode.BINARY));
        assertEquals(List.of("yes", "no"), chosen.classNames());
        assertArrayEquals(new float[] {0, 1}, chosen.dataset().targets().data());
        assertArrayEquals(pixels(2), chosen.dataset().image(0));
        assertMentions(assertThrows(IllegalArgumentException.class, () -> ImageFolders.load(dir,
                new Options().classNames(List.of("yes", "perhaps")))), "not found: [perhaps]", "[maybe, no, yes]");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> ImageFolders.load(dir,
                new Options().labelMode(LabelMode.BINARY))), "exactly 2 classes", "has 3");
    }

    /**
     * The split matches Keras's rule for seed 1337 and validation_split 0.2. The rule, from Keras's
     * dataset_utils.py: {@code index_directory} lists {@code sorted(os.listdir(directory))} class
     * folders and each one's files by {@code sorted(walk, key=lambda x: x[0])} and
     * {@code sorted(files)}; then "if shuffle: ... rng = np.random.RandomState(seed);
     * rng.shuffle(file_paths)" (and the labels with a second {@code RandomState(seed)});
     * {@code get_training_or_validation_split}: "num_val_samples = int(validation_split *
     * len(samples))", training {@code samples[:-num_val_samples]}, validation
     * {@code samples[-num_val_samples:]}. The expected files come from NumPy applying that rule
     * (fixtures/make_numpy_shuffle.py).
     */
    @Test
    void theSplitMatchesKerasForAStatedSeed() throws IOException {
        int[] counts = {7, 5, 6};
        String[] classes = {"ant", "bee", "cat"};
        List<Path> sorted = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < counts[c]; k++) {
                Path file = dir.resolve(classes[c]).resolve(String.format("img_%02d.png", k));
                sorted.add(ImageFiles.write(ImageFiles.grey(1, 1, (x, y) -> 0), "png", file));
            }
        }
        Fixture numpy = Fixture.load("numpy_legacy_shuffle.txt");
        Options options = exact(1, 1, ColorMode.GRAYSCALE).shuffle(true).seed(1337);
        ImageFolders.Loaded training = ImageFolders.load(dir, options.validationSplit(0.2, Subset.TRAINING));
        ImageFolders.Loaded validation = ImageFolders.load(dir, options.validationSplit(0.2, Subset.VALIDATION));
        assertEquals(Arrays.stream(numpy.ints("split_training")).mapToObj(sorted::get).toList(), training.files());
        assertArrayEquals(numpy.ints("split_training_labels"), training.dataset().labels());
        assertEquals(Arrays.stream(numpy.ints("split_validation")).mapToObj(sorted::get).toList(), validation.files());
        assertArrayEquals(numpy.ints("split_validation_labels"), validation.dataset().labels());
        ImageFolders.Both both = ImageFolders.loadBoth(dir, options);
        assertEquals(training.files(), both.training().files());
        assertEquals(validation.files(), both.validation().files());
    }

    @Test
    void splitArgumentsAreCheckedAsKerasChecksThem() throws IOException {
        ImageFiles.write(ImageFiles.grey(1, 1, (x, y) -> 0), "png", dir.resolve("a/1.png"));
        ImageFiles.write(ImageFiles.grey(1, 1, (x, y) -> 0), "png", dir.resolve("a/2.png"));
        assertMentions(assertThrows(IllegalArgumentException.class, () -> ImageFolders.load(dir,
                new Options().validationSplit(0.5, Subset.TRAINING))), "needs a seed");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> ImageFolders.load(dir,
                new Options().seed(1).validationSplit(0.4, Subset.TRAINING))), "leaves 0 for validation");
        assertThrows(IllegalArgumentException.class, () -> new Options().validationSplit(1, Subset.TRAINING));
        assertThrows(IllegalArgumentException.class, () -> new Options().seed(-1));
    }

    @Test
    void writingADatasetFileStreamsWhatLoadWouldLoad() throws IOException {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (String cls : new String[] {"x", "y"}) {
            for (int k = 0; k < 6; k++) {
                int v = random.nextInt(1 << 24);
                ImageFiles.write(ImageFiles.rgb(5, 4, (x, y) -> v + 97 * x + 13 * y), "png",
                        dir.resolve("images").resolve(cls).resolve(k + ".png"));
            }
        }
        Path images = dir.resolve("images");
        Options options = new Options().imageSize(3, 3).seed(9).validationSplit(0.25, Subset.VALIDATION);
        ImageFolders.Loaded loaded = ImageFolders.load(images, options);
        Path file = dir.resolve("validation.pcnn");
        ImageFolders.Loaded written = ImageFolders.writeDatasetFile(images, options, file);
        assertEquals("mapped bytes", written.dataset().storage());
        assertEquals(loaded.files(), written.files());
        assertArrayEquals(loaded.dataset().labels(), written.dataset().labels());
        assertArrayEquals(loaded.dataset().images().data(), written.dataset().images().data());

        Files.writeString(images.resolve("y/broken.png"), "not a png");
        Path failed = dir.resolve("failed.pcnn");
        assertThrows(ImageFileException.class, () -> ImageFolders.writeDatasetFile(images, options.shuffle(false)
                .validationSplit(0.5, Subset.VALIDATION), failed));
        assertFalse(Files.exists(failed));
        assertMentions(assertThrows(IllegalArgumentException.class, () -> ImageFolders.writeDatasetFile(images,
                new Options().labelMode(LabelMode.CATEGORICAL), failed)), "label mode INT");
    }

    // ---- bad files ----

    private void assertBadFile(Path file, String... fragments) {
        ImageFileException e = assertThrows(ImageFileException.class, () -> ImageFolders.load(dir, new Options()));
        assertEquals(file, e.file());
        assertMentions(e, file.toString());
        assertMentions(e, fragments);
    }

    @Test
    void aFileThatIsNotAnImageIsNamed() throws IOException {
        Path fake = Files.writeString(Files.createDirectories(dir.resolve("a")).resolve("fake.png"), "hello");
        assertBadFile(fake, "not an image");
    }

    @Test
    void emptyTruncatedAndForeignFilesAreNamed() throws IOException {
        Path empty = Files.write(Files.createDirectories(dir.resolve("a")).resolve("empty.png"), new byte[0]);
        assertBadFile(empty, "empty file");
        Files.delete(empty);

        Path png = ImageFiles.write(ImageFiles.rgb(16, 16, (x, y) -> x * 9000 + y * 77), "png", dir.resolve("a/t.png"));
        byte[] whole = Files.readAllBytes(png);
        Files.write(png, Arrays.copyOf(whole, whole.length - 30));
        assertBadFile(png, "truncated PNG data");
        Files.delete(png);

        Path jpeg = ImageFiles.write(ImageFiles.rgb(32, 32, (x, y) -> x * 9000 + y * 77), "jpeg", dir.resolve("a/t.jpg"));
        whole = Files.readAllBytes(jpeg);
        Files.write(jpeg, Arrays.copyOf(whole, whole.length / 2));
        assertBadFile(jpeg, "JPEG");
        Files.delete(jpeg);

        Path bmp = ImageFiles.write(ImageFiles.rgb(16, 16, (x, y) -> x * 9000 + y * 77), "bmp", dir.resolve("a/t.bmp"));
        whole = Files.readAllBytes(bmp);
        Files.write(bmp, Arrays.copyOf(whole, whole.length - 100));
        assertBadFile(bmp, "BMP");
        Files.delete(bmp);

        Path gif = ImageFiles.write(ImageFiles.palette(40, 40, new int[] {0, 0xffffff, 0xff0000},
                (x, y) -> (x * 7 + y * 3) % 3), "gif", dir.resolve("a/t.gif"));
        whole = Files.readAllBytes(gif);
        Files.write(gif, Arrays.copyOf(whole, whole.length / 2));
        assertBadFile(gif, "GIF");
        Files.delete(gif);

        Path tiff = ImageFiles.write(ImageFiles.rgb(2, 2, (x, y) -> 0), "tiff", dir.resolve("a/really-a-tiff.png"));
        assertBadFile(tiff, "a TIF image", "expected PNG, JPEG, BMP or GIF");
    }

    @Test
    void hugeDimensionsAreRefusedBeforeDecoding() throws IOException {
        // A PNG whose header claims 100000 x 100000 pixels (40 GB as RGB) and holds almost nothing.
        Path png = ImageFiles.write(ImageFiles.grey(1, 1, (x, y) -> 0), "png", dir.resolve("a/huge.png"));
        byte[] b = Files.readAllBytes(png);
        // IHDR data starts at byte 16: width, height big-endian; then the chunk's CRC at 29..32.
        java.nio.ByteBuffer.wrap(b).putInt(16, 100_000).putInt(20, 100_000);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b, 12, 17);
        java.nio.ByteBuffer.wrap(b).putInt(29, (int) crc.getValue());
        Files.write(png, b);
        assertBadFile(png, "100000 x 100000", "more than the limit of 16777216");
    }

    @Test
    void badFilesCanBeSkippedAndCounted() throws IOException {
        ImageFiles.write(ImageFiles.grey(1, 1, (x, y) -> 7), "png", dir.resolve("a/good.png"));
        Files.writeString(dir.resolve("a/bad.png"), "garbage");
        ImageFiles.write(ImageFiles.grey(1, 1, (x, y) -> 9), "png", dir.resolve("b/good.png"));
        ImageFolders.Loaded loaded = ImageFolders.load(dir, exact(1, 1, ColorMode.GRAYSCALE).skipBadFiles(true));
        assertEquals(2, loaded.dataset().size());
        assertArrayEquals(new int[] {0, 1}, loaded.dataset().labels());
        assertEquals(List.of(dir.resolve("a/good.png"), dir.resolve("b/good.png")), loaded.files());
        assertFalse(loaded.files().contains(dir.resolve("a/bad.png")));
    }

    @Test
    void foldersWithoutClassesOrImagesAreRefused() throws IOException {
        assertMentions(assertThrows(DatasetFormatException.class, () -> ImageFolders.load(dir, new Options())),
                "no class folders");
        Files.createDirectories(dir.resolve("a"));
        Files.writeString(dir.resolve("a/readme.txt"), "x");
        assertMentions(assertThrows(DatasetFormatException.class, () -> ImageFolders.load(dir, new Options())),
                "no image files", ".png");
        assertThrows(java.nio.file.NoSuchFileException.class, () -> ImageFolders.load(dir.resolve("nope"), new Options()));
        assertTrue(Files.isDirectory(dir));
    }
}
