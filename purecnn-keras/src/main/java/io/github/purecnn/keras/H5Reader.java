package io.github.purecnn.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.FloatingPoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads what Keras files hold from an HDF5 file through jHDF, trusting nothing: every failure of
 * the HDF5 layer (a truncated or corrupt file makes jHDF throw unchecked exceptions of many kinds)
 * becomes a {@link KerasFormatException} naming the file and the object, a dataset's shape and
 * type are checked against what the caller expects before its data is read, and strings and
 * lists have limits, so that memory stays bounded by what the caller expects plus the file.
 */
final class H5Reader implements AutoCloseable {
    /** Longest string attribute read (a model config); Keras splits longer ones into numbered parts. */
    static final int MAX_STRING_BYTES = KerasArchitecture.MAX_CONFIG_CHARS;
    /** Most names in a list attribute ({@code layer_names}, {@code weight_names}). */
    static final int MAX_NAMES = 1 << 20;

    private final String file;
    private final HdfFile hdf;

    private H5Reader(String file, HdfFile hdf) {
        this.file = file;
        this.hdf = hdf;
    }

    /** Opens an HDF5 file on disk; {@code name} names it in messages. */
    static H5Reader open(Path path, String name) throws KerasFormatException {
        try {
            return checked(name, new HdfFile(path));
        } catch (RuntimeException | LinkageError e) {
            throw new KerasFormatException(name + ": not a readable HDF5 file (truncated or corrupt?): " + cause(e), e);
        }
    }

    /** Opens an HDF5 file held in memory (an archive entry); {@code name} names it in messages. */
    static H5Reader open(byte[] bytes, String name) throws KerasFormatException {
        try {
            return checked(name, HdfFile.fromBytes(bytes));
        } catch (RuntimeException | LinkageError e) {
            throw new KerasFormatException(name + ": not a readable HDF5 file (truncated or corrupt?): " + cause(e), e);
        }
    }

    /** The superblock records where the file ends: a shorter file was cut short. */
    private static H5Reader checked(String name, HdfFile hdf) throws KerasFormatException {
        long declared = hdf.getHdfBackingStorage().getSuperblock().getEndOfFileAddress();
        long size = hdf.size();
        if (size < declared) {
            hdf.close();
            throw new KerasFormatException(name + ": truncated HDF5 file: its superblock declares " + declared
                    + " bytes, the file holds " + size);
        }
        return new H5Reader(name, hdf);
    }

    /** The file's name, as messages give it. */
    String file() {
        return file;
    }

    /** The root group. */
    Group root() {
        return hdf;
    }

    /** The group at {@code path} ("" for the root), or null when there is none. */
    Group groupOrNull(String path) throws KerasFormatException {
        if (path.isEmpty()) {
            return hdf;
        }
        Node node = nodeOrNull(path);
        if (node == null) {
            return null;
        }
        if (!(node instanceof Group g)) {
            throw new KerasFormatException(file + ": '" + path + "': expected an HDF5 group, found a dataset");
        }
        return g;
    }

    /** The group at {@code path}; {@code what} says what it should hold, for the message when it is missing. */
    Group group(String path, String what) throws KerasFormatException {
        Group g = groupOrNull(path);
        if (g == null) {
            throw new KerasFormatException(file + ": expected the group '" + path + "' (" + what + "), found none");
        }
        return g;
    }

    /** The node at {@code path}, or null when there is none. */
    Node nodeOrNull(String path) throws KerasFormatException {
        try {
            Node node = hdf;
            for (String part : path.split("/")) {
                if (part.isEmpty()) {
                    continue;
                }
                if (!(node instanceof Group current)) {
                    return null;
                }
                node = current.getChildren().get(part);
                if (node == null) {
                    return null;
                }
            }
            return node;
        } catch (RuntimeException | LinkageError e) {
            throw new KerasFormatException(file + ": '" + path + "': corrupt HDF5 structure: " + cause(e), e);
        }
    }

    /** The names of a group's members, in the file's order. */
    List<String> children(Group group) throws KerasFormatException {
        try {
            return new ArrayList<>(group.getChildren().keySet());
        } catch (RuntimeException | LinkageError e) {
            throw new KerasFormatException(file + ": '" + group.getPath() + "': corrupt HDF5 structure: " + cause(e), e);
        }
    }

