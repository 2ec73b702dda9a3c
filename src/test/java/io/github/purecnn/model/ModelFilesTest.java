package io.github.purecnn.model;

import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ModelFiles} with no other format on the class path: purecnn's own file, and clear refusals of Keras files. */
class ModelFilesTest {
    @TempDir
    Path dir;

    @Test
    void noOtherFormatIsProvidedInTheCoreAlone() {
        assertTrue(ModelFiles.formats().isEmpty(), "the core library must not carry a Keras reader");
    }

    @Test
    void savesAndLoadsThePurecnnModelFile() throws IOException {
        Sequential model = LeNet.create(3);
        Path file = dir.resolve("m.purecnn");
        ModelFiles.save(model, file);
        Sequential again = ModelFiles.load(file);
        Tensor x = new Tensor(Shape.of(1, 28, 28, 1), new float[784]);
        assertArrayEquals(model.predict(x).data(), again.predict(x).data());
    }

    @Test
    void anHdf5FileSaysItNeedsTheKerasModule() throws IOException {
        Path file = dir.resolve("model.bin");
        Files.write(file, new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 0, 0, 0});
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().startsWith(file + ": an HDF5 file"), e.getMessage());
        assertTrue(e.getMessage().contains("purecnn-keras"), e.getMessage());
    }

    @Test
    void aKerasNameIsRefusedRatherThanWrittenAsAPurecnnFile() {
        for (String name : new String[] {"m.keras", "m.h5", "M.HDF5"}) {
            Path file = dir.resolve(name);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ModelFiles.save(LeNet.create(1), file));
            assertTrue(e.getMessage().contains("purecnn-keras"), e.getMessage());
            assertFalse(Files.exists(file));
        }
    }
}
