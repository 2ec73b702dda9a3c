package io.github.purecnn.spark;

import io.github.purecnn.tensor.Shape;
import org.junit.jupiter.api.Test;

import javax.imageio.IIOException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Image files decode to exactly their stored samples / 255f, or are refused saying why. */
class ImageDecoderTest {
    private static float[] decode(byte[] file, Shape shape) throws IOException {
        float[] into = new float[shape.size() + 2];
        ImageDecoder.decode(new ByteArrayInputStream(file), shape, into, 1);
        assertEquals(0f, into[0], "nothing written before the offset");
        assertEquals(0f, into[into.length - 1], "nothing written past the image");
        float[] image = new float[shape.size()];
        System.arraycopy(into, 1, image, 0, image.length);
        return image;
    }

    @Test
    void greyRgbAndRgbaImagesGiveTheirSamplesInNhwcOrder() throws IOException {
        for (Shape shape : new Shape[] {Shape.of(4, 3, 1), Shape.of(4, 3, 3), Shape.of(4, 3, 4)}) {
            byte[] pixels = TestImages.randomPixels(shape.dim(2), 1, shape);
            for (String format : shape.dim(2) == 4 ? new String[] {"png"} : new String[] {"png", "bmp"}) {
                byte[] file = TestImages.encode(TestImages.buffered(pixels, shape), format);
                assertArrayEquals(TestImages.scaled(pixels), decode(file, shape), format + " " + shape);
            }
        }
    }

    @Test
    void paletteImagesGiveTheirPaletteColours() throws IOException {
        byte[] palette = {0, 0, 0, (byte) 200, 10, 99, 5, (byte) 255, 7};
        byte[] indexes = {0, 1, 2, 2, 1, 0};
        byte[] rgb = new byte[indexes.length * 3];
        for (int p = 0; p < indexes.length; p++) {
            System.arraycopy(palette, 3 * indexes[p], rgb, 3 * p, 3);
        }
        byte[] file = TestImages.encode(TestImages.indexed(indexes, palette, 2, 3), "png");
        assertArrayEquals(TestImages.scaled(rgb), decode(file, Shape.of(2, 3, 3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> decode(file, Shape.of(2, 3, 1)));
        assertEquals("the image has 3 channels (a palette of RGB), the model takes 1", e.getMessage());
    }

    @Test
    void oneBitBlackAndWhiteImagesAreGrey() throws IOException {
        BufferedImage picture = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_BINARY);
        picture.getRaster().setPixels(0, 0, 3, 2, new int[] {1, 0, 1, 1, 1, 0});
        float[] image = decode(TestImages.encode(picture, "png"), Shape.of(2, 3, 1));
        assertArrayEquals(new float[] {1f, 0f, 1f, 1f, 1f, 0f}, image);
    }

    @Test
    void sixteenBitSamplesAreRefused() {
        BufferedImage picture = new BufferedImage(3, 2, BufferedImage.TYPE_USHORT_GRAY);
        byte[] file = TestImages.encode(picture, "png");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> decode(file, Shape.of(2, 3, 1)));
        assertEquals("the image has 16-bit samples, images are read with 8 bits per sample", e.getMessage());
    }

    @Test
    void anImageDeclaredHugeIsRefusedFromItsHeader() {
        // A PNG signature and header declaring 100,000 x 100,000 pixels (40 GB as RGBA), and no pixel data.
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        byte[] header = ByteBuffer.allocate(17).put(new byte[] {'I', 'H', 'D', 'R'}).putInt(100_000).putInt(100_000)
                .put(new byte[] {8, 6, 0, 0, 0}).array();
        CRC32 crc = new CRC32();
        crc.update(header);
        png.writeBytes(ByteBuffer.allocate(4).putInt(13).array());
        png.writeBytes(header);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> decode(png.toByteArray(), Shape.of(28, 28, 4)));
        assertEquals("the image is 100000 x 100000 pixels (width x height), the model takes 28 x 28", e.getMessage());
    }

    @Test
    void whatIsNotAnImageIsAnIoError() {
        IIOException e = assertThrows(IIOException.class, () -> decode(new byte[] {1, 2, 3, 4}, Shape.of(2, 2, 1)));
        assertTrue(e.getMessage().startsWith("not an image format that javax.imageio reads (it reads "), e.getMessage());
        assertTrue(e.getMessage().contains("png"), e.getMessage());
    }

    @Test
    void argmaxTakesTheFirstOfTheLargest() {
        assertEquals(0, ScoringIterator.argmax(new float[] {1f}));
        assertEquals(1, ScoringIterator.argmax(new float[] {0.2f, 0.4f, 0.4f}));
        assertEquals(2, ScoringIterator.argmax(new float[] {-3f, -2f, -1f}));
    }
}