    /** Whether {@code node} has the attribute {@code name}. */
    boolean hasAttribute(Node node, String name) throws KerasFormatException {
        try {
            return node.getAttributes().containsKey(name);
        } catch (RuntimeException | LinkageError e) {
            throw new KerasFormatException(file + ": '" + node.getPath() + "': corrupt attributes: " + cause(e), e);
        }
    }

    /** A string attribute, or null when there is none. */
    String stringAttributeOrNull(Node node, String name) throws KerasFormatException {
        if (!hasAttribute(node, name)) {
            return null;
        }
        Object data = attributeData(node, name);
        if (data instanceof String s) {
            return s;
        }
        if (data instanceof String[] a && a.length == 1) {
            return a[0];
        }
        throw new KerasFormatException(at(node, name) + ": expected a string, found " + describe(data));
    }

    /**
     * A list of names as Keras writes them: one array attribute {@code name}, or, when it would
     * pass HDF5's 64 KB header limit, {@code name0}, {@code name1}, ...; an empty array (which
     * h5py writes as float64) and an absent attribute are both the empty list, as in Keras.
     */
    List<String> names(Node node, String name) throws KerasFormatException {
        List<String> names = new ArrayList<>();
        if (hasAttribute(node, name)) {
            addNames(node, name, names);
            return names;
        }
        for (int part = 0; hasAttribute(node, name + part); part++) {
            addNames(node, name + part, names);
        }
        return names;
    }

    private void addNames(Node node, String name, List<String> into) throws KerasFormatException {
        Attribute a = attribute(node, name);
        if (a.isEmpty()) {
            return;
        }
        Object data = attributeData(node, name);
        if (data instanceof String s) {
            into.add(s);
        } else if (data instanceof String[] array) {
            if (into.size() + array.length > MAX_NAMES) {
                throw new KerasFormatException(at(node, name) + ": expected at most " + MAX_NAMES + " names, found more");
            }
            into.addAll(Arrays.asList(array));
        } else {
            throw new KerasFormatException(at(node, name) + ": expected a list of strings, found " + describe(data));
        }
    }

    private Attribute attribute(Node node, String name) throws KerasFormatException {
        try {
            Attribute a = node.getAttribute(name);
            if (a == null) {
                throw new KerasFormatException(at(node, name) + ": expected the attribute, found none");
            }
            return a;
        } catch (RuntimeException | LinkageError e) {
            throw new KerasFormatException(at(node, name) + ": corrupt attribute: " + cause(e), e);
        }
    }

    private Object attributeData(Node node, String name) throws KerasFormatException {
        Attribute a = attribute(node, name);
        try {
            long size = a.getSize();
            if (size < 0 || size > MAX_NAMES) {
                throw new KerasFormatException(at(node, name) + ": expected at most " + MAX_NAMES + " values, the"
                        + " attribute declares " + size);
            }
            Object data = a.getData();
            if (data instanceof String s && s.length() > MAX_STRING_BYTES) {
                throw new KerasFormatException(at(node, name) + ": expected at most " + MAX_STRING_BYTES
                        + " characters, found " + s.length());
            }
            return data;
        } catch (RuntimeException | LinkageError e) {
            throw new KerasFormatException(at(node, name) + ": corrupt attribute: " + cause(e), e);
        }
    }

