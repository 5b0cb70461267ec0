package dev.expportrait.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.NodeList;

/**
 * PNG files with text metadata (tEXt chunks): 8-bit RGB and 8/16-bit grey, written atomically ({@link PngEncoder}).
 * Depth maps go out as 16-bit grey with their metric range in the text, so they can be decoded exactly.
 */
public final class Png {
    private Png() {}

    private static final String FORMAT = "javax_imageio_png_1.0";

    /**
     * A decoded PNG.
     *
     * @param samples [H, W, channels] row-major sample values (0-255, or 0-65535 for 16-bit)
     * @param text the tEXt entries, in file order
     */
    public record Image(int width, int height, int channels, int bitDepth, int[] samples, Map<String, String> text) {
        /** The samples of an 8-bit image as bytes [H, W, channels] (Java's signed -1 is 255). */
        public byte[] bytes() {
            if (bitDepth != 8) {
                throw new IllegalStateException("a " + bitDepth + "-bit image has no byte samples");
            }
            byte[] out = new byte[samples.length];
            for (int i = 0; i < out.length; i++) out[i] = (byte) samples[i];
            return out;
        }
    }

    /** Writes 8-bit RGB: {@code rgb} is [H, W, 3] row-major. */
    public static void writeRgb(Path path, int width, int height, byte[] rgb, Map<String, String> text) {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width + "x" + height + "x3 bytes, got " + rgb.length);
        }
        AtomicFiles.write(path, PngEncoder.encode(width, height, PngEncoder.RGB, 8, rgb, text));
    }

    /** Writes 16-bit grey: {@code values} is [H, W], each read as unsigned. */
    public static void writeGray16(Path path, int width, int height, short[] values, Map<String, String> text) {
        if (values.length != width * height) {
            throw new IllegalArgumentException("expected " + width + "x" + height + " values, got " + values.length);
        }
        byte[] raw = new byte[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            raw[2 * i] = (byte) (values[i] >>> 8); // PNG samples are big-endian
            raw[2 * i + 1] = (byte) values[i];
        }
        AtomicFiles.write(path, PngEncoder.encode(width, height, PngEncoder.GREY, 16, raw, text));
    }

    /** Writes 8-bit grey: {@code values} is [H, W]. */
    public static void writeGray8(Path path, int width, int height, byte[] values, Map<String, String> text) {
        if (values.length != width * height) {
            throw new IllegalArgumentException("expected " + width + "x" + height + " values, got " + values.length);
        }
        AtomicFiles.write(path, PngEncoder.encode(width, height, PngEncoder.GREY, 8, values, text));
    }

    /**
     * Reads an 8-bit PNG of {@code channels} channels (1: grey, 3: RGB); a PNG of another kind is an
     * InputException naming the file and what it holds.
     */
    public static Image read8(Path path, int channels) {
        Image img = read(path);
        if (img.bitDepth() != 8 || img.channels() != channels) {
            throw new InputException(path + ": expected an 8-bit PNG with " + channels + " channel(s), got "
                    + img.bitDepth() + "-bit with " + img.channels());
        }
        return img;
    }

    /** Reads a PNG with its text entries; anything that is not a readable PNG is an InputException. */
    public static Image read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new InputException(path + ": no such file");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            ImageReader reader = null;
            while (readers.hasNext()) {
                ImageReader r = readers.next();
                if ("png".equalsIgnoreCase(r.getFormatName())) {
                    reader = r;
                }
            }
            if (reader == null) {
                throw new InputException(path + ": not a PNG file");
            }
            try {
                reader.setInput(in);
                BufferedImage img = reader.read(0);
                Map<String, String> text = new LinkedHashMap<>();
                IIOMetadata meta = reader.getImageMetadata(0);
                NodeList list = ((IIOMetadataNode) meta.getAsTree(FORMAT)).getElementsByTagName("tEXtEntry");
                for (int i = 0; i < list.getLength(); i++) {
                    IIOMetadataNode n = (IIOMetadataNode) list.item(i);
                    text.put(n.getAttribute("keyword"), n.getAttribute("value"));
                }
                int w = img.getWidth(), h = img.getHeight();
                int c = img.getRaster().getNumBands();
                int[] samples = img.getRaster().getPixels(0, 0, w, h, (int[]) null);
                int depth = img.getColorModel().getComponentSize(0);
                return new Image(w, h, c, depth, samples, text);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InputException ie) {
                throw ie;
            }
            throw new InputException(path + ": not a readable PNG (" + e.getMessage() + ")", e);
        }
    }
}
