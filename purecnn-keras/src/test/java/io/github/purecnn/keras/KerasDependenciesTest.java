package io.github.purecnn.keras;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * jHDF comes without its LZ4 codec (lz4-java, which bundles native libraries; see the POM), and
 * Keras files read without it, compressed ones included: jHDF's filter pipeline must not need it
 * unless a dataset is LZ4-compressed, which Keras never does.
 */
class KerasDependenciesTest {
    @Test
    void theLz4CodecIsNotOnTheClassPath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("net.jpountz.lz4.LZ4Factory"));
    }

    @Test
    void realAndCompressedKerasFilesReadWithoutIt() throws IOException {
        assertEquals(1, KerasModels.load(Resources.file("conv2d_tensorflow_2.h5")).layers().size());
        // Its datasets are gzip-compressed: jHDF's filter manager, which also registers the LZ4 filter, works.
        KerasImportTest.assertMatches(KerasModels.load(Resources.file("keras2_functional_gzip.h5")), "keras2_functional");
    }
}