    /**
     * The values of a float32 or float64 dataset of exactly {@code shape}, as float32 (float64
     * values rounded to the nearest float). Shape and type are checked before any data is read.
     *
     * @param owner what the dataset belongs to, for messages ({@code "layer 'conv2d' (Conv2D) weight 0"})
     */
    float[] floats(String path, int[] shape, String owner) throws KerasFormatException {
        Dataset d = dataset(path, owner);
        int[] dims = dimensions(d, path, owner);
        if (!Arrays.equals(dims, shape)) {
            throw new KerasFormatException(file + ": dataset '" + path + "' of " + owner + ": expected shape "
                    + tuple(shape) + ", found " + tuple(dims));
        }
        boolean isDouble = checkFloat(d, path, owner);
        try {
            Object data = d.getDataFlat();
            if (isDouble && data instanceof double[] values) {
                float[] f = new float[values.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) values[i];
                }
                return checkLength(f, shape, path, owner);
            }
            if (!isDouble && data instanceof float[] values) {
                return checkLength(values, shape, path, owner);
            }
            throw new KerasFormatException(file + ": dataset '" + path + "' of " + owner + ": expected floats, read "
                    + describe(data));
        } catch (RuntimeException | LinkageError e) {
            throw new KerasFormatException(file + ": dataset '" + path + "' of " + owner + ": cannot read its data"
                    + " (truncated or corrupt file, or a compression filter purecnn lacks): " + cause(e), e);
        }
    }

    /** A dataset's shape, for checks before reading it. */
    int[] shape(String path, String owner) throws KerasFormatException {
        return dimensions(dataset(path, owner), path, owner);
    }

    /** A scalar integer dataset (an optimizer's step count). */
    long scalarLong(String path, String owner) throws KerasFormatException {
        Dataset d = dataset(path, owner);
        int[] dims = dimensions(d, path, owner);
        if (dims.length > 1 || dims.length == 1 && dims[0] != 1) {
            throw new KerasFormatException(file + ": dataset '" + path + "' of " + owner + ": expected a scalar, found"
                    + " shape " + tuple(dims));
        }
        try {
            Object data = d.getDataFlat();
            if (data instanceof long[] l && l.length == 1) {
                return l[0];
            }
            if (data instanceof int[] i && i.length == 1) {
                return i[0];
            }
            if (data instanceof float[] f && f.length == 1 && f[0] == Math.rint(f[0])) {
                return (long) f[0];
            }
            if (data instanceof Number n) {
                return n.longValue();
            }
            throw new KerasFormatException(file + ": dataset '" + path + "' of " + owner + ": expected an integer,"
                    + " found " + describe(data));
        } catch (RuntimeException | LinkageError e) {
            throw new KerasFormatException(file + ": dataset '" + path + "' of " + owner + ": cannot read its data: "
                    + cause(e), e);
        }
    }

    private Dataset dataset(String path, String owner) throws KerasFormatException {
        Node node = nodeOrNull(path);
        if (node == null) {
            throw new KerasFormatException(file + ": expected the dataset '" + path + "' of " + owner + ", found none");
        }
        if (!(node instanceof Dataset d)) {
            throw new KerasFormatException(file + ": '" + path + "' of " + owner + ": expected a dataset, found a group");
        }
        return d;
    }

    private int[] dimensions(Dataset d, String path, String owner) throws KerasFormatException {
        try {
            return d.isScalar() ? new int[0] : d.getDimensions();
        } catch (RuntimeException | LinkageError e) {
            throw new KerasFormatException(file + ": dataset '" + path + "' of " + owner + ": corrupt dataspace: "
                    + cause(e), e);
        }
    }

    /** Whether the dataset holds float64 (true) or float32 (false); anything else is refused. */
    private boolean checkFloat(Dataset d, String path, String owner) throws KerasFormatException {
        try {
            if (d.getDataType() instanceof FloatingPoint fp && (fp.getSize() == 4 || fp.getSize() == 8)) {
                return fp.getSize() == 8;
            }
            throw new UnsupportedKerasModelException(file, null, "dataset '" + path + "' of " + owner, "dtype",
                    "expected float32 or float64, found HDF5 type " + d.getDataType().getClass().getSimpleName()
                            + " of " + d.getDataType().getSize() + " bytes");
        } catch (RuntimeException | LinkageError e) {
            throw new KerasFormatException(file + ": dataset '" + path + "' of " + owner + ": corrupt datatype: "
                    + cause(e), e);
        }
    }

    private float[] checkLength(float[] values, int[] shape, String path, String owner) throws KerasFormatException {
        long expected = 1;
        for (int s : shape) {
            expected *= s;
        }
        if (values.length != expected) {
            throw new KerasFormatException(file + ": dataset '" + path + "' of " + owner + ": expected " + expected
                    + " values, read " + values.length);
        }
        return values;
    }

    private String at(Node node, String attribute) {
        return file + ": attribute '" + attribute + "' of '" + node.getPath() + "'";
    }

    static String tuple(int[] dims) {
        if (dims.length == 1) {
            return "(" + dims[0] + ",)";
        }
        return Arrays.toString(dims).replace('[', '(').replace(']', ')');
    }

    private static String describe(Object data) {
        if (data == null) {
            return "nothing";
        }
        if (data.getClass().isArray()) {
            return "an array of " + data.getClass().getComponentType().getSimpleName();
        }
        return data.getClass().getSimpleName() + " " + KerasValues.describe(String.valueOf(data));
    }

    private static String cause(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    @Override
    public void close() throws IOException {
        try {
            hdf.close();
        } catch (RuntimeException e) {
            throw new KerasFormatException(file + ": cannot close the HDF5 file: " + cause(e), e);
        }
    }
}
