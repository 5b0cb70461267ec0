package dev.expportrait.io;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * MP4 video through JavaCV/FFmpeg: H.264 (libopenh264, named explicitly: a plain "h264" request silently
 * gave MPEG-4 Part 2 here), yuv420p, {@code movflags=+faststart} so browsers can start playing before the
 * end arrives, and accurate colour conversion flags on both sides (about +2.5 dB round trip, stack.md).
 * Frames are 8-bit RGB [H, W, 3] byte arrays. Width and height must be even (yuv420p).
 */
public final class Mp4 {
    private Mp4() {}

    private static final int SCALING = swscale.SWS_BICUBIC | swscale.SWS_ACCURATE_RND
            | swscale.SWS_FULL_CHR_H_INT | swscale.SWS_FULL_CHR_H_INP;

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR); // FFmpeg's chatter would drown our progress lines
    }

    /** A decoded video: frames [H, W, 3] RGB, in presentation order. */
    public record Video(int width, int height, double fps, List<byte[]> frames, Map<String, String> metadata) {}

    /**
     * Writes {@code frames} atomically.
     *
     * @param metadata container tags (e.g. format name and version, seed, command)
     */
    public static void write(Path path, List<byte[]> frames, int width, int height, double fps, Map<String, String> metadata) {
        if (width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("MP4 (yuv420p) needs an even width and height, got " + width + "x" + height);
        }
        for (byte[] f : frames) {
            if (f.length != width * height * 3) {
                throw new IllegalArgumentException("frame of " + f.length + " bytes, expected " + width + "x" + height + "x3");
            }
        }
        AtomicFiles.writeVia(path, tmp -> {
            FFmpegFrameRecorder rec = new FFmpegFrameRecorder(tmp.toFile(), width, height, 0);
            rec.setFormat("mp4");
            rec.setVideoCodecName("libopenh264");
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setFrameRate(fps);
            // openh264 is rate controlled: about 4 bits per pixel per second keeps synthetic clips near 40 dB.
            rec.setVideoBitrate((int) Math.min(50_000_000, Math.max(400_000, 4.0 * width * height * fps)));
            rec.setGopSize((int) Math.max(1, Math.round(fps)));
            rec.setOption("movflags", "+faststart");
            rec.setImageScalingFlags(SCALING);
            rec.setMetadata(metadata);
            try {
                rec.start();
                Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
                ByteBuffer buf = (ByteBuffer) frame.image[0];
                int stride = frame.imageStride;
                for (byte[] rgb : frames) {
                    for (int y = 0; y < height; y++) {
                        buf.position(y * stride);
                        buf.put(rgb, y * width * 3, width * 3);
                    }
                    buf.rewind();
                    rec.record(frame, avutil.AV_PIX_FMT_RGB24);
                }
                rec.stop();
            } finally {
                rec.release();
            }
        });
    }

    /** Reads every frame of a video file (MP4 or anything FFmpeg decodes) as RGB. */
    public static Video read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new InputException(path + ": no such file");
        }
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(path.toFile());
        g.setImageScalingFlags(SCALING);
        g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
        try {
            g.start();
            if (g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
                throw new InputException(path + ": has no video stream");
            }
            int w = g.getImageWidth(), h = g.getImageHeight();
            List<byte[]> frames = new ArrayList<>();
            Frame f;
            while ((f = g.grabImage()) != null) {
                ByteBuffer buf = (ByteBuffer) f.image[0];
                byte[] rgb = new byte[w * h * 3];
                for (int y = 0; y < h; y++) {
                    buf.position(y * f.imageStride);
                    buf.get(rgb, y * w * 3, w * 3);
                }
                frames.add(rgb);
            }
            return new Video(w, h, g.getFrameRate(), frames, Map.copyOf(g.getMetadata()));
        } catch (FFmpegFrameGrabber.Exception e) {
            throw new InputException(path + ": not a readable video (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        } finally {
            try {
                g.release();
            } catch (FFmpegFrameGrabber.Exception ignored) {
                // nothing more to free
            }
        }
    }
}
