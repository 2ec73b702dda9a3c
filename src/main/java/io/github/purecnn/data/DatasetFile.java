package io.github.purecnn.data;

import io.github.purecnn.io.internal.AtomicFiles;
import io.github.purecnn.tensor.Shape;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * A data set in one file that is read by memory-mapping, so that a data set larger than the heap
 * trains like any other: {@link #write} it once from any {@link Dataset} (MNIST, image folders,
 * NumPy, CIFAR), then {@link #open} it and hand the result to {@code fit} and {@code evaluate}.
 * The inputs stay on disk (in the operating system's page cache), only the class labels are
 * read into the heap (4 bytes per sample).
 *
 * <p>The format, version 1, all numbers little-endian:
 * <pre>
 * offset  bytes  field
 *      0      8  magic, the ASCII text "PCNNDATA"
 *      8      4  format version: 1
 *     12      4  header length: 128
 *     16      1  input encoding: 1 unsigned bytes handed out / 255 (0..1), 2 unsigned bytes handed
 *                out as they are (0..255), 3 float32
 *     17      1  target kind: 1 int32 class labels, 2 float32 values
 *     18      1  input rank r, 1 to 8
 *     19      1  target rank t: 0 for class labels, 1 to 8 for float values
 *     20      4  number of classes for class labels (at least 1), 0 for float values
 *     24      8  sample count n, 1 to 2^31 - 1
 *     32     32  the r input dimensions (one sample's shape), then zeros: eight int32
 *     64     32  the t target dimensions, then zeros: eight int32
 *     96      8  input offset: 128
 *    104      8  target offset: 128 + n * (input bytes per sample), rounded up to a multiple of 8
 *    112      8  file length: target offset + n * (target bytes per sample)
 *    120      4  CRC-32 of bytes 0 to 119
 *    124      4  zero
 *    128         the inputs, sample after sample; zero padding; the targets, sample after sample
 * </pre>
 *
 * <p>Opening is strict: every field is checked against the others and against the file's real
 * length, and every class label against the number of classes, before the data set is returned;
 * anything else raises a {@link DatasetFormatException} naming the file and the field. Writing
 * goes through {@link AtomicFiles}: a failure leaves no half-written file behind.
 */
public final class DatasetFile {
    /** The magic text that opens every file. */
    static final byte[] MAGIC = {'P', 'C', 'N', 'N', 'D', 'A', 'T', 'A'};
    /** The format version this library writes and reads. */
    public static final int VERSION = 1;
    static final int HEADER_BYTES = 128;
    private static final int MAX_RANK = 8;
    private static final int CRC_OFFSET = 120;
    private static final int INPUT_UNIT = 1;
    private static final int INPUT_RAW = 2;
    private static final int INPUT_FLOAT = 3;
    private static final int TARGET_CLASSES = 1;
    private static final int TARGET_FLOATS = 2;
    private static final int CHUNK = 1 << 16;

    /** Fills one sample of unsigned bytes and says its class, for {@link #writeBytes}. */
    @FunctionalInterface
    public interface ByteSampleSource {
        /**
         * Writes sample {@code i} into {@code sample} (its length is the sample shape's size).
         *
         * @param i      the sample's index, from 0 to {@code count - 1}, asked in increasing order
         * @param sample written: the sample's values, unsigned, row-major (HWC for images); reused
         *     from call to call and zeroed before each
         * @return the sample's class label, in {@code [0, numClasses)}
         * @throws IOException if the sample cannot be produced (reading its source failed); the file
         *     is then left as it was
         */
        int fill(int i, byte[] sample) throws IOException;
    }

    private DatasetFile() {
    }

    /**
     * Writes {@code data} (its inputs in their stored encoding, bytes or floats, and its targets)
     * to {@code file}, replacing it atomically. A subset writes only its own samples.
     *
     * @param data the data set to store; its sample shapes must have rank 1 to 8 and a sample at
     *     most 1 GiB of inputs or targets
     * @param file the file to write; if a symbolic link, the file it points to
     * @throws IllegalArgumentException if a shape has a rank above 8 or a sample is larger than 1 GiB
     * @throws java.nio.file.FileSystemException naming the file if it is a folder or not a regular
     *     file, or the file system fails while writing (a full disk)
     * @throws IOException if the file cannot be written; it is then left as it was
     * @throws NullPointerException if {@code data} is null
     */
    public static void write(Dataset data, Path file) throws IOException {
        Objects.requireNonNull(data, "data");
        SampleStore inputs = data.inputStore();
        Targets targets = data.storedTargets();
        int first = data.first();
        int n = data.size();
        Layout layout = new Layout(inputEncoding(inputs.byteScale()), data.sampleShape(), n, targets.areClassLabels()
                ? TARGET_CLASSES : TARGET_FLOATS, targets.areClassLabels() ? targets.numClasses() : 0,
                targets.areClassLabels() ? null : targets.shape());
        AtomicFiles.write(file, out -> {
            out.write(layout.header());
            ByteBuffer chunk = ByteBuffer.allocate(Math.max(CHUNK, layout.inputBytes)).order(ByteOrder.LITTLE_ENDIAN);
            for (int s = first; s < first + n; s++) {
                drainIfShort(chunk, layout.inputBytes, out);
                inputs.writeRaw(s, chunk);
            }
            drain(chunk, out);
            out.write(new byte[(int) (layout.targetOffset - layout.inputEnd())]);
            ByteBuffer targetChunk = ByteBuffer.allocate(Math.max(CHUNK, layout.targetBytes)).order(ByteOrder.LITTLE_ENDIAN);
            int[] labels = targets.labelArray();
            for (int s = first; s < first + n; s++) {
                drainIfShort(targetChunk, layout.targetBytes, out);
                if (labels != null) {
                    targetChunk.putInt(labels[s]);
                } else {
                    targets.valueStore().writeRaw(s, targetChunk);
                }
            }
            drain(targetChunk, out);
        });
    }

    /**
     * Writes a data set of {@code count} unsigned-byte samples with class labels, produced one at
     * a time by {@code source}, to {@code file}, replacing it atomically. Nothing but one sample
     * is held in memory, so a file of any size can be made this way.
     *
     * @param file        the file to write; if a symbolic link, the file it points to
     * @param count       the number of samples, at least 1
     * @param sampleShape the shape of one sample, rank 1 to 8, at most 1 GiB
     * @param scale       how the bytes will be handed out when the file is opened: 0..1 or 0..255
     * @param numClasses  the number of classes, at least 1
     * @param source      produces each sample and its label, in order
     * @throws IllegalArgumentException if a label {@code source} returns is out of range (nothing
     *     is then written), {@code count} or {@code numClasses} is below 1, or the shape has a rank
     *     above 8 or more than 1 GiB
     * @throws NullPointerException if {@code scale} or {@code source} is null
     * @throws IOException what {@code source} threw, or if the file cannot be written (a
     *     {@link java.nio.file.FileSystemException} naming it); the file is then left as it was
     */
    public static void writeBytes(Path file, int count, Shape sampleShape, PixelScale scale, int numClasses,
                                  ByteSampleSource source) throws IOException {
        Objects.requireNonNull(source, "source");
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be at least 1, found " + numClasses);
        }
        Layout layout = new Layout(inputEncoding(Objects.requireNonNull(scale, "scale")), sampleShape, count,
                TARGET_CLASSES, numClasses, null);
        int[] labels = new int[count];
        AtomicFiles.write(file, out -> {
            out.write(layout.header());
            byte[] sample = new byte[layout.inputBytes];
            for (int i = 0; i < count; i++) {
                Arrays.fill(sample, (byte) 0);
                int label = source.fill(i, sample);
                if (label < 0 || label >= numClasses) {
                    throw new IllegalArgumentException("sample " + i + " has label " + label + ", outside [0, "
                            + numClasses + ")");
                }
                labels[i] = label;
                out.write(sample);
            }
            out.write(new byte[(int) (layout.targetOffset - layout.inputEnd())]);
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (int label : labels) {
                drainIfShort(buf, Integer.BYTES, out);
                buf.putInt(label);
            }
            drain(buf, out);
        });
    }

    /**
     * Opens a data set file: checks its header and length, reads and checks its class labels,
     * and maps the rest. The returned data set reads its inputs from the file as training asks
     * for them; the file must not change while it is in use.
     *
     * @param file a file {@link #write} or {@link #writeBytes} made
     * @return a data set whose inputs are read from the mapped file (its labels, if class labels,
     *     are in memory), safe to read from several threads
     * @throws DatasetFormatException if the file is not a well-formed data set file of version 1
     *     (the message names the file and the field)
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws IOException if the file cannot be read or mapped
     */
    public static Dataset open(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long actualLength = channel.size();
            if (actualLength < HEADER_BYTES) {
                throw format(file, "file is " + actualLength + " bytes long, shorter than the " + HEADER_BYTES
                        + "-byte header");
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, header, 0);
            Layout layout = Layout.parse(file, header, actualLength);
            PixelScale scale = switch (layout.inputEncoding) {
                case INPUT_UNIT -> PixelScale.UNIT;
                case INPUT_RAW -> PixelScale.RAW;
                default -> null;
            };
            SampleStore inputs = new MappedSamples(channel, HEADER_BYTES, layout.count, layout.inputShape, scale);
            Targets targets;
            if (layout.targetKind == TARGET_CLASSES) {
                targets = Targets.adoptClasses(readLabels(file, channel, layout), layout.numClasses);
            } else {
                targets = Targets.ofStore(new MappedSamples(channel, layout.targetOffset, layout.count,
                        layout.targetShape, null));
            }
            return Dataset.of(inputs, targets);
        }
    }

    private static int[] readLabels(Path file, FileChannel channel, Layout layout) throws IOException {
        int[] labels = new int[layout.count];
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        long position = layout.targetOffset;
        for (int i = 0; i < labels.length; ) {
            buf.clear();
            buf.limit((int) Math.min(CHUNK, (long) (labels.length - i) * Integer.BYTES));
            readFully(channel, buf, position);
            position += buf.limit();
            buf.flip();
            while (buf.hasRemaining()) {
                int label = buf.getInt();
                if (label < 0 || label >= layout.numClasses) {
                    throw format(file, "label of sample " + i + " is " + label + ", outside [0, " + layout.numClasses
                            + ")");
                }
                labels[i++] = label;
            }
        }
        return labels;
    }

    private static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            int n = channel.read(buf, position + buf.position());
            if (n < 0) {
                throw new EOFException("file ended at byte " + (position + buf.position()));
            }
        }
    }

    private static int inputEncoding(PixelScale scale) {
        if (scale == null) {
            return INPUT_FLOAT;
        }
        return scale == PixelScale.UNIT ? INPUT_UNIT : INPUT_RAW;
    }

    private static void drainIfShort(ByteBuffer buf, int needed, OutputStream out) throws IOException {
        if (buf.remaining() < needed) {
            drain(buf, out);
        }
    }

    private static void drain(ByteBuffer buf, OutputStream out) throws IOException {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
    }

    private static DatasetFormatException format(Path file, String problem) {
        return new DatasetFormatException(file + ": " + problem);
    }

    /** The header's fields, and the offsets they imply. */
    private static final class Layout {
        final int inputEncoding;
        final Shape inputShape;
        final int count;
        final int targetKind;
        final int numClasses;
        final Shape targetShape;
        final int inputBytes;
        final int targetBytes;
        final long targetOffset;
        final long fileLength;

        Layout(int inputEncoding, Shape inputShape, int count, int targetKind, int numClasses, Shape targetShape) {
            if (count < 1) {
                throw new IllegalArgumentException("a data set file needs at least one sample, found " + count);
            }
            if (inputShape.rank() > MAX_RANK || (targetShape != null && targetShape.rank() > MAX_RANK)) {
                throw new IllegalArgumentException("a data set file holds shapes of rank 1 to " + MAX_RANK + ", found "
                        + inputShape + (targetShape != null ? " and " + targetShape : ""));
            }
            this.inputEncoding = inputEncoding;
            this.inputShape = inputShape;
            this.count = count;
            this.targetKind = targetKind;
            this.numClasses = numClasses;
            this.targetShape = targetShape;
            long in = (long) inputShape.size() * (inputEncoding == INPUT_FLOAT ? Float.BYTES : 1);
            long target = targetShape == null ? Integer.BYTES : (long) targetShape.size() * Float.BYTES;
            if (in > MappedSamples.REGION_BYTES || target > MappedSamples.REGION_BYTES) {
                throw new IllegalArgumentException("one sample takes " + in + " input and " + target
                        + " target bytes; a data set file holds at most " + MappedSamples.REGION_BYTES + " each");
            }
            this.inputBytes = (int) in;
            this.targetBytes = (int) target;
            this.targetOffset = (HEADER_BYTES + count * in + 7) / 8 * 8;
            this.fileLength = targetOffset + count * target;
        }

        long inputEnd() {
            return HEADER_BYTES + (long) count * inputBytes;
        }

        byte[] header() {
            ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            b.put(MAGIC).putInt(VERSION).putInt(HEADER_BYTES);
            b.put((byte) inputEncoding).put((byte) targetKind).put((byte) inputShape.rank())
                    .put((byte) (targetShape == null ? 0 : targetShape.rank()));
            b.putInt(numClasses).putLong(count);
            putDims(b, inputShape);
            putDims(b, targetShape);
            b.putLong(HEADER_BYTES).putLong(targetOffset).putLong(fileLength);
            CRC32 crc = new CRC32();
            crc.update(b.array(), 0, CRC_OFFSET);
            b.putInt((int) crc.getValue()).putInt(0);
            return b.array();
        }

        private static void putDims(ByteBuffer b, Shape shape) {
            for (int i = 0; i < MAX_RANK; i++) {
                b.putInt(shape != null && i < shape.rank() ? shape.dim(i) : 0);
            }
        }

        /** Reads and checks every field; {@code actualLength} is the file's real length. */
        static Layout parse(Path file, ByteBuffer b, long actualLength) throws DatasetFormatException {
            byte[] magic = new byte[MAGIC.length];
            b.get(0, magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw format(file, "not a purecnn data set file: expected the magic \"PCNNDATA\", found the bytes "
                        + HexFormat.ofDelimiter(" ").formatHex(magic));
            }
            int version = b.getInt(8);
            if (version != VERSION) {
                throw format(file, "unsupported format version " + version + ": this library reads version " + VERSION);
            }
            CRC32 crc = new CRC32();
            crc.update(b.array(), 0, CRC_OFFSET);
            int storedCrc = b.getInt(CRC_OFFSET);
            if (storedCrc != (int) crc.getValue()) {
                throw format(file, String.format("header checksum mismatch: the header stores CRC-32 %08x, its bytes"
                        + " give %08x (corrupt header)", storedCrc, (int) crc.getValue()));
            }
            expect(file, "header length", HEADER_BYTES, b.getInt(12));
            expect(file, "reserved bytes 124-127", 0, b.getInt(124));
            int inputEncoding = b.get(16);
            if (inputEncoding < INPUT_UNIT || inputEncoding > INPUT_FLOAT) {
                throw format(file, "input encoding is " + inputEncoding + ", expected 1, 2 or 3");
            }
            int targetKind = b.get(17);
            if (targetKind != TARGET_CLASSES && targetKind != TARGET_FLOATS) {
                throw format(file, "target kind is " + targetKind + ", expected 1 (class labels) or 2 (floats)");
            }
            Shape inputShape = dims(file, b, 32, b.get(18), 1, "input");
            Shape targetShape = dims(file, b, 64, b.get(19), targetKind == TARGET_CLASSES ? 0 : 1, "target");
            int numClasses = b.getInt(20);
            if (targetKind == TARGET_CLASSES ? numClasses < 1 : numClasses != 0) {
                throw format(file, "number of classes is " + numClasses + ", expected "
                        + (targetKind == TARGET_CLASSES ? "at least 1 for class labels" : "0 for float targets"));
            }
            long count = b.getLong(24);
            if (count < 1 || count > Integer.MAX_VALUE) {
                throw format(file, "sample count is " + count + ", expected 1 to " + Integer.MAX_VALUE);
            }
            Layout layout;
            try {
                layout = new Layout(inputEncoding, inputShape, (int) count, targetKind, numClasses, targetShape);
            } catch (IllegalArgumentException e) {
                throw format(file, e.getMessage());
            }
            expect(file, "input offset", HEADER_BYTES, b.getLong(96));
            expect(file, "target offset", layout.targetOffset, b.getLong(104));
            expect(file, "file length field", layout.fileLength, b.getLong(112));
            if (actualLength != layout.fileLength) {
                throw format(file, "file is " + actualLength + " bytes long, but its header (" + count + " samples of "
                        + inputShape + ", " + (targetShape == null ? numClasses + " classes" : "targets " + targetShape)
                        + ") needs " + layout.fileLength + ": " + (actualLength < layout.fileLength ? "truncated"
                        : (actualLength - layout.fileLength) + " trailing bytes"));
            }
            return layout;
        }

        private static Shape dims(Path file, ByteBuffer b, int at, int rank, int minRank, String what)
                throws DatasetFormatException {
            if (rank < minRank || rank > MAX_RANK) {
                throw format(file, what + " rank is " + rank + ", expected " + minRank + " to " + MAX_RANK);
            }
            int[] dims = new int[rank];
            for (int i = 0; i < MAX_RANK; i++) {
                int d = b.getInt(at + 4 * i);
                if (i < rank ? d < 1 : d != 0) {
                    throw format(file, what + " dimension " + i + " is " + d + ", expected "
                            + (i < rank ? "at least 1" : "0 (unused)"));
                }
                if (i < rank) {
                    dims[i] = d;
                }
            }
            if (rank == 0) {
                return null;
            }
            try {
                return Shape.of(dims);
            } catch (IllegalArgumentException e) {
                throw format(file, what + " shape: " + e.getMessage());
            }
        }

        private static void expect(Path file, String field, long expected, long found) throws DatasetFormatException {
            if (expected != found) {
                throw format(file, field + " is " + found + ", expected " + expected);
            }
        }
    }
}
