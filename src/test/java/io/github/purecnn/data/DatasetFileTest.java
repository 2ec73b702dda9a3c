package io.github.purecnn.data;

import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

import static io.github.purecnn.data.IdxFiles.bytes;
import static io.github.purecnn.data.IdxReaderTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatasetFileTest {
    @TempDir
    Path dir;

    /** Five 2x1x2 images whose bytes are 10i..10i+3, labels 0, 2, 1, 2, 0. */
    private static Dataset fiveImages(PixelScale scale) {
        byte[] pixels = new byte[20];
        for (int i = 0; i < 20; i++) {
            pixels[i] = (byte) (10 * (i / 4) + i % 4 + (i >= 16 ? 200 : 0));
        }
        return Dataset.ofBytes(pixels, Shape.of(2, 1, 2), scale, Targets.classes(new int[] {0, 2, 1, 2, 0}, 3));
    }

    @Test
    void bytesWithClassLabelsRoundTrip() throws IOException {
        for (PixelScale scale : PixelScale.values()) {
            Dataset original = fiveImages(scale);
            Path file = dir.resolve(scale + ".pcnn");
            DatasetFile.write(original, file);
            Dataset mapped = DatasetFile.open(file);
            assertEquals("mapped bytes", mapped.storage());
            assertEquals(original.toString(), mapped.toString());
            assertArrayEquals(original.images().data(), mapped.images().data());
            assertArrayEquals(original.labels(), mapped.labels());
            assertEquals(3, mapped.numClasses());
            // 128 header + 5 * 4 input bytes = 148, padded to 152, + 5 * 4 label bytes.
            assertEquals(172, Files.size(file));
        }
    }

    @Test
    void floatInputsAndTargetsRoundTripAndSubsetsWriteTheirOwnSamples() throws IOException {
        Dataset original = Dataset.of(Tensor.of(new float[] {1, -2, 3.5f, 4, 5, 6}, 3, 2),
                Targets.values(Tensor.of(new float[] {0.25f, 0.5f, 0.75f}, 3)));
        Path file = dir.resolve("floats.pcnn");
        DatasetFile.write(original.subset(1, 2), file);
        Dataset mapped = DatasetFile.open(file);
        assertEquals("mapped floats", mapped.storage());
        assertArrayEquals(new float[] {3.5f, 4, 5, 6}, mapped.images().data());
        assertArrayEquals(new float[] {0.5f, 0.75f}, mapped.targets().data());
        assertEquals(Shape.of(1), mapped.targetShape());
        float[] batch = new float[4];
        mapped.copyImages(new int[] {1, 0}, 0, 2, batch);
        assertArrayEquals(new float[] {5, 6, 3.5f, 4}, batch);
    }

    @Test
    void streamedWritingHoldsOneSampleAtATime() throws IOException {
        Path file = dir.resolve("streamed.pcnn");
        DatasetFile.writeBytes(file, 4, Shape.of(3), PixelScale.RAW, 2, (i, sample) -> {
            sample[0] = (byte) i;
            sample[2] = (byte) 255;
            return i % 2;
        });
        Dataset d = DatasetFile.open(file);
        assertArrayEquals(new float[] {3, 0, 255}, d.image(3));
        assertArrayEquals(new int[] {0, 1, 0, 1}, d.labels());
    }

    @Test
    void aFailedWriteLeavesNoFile() throws IOException {
        Path file = dir.resolve("failed.pcnn");
        IOException e = assertThrows(IOException.class, () -> DatasetFile.writeBytes(file, 3, Shape.of(1),
                PixelScale.UNIT, 2, (i, sample) -> {
                    if (i == 2) {
                        throw new IOException("source broke at " + i);
                    }
                    return 0;
                }));
        assertMentions(e, "source broke at 2");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> DatasetFile.writeBytes(file, 1, Shape.of(1),
                PixelScale.UNIT, 2, (i, sample) -> 2)), "sample 0 has label 2");
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    /** Mapped regions of 3 samples: the gathers cross region boundaries and stay exact. */
    @Test
    void samplesAreReadAcrossMappedRegions() throws IOException {
        Dataset original = fiveImages(PixelScale.RAW);
        Path file = dir.resolve("regions.pcnn");
        DatasetFile.write(original, file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedSamples store = new MappedSamples(channel, DatasetFile.HEADER_BYTES, 5, Shape.of(2, 1, 2),
                    PixelScale.RAW, 12);
            float[] all = new float[20];
            for (int s = 0; s < 5; s++) {
                store.copy(s, all, 4 * s);
            }
            assertArrayEquals(original.images().data(), all);
        }
    }

    // ---- strict opening ----

    private Path written() throws IOException {
        Path file = dir.resolve("good.pcnn");
        DatasetFile.write(fiveImages(PixelScale.UNIT), file);
        return file;
    }

    /** Writes {@code value} at {@code offset} and, when {@code fixCrc}, a header CRC that matches again. */
    private static void patch(Path file, int offset, byte[] value, boolean fixCrc) throws IOException {
        byte[] content = Files.readAllBytes(file);
        System.arraycopy(value, 0, content, offset, value.length);
        if (fixCrc) {
            CRC32 crc = new CRC32();
            crc.update(content, 0, 120);
            ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN).putInt(120, (int) crc.getValue());
        }
        Files.write(file, content);
    }

    private static byte[] le(long value, int bytes) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        byte[] out = new byte[bytes];
        System.arraycopy(b.array(), 0, out, 0, bytes);
        return out;
    }

    private void assertRefused(Path file, String... fragments) {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetFile.open(file));
        assertMentions(e, file.toString());
        assertMentions(e, fragments);
    }

    @Test
    void foreignFilesAndOtherVersionsAreRefused() throws IOException {
        Path file = written();
        patch(file, 0, bytes('P', 'K', 3, 4), false);
        assertRefused(file, "not a purecnn data set file", "50 4b 03 04");
        file = written();
        patch(file, 8, le(2, 4), true);
        assertRefused(file, "unsupported format version 2", "reads version 1");
        Path tiny = Files.write(dir.resolve("tiny.pcnn"), new byte[100]);
        assertRefused(tiny, "100 bytes long", "128-byte header");
    }

    @Test
    void aCorruptHeaderFailsItsChecksum() throws IOException {
        Path file = written();
        patch(file, 24, le(4, 8), false);
        assertRefused(file, "header checksum mismatch");
    }

    @Test
    void eachFieldIsCheckedAgainstTheOthers() throws IOException {
        Path file = written();
        patch(file, 16, le(7, 1), true);
        assertRefused(file, "input encoding is 7");
        file = written();
        patch(file, 17, le(3, 1), true);
        assertRefused(file, "target kind is 3");
        file = written();
        patch(file, 18, le(9, 1), true);
        assertRefused(file, "input rank is 9");
        file = written();
        patch(file, 32 + 4, le(0, 4), true);
        assertRefused(file, "input dimension 1 is 0", "at least 1");
        file = written();
        patch(file, 32 + 12, le(5, 4), true);
        assertRefused(file, "input dimension 3 is 5", "0 (unused)");
        file = written();
        patch(file, 20, le(0, 4), true);
        assertRefused(file, "number of classes is 0");
        file = written();
        patch(file, 24, le(0, 8), true);
        assertRefused(file, "sample count is 0");
        file = written();
        patch(file, 104, le(160, 8), true);
        assertRefused(file, "target offset is 160, expected 152");
    }

    @Test
    void truncatedOrOverlongFilesAreRefused() throws IOException {
        Path file = written();
        byte[] content = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(content, content.length - 1));
        assertRefused(file, "171 bytes long", "needs 172", "truncated");
        Files.write(file, java.util.Arrays.copyOf(content, content.length + 3));
        assertRefused(file, "175 bytes long", "3 trailing bytes");
    }

    @Test
    void labelsAreCheckedOnOpening() throws IOException {
        Path file = written();
        patch(file, 152 + 4 * 3, le(3, 4), false);
        assertRefused(file, "label of sample 3 is 3", "[0, 3)");
        assertFalse(Files.exists(dir.resolve("missing.pcnn")));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> DatasetFile.open(dir.resolve("missing.pcnn")));
    }
}
