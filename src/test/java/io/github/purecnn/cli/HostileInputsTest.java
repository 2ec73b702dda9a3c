package io.github.purecnn.cli;

import io.github.purecnn.testing.ChildJvm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test per finding of the fuzzing campaign of issue 16, each on a file {@link HostileFiles}
 * builds, through the command line. The promise each checks: exit status 1, a one-line message
 * that names the file (and the entry, layer or value where there is one), no stack trace, and
 * bounded memory: every command runs in one child JVM whose heap ({@value CliCases#HEAP}) is far
 * below what the hostile files ask for, with a deadline, so a refusal that allocated first, or a
 * read that blocked, fails the test.
 */
class HostileInputsTest {
    @TempDir
    static Path dir;
    private static Path data;
    private static Path good;
    private static Path weights;
    private static final List<List<String>> CASES = new ArrayList<>();
    private static List<MainTest.Run> results;

    private static Path denseTooLarge;
    private static Path beyondLimit;
    private static Path adam;
    private static Path gigabyteIdx;
    private static Path badNameModel;
    private static Path badNameNpz;
    private static Path emptyArrayNpz;
    private static Path folderData;
    private static Path fifoModel;
    private static Path fifoWeights;
    private static Path fifoData;
    private static Path nanModel;
    private static Path overflowingModel;
    private static Path nanNpz;
    private static Path noDirectoryNpz;
    private static Path reservedFlagData;

    @BeforeAll
    static void buildTheFilesAndRunTheCommandsInASmallHeap() throws IOException, InterruptedException {
        data = Files.createDirectory(dir.resolve("mnist"));
        SmallMnist.write(data, 100, 50);
        good = HostileFiles.goodModel(dir);
        weights = HostileFiles.goodWeights(dir);
        denseTooLarge = HostileFiles.denseTooLargeForTheHeap(dir);
        beyondLimit = HostileFiles.tensorsBeyondTheLimit(dir);
        adam = HostileFiles.optimizerStateBeyondTheHeap(dir);
        gigabyteIdx = HostileFiles.idxDeclaringGigabytes(dir, data);
        badNameModel = HostileFiles.modelWithBadEntryName(dir, good);
        badNameNpz = HostileFiles.npzWithBadEntryName(dir, weights);
        emptyArrayNpz = HostileFiles.npzWithEmptyArray(dir, weights);
        folderData = HostileFiles.dataFileThatIsAFolder(dir, data);
        fifoModel = HostileFiles.mkfifo(dir.resolve("fifo.purecnn"));
        fifoWeights = HostileFiles.mkfifo(dir.resolve("fifo.npz"));
        fifoData = HostileFiles.dataFileThatIsAPipe(dir, data);
        nanModel = HostileFiles.modelWithNaN(dir, good);
        overflowingModel = HostileFiles.modelThatOverflows(dir, good);
        nanNpz = HostileFiles.npzWithNaN(dir, weights);
        noDirectoryNpz = HostileFiles.npzWithoutCentralDirectory(dir, weights);
        reservedFlagData = HostileFiles.idxWithReservedGzipFlags(dir, data);

        add("evaluate", "--model", good.toString(), "--data", data.toString());
        add("evaluate", "--model", denseTooLarge.toString(), "--data", data.toString());
        add("evaluate", "--model", beyondLimit.toString(), "--data", data.toString());
        add("evaluate", "--model", adam.toString(), "--data", data.toString());
        add("show", "--data", gigabyteIdx.toString());
        add("evaluate", "--model", badNameModel.toString(), "--data", data.toString());
        add("predict", "--weights", badNameNpz.toString(), "--data", data.toString());
        add("predict", "--weights", emptyArrayNpz.toString(), "--data", data.toString());
        add("evaluate", "--model", dir.toString(), "--data", data.toString());
        add("predict", "--weights", dir.toString(), "--data", data.toString());
        add("evaluate", "--model", good.toString(), "--data", folderData.toString());
        add("evaluate", "--model", fifoModel.toString(), "--data", data.toString());
        add("predict", "--weights", fifoWeights.toString(), "--data", data.toString());
        add("evaluate", "--model", good.toString(), "--data", fifoData.toString());
        add("evaluate", "--model", nanModel.toString(), "--data", data.toString());
        add("evaluate", "--model", overflowingModel.toString(), "--data", data.toString());
        add("predict", "--model", overflowingModel.toString(), "--data", data.toString());
        add("predict", "--weights", nanNpz.toString(), "--data", data.toString());
        add("predict", "--weights", noDirectoryNpz.toString(), "--data", data.toString());
        add("show", "--data", reservedFlagData.toString());
        results = CliCases.run(dir, CASES);
    }

    private static void add(String... args) {
        CASES.add(List.of(args));
    }

    /** The result of the case whose words are {@code args}. */
    private static MainTest.Run result(String... args) {
        int i = CASES.indexOf(List.of(args));
        if (i < 0) {
            throw new IllegalArgumentException("no such case: " + List.of(args));
        }
        return results.get(i);
    }

    /** Exit 1 with a one-line message naming {@code file} and holding each fragment, and no stack trace. */
    private static void assertRefused(MainTest.Run r, Path file, String... fragments) {
        r.assertCode(Main.FAILURE);
        String err = r.err();
        assertTrue(err.contains(file.toString()), "names " + file + ":\n" + err);
        for (String f : fragments) {
            assertTrue(err.contains(f), "expected '" + f + "' in:\n" + err);
        }
        assertNoTrace(err);
        assertFalse(err.contains("out of memory"), "refused before allocating, not after:\n" + err);
        assertEquals(1, err.lines().filter(l -> l.startsWith("purecnn ")).count(), err);
    }

    static void assertNoTrace(String err) {
        assertFalse(err.contains("\tat ") || err.contains("Exception in thread") || err.contains("Caused by"),
                "no stack trace:\n" + err);
    }

    @Test
    void theGoodFilesPassInTheSameSmallHeap() {
        result("evaluate", "--model", good.toString(), "--data", data.toString()).assertCode(Main.OK);
    }

    @Test
    void aDenseLayerTooLargeForTheHeapIsRefusedAtLoadNamingTheLayer() {
        assertRefused(result("evaluate", "--model", denseTooLarge.toString(), "--data", data.toString()),
                denseTooLarge, "entry 'manifest.json'", "needs about", "layer 'dense_big' (Dense, output (400000,),"
                        + " 230,800,000 parameters) with 2.65 GiB", "this JVM may use");
    }

    @Test
    void tensorsDeclaredBeyondTheLimitAreRefusedBeforeBuildingAnything() {
        assertRefused(result("evaluate", "--model", beyondLimit.toString(), "--data", data.toString()), beyondLimit,
                "the tensors declare 2401604000 bytes of data", "expected at most the limit of 1073741824 bytes");
    }

    @Test
    void anOptimizerStateBeyondTheHeapIsRefusedByTheLoaderNotByCompile() {
        assertRefused(result("evaluate", "--model", adam.toString(), "--data", data.toString()), adam,
                "entry 'manifest.json'", "needs about", "layer 'dense_adam' (Dense, output (80000,), 80,080,000"
                        + " parameters) with 1.51 GiB"); // 20 bytes a parameter: value, gradient, Adam's m and v, a shard's gradient
    }

    @Test
    void anIdxHeaderDeclaringGigabytesIsRefusedBeforeInflating() {
        assertRefused(result("show", "--data", gigabyteIdx.toString()), gigabyteIdx.resolve("train-images-idx3-ubyte"),
                "dimensions (4, 23170, 23170)", "2147395600 bytes", "more than the limit of 1073741824 bytes");
    }

    @Test
    void entryNamesThatAreNotUtf8AreRefusedNamingTheFileAndPlace() {
        assertRefused(result("evaluate", "--model", badNameModel.toString(), "--data", data.toString()), badNameModel,
                "entry after '", "not valid UTF-8");
        assertRefused(result("predict", "--weights", badNameNpz.toString(), "--data", data.toString()), badNameNpz,
                "first entry", "not valid UTF-8");
    }

    @Test
    void anEmptyArrayIsReportedWithItsShape() {
        assertRefused(result("predict", "--weights", emptyArrayNpz.toString(), "--data", data.toString()),
                emptyArrayNpz, "entry 'arr_0'", "expects float32 (3, 3, 1, 6)", "found float32 (0, 3)");
    }

    @Test
    void aFolderWhereAFileBelongsIsNamed() {
        assertRefused(result("evaluate", "--model", dir.toString(), "--data", data.toString()), dir,
                "is a folder, expected a file");
        assertRefused(result("predict", "--weights", dir.toString(), "--data", data.toString()), dir,
                "is a folder, expected a file");
        assertRefused(result("evaluate", "--model", good.toString(), "--data", folderData.toString()),
                folderData.resolve("t10k-labels-idx1-ubyte"), "is a folder, expected a file");
    }

    @Test
    void aNamedPipeIsRefusedWithoutOpeningIt() {
        assertRefused(result("evaluate", "--model", fifoModel.toString(), "--data", data.toString()), fifoModel,
                "is not a regular file");
        assertRefused(result("predict", "--weights", fifoWeights.toString(), "--data", data.toString()), fifoWeights,
                "is not a regular file");
        assertRefused(result("evaluate", "--model", good.toString(), "--data", fifoData.toString()),
                fifoData.resolve("t10k-images-idx3-ubyte"), "is not a regular file");
    }

    @Test
    void aNaNWeightIsRefusedAtLoadNamingTheTensor() {
        assertRefused(result("evaluate", "--model", nanModel.toString(), "--data", data.toString()), nanModel,
                "entry 'dense/kernel.npy'", "1 NaN or infinite", "NaN, at flat index 1234 of shape (784, 10)");
    }

    @Test
    void outputsThatAreNotNumbersFailEvaluateAndPredict() {
        for (String command : List.of("evaluate", "predict")) {
            assertRefused(result(command, "--model", overflowingModel.toString(), "--data", data.toString()),
                    overflowingModel, "the model's outputs are not numbers", "for image 0");
        }
        assertRefused(result("predict", "--weights", nanNpz.toString(), "--data", data.toString()), nanNpz,
                "the model's outputs are not numbers", "500 of 500");
    }

    @Test
    void anNpzWithoutItsCentralDirectoryIsRefused() {
        assertRefused(result("predict", "--weights", noDirectoryNpz.toString(), "--data", data.toString()),
                noDirectoryNpz, "expected a central directory at its end");
    }

    @Test
    void aGzipHeaderWithReservedFlagsIsRefused() {
        assertRefused(result("show", "--data", reservedFlagData.toString()),
                reservedFlagData.resolve("train-labels-idx1-ubyte.gz"), "reserved bits");
    }

    /**
     * Finding: a full disk gave "No space left on device", naming nothing. A child under
     * {@code ulimit -f} fails its writes the same way ("File too large"); the message must name
     * the file being written, and no partial file may remain.
     */
    @Test
    void aWriteThatTheFileSystemRefusesNamesTheFile() throws IOException, InterruptedException {
        Path out = dir.resolve("predictions.csv");
        ChildJvm.Result r = new ChildJvm().options("-Xmx128m", "-XX:-UsePerfData", "-Xshare:off")
                .fileSizeLimit(2).deadline(Duration.ofMinutes(1))
                .run(dir, Main.class.getName(), List.of("predict", "--model", good.toString(), "--data", data.toString(),
                        "--output", out.toString()));
        assertEquals(Main.FAILURE, r.code(), r.describe());
        assertTrue(r.err().contains(out + ": write failed: File too large"), r.describe());
        assertNoTrace(r.err());
        assertFalse(Files.exists(out), "nothing half-written under the final name");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".predictions.csv.")),
                    "no temporary file left");
        }
    }
}
