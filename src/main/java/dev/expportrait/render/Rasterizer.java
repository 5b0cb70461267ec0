package dev.expportrait.render;

import dev.expportrait.head.PinholeCamera;
import dev.expportrait.tensor.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.bytedeco.pytorch.Tensor;

/**
 * Triangle rasterization on the CPU, nvdiffrast's {@code rasterize} primitive: for every pixel centre, the
 * nearest triangle that covers it, with perspective-correct barycentrics and depth ({@link RasterBuffers}).
 * Pure Java; frames run in parallel, and a single frame in parallel row bands.
 *
 * <p>Coverage rule, exact so that a closed surface covers every pixel exactly once (no cracks, no double
 * coverage on shared edges or vertices):
 * <ul>
 *   <li>Vertices project to pixels in double precision (see {@link Intrinsics}).
 *   <li>Each edge function is evaluated in double, always from the edge's lexicographically smaller
 *       endpoint (by screen x, then y), so two triangles sharing an edge compute bit-identical values of
 *       opposite sign; it is evaluated in closed form per pixel (not accumulated), for the same reason.
 *   <li>A pixel on an edge (edge function exactly 0) belongs to the triangle whose inward edge normal points
 *       to +x, or exactly to +y (the top-left rule for y down): the pixel counts as nudged by an
 *       infinitesimal (1, epsilon), which lies inside exactly one triangle of any closed fan.
 *   <li>Triangles of zero screen area, or with any vertex nearer than {@link RasterOptions#near()}, are skipped.
 * </ul>
 * Depth test: the smallest camera z wins; equal z goes to the smaller face index.
 */
public final class Rasterizer {
    private Rasterizer() {}

    /**
     * Rasterizes one frame.
     *
     * @param cameraVertices [V, 3] camera-space positions, metres
     * @param faces [F, 3] vertex indices
     */
    public static RasterBuffers rasterize(float[] cameraVertices, int[] faces, Intrinsics intrinsics, RasterOptions options) {
        return rasterize(List.of(cameraVertices), faces, intrinsics, options).get(0);
    }

    /**
     * Rasterizes a batch of frames that share faces and intrinsics, on all cores.
     *
     * @param frames T arrays [V, 3] of camera-space positions, metres
     * @param faces [F, 3] vertex indices
     * @return T buffers, in the order of {@code frames}
     */
    public static List<RasterBuffers> rasterize(List<float[]> frames, int[] faces, Intrinsics intrinsics, RasterOptions options) {
        int t = frames.size();
        int w = intrinsics.width();
        int h = intrinsics.height();
        ScreenVertices[] screen = new ScreenVertices[t];
        RasterBuffers[] out = new RasterBuffers[t];
        IntStream.range(0, t).parallel().forEach(i -> {
            screen[i] = ScreenVertices.project(frames.get(i), intrinsics);
            out[i] = empty(w, h);
        });
        // Few frames: split each into row bands so every core has work; many frames: one task per frame.
        int cores = Runtime.getRuntime().availableProcessors();
        int bands = Math.min(h, t >= cores ? 1 : (cores + t - 1) / t);
        IntStream.range(0, t * bands).parallel().forEach(task -> {
            int frame = task / bands;
            int band = task % bands;
            rasterizeRows(screen[frame], faces, options, out[frame], h * band / bands, h * (band + 1) / bands);
        });
        return Arrays.asList(out);
    }

    /**
     * Rasterizes world-space vertices seen by a camera.
     *
     * @param worldVertices [T, V, 3] or [V, 3] metres
     * @return T buffers (one for [V, 3])
     */
    public static List<RasterBuffers> rasterize(Tensor worldVertices, int[] faces, PinholeCamera camera, RasterOptions options) {
        return rasterize(camera.toCamera(worldVertices.detach()), faces, Intrinsics.of(camera), options);
    }

    /**
     * Rasterizes camera-space vertices held in a tensor (only their values are read; no gradient).
     *
     * @param cameraVertices [T, V, 3] or [V, 3] metres
     * @return T buffers (one for [V, 3])
     */
    public static List<RasterBuffers> rasterize(Tensor cameraVertices, int[] faces, Intrinsics intrinsics, RasterOptions options) {
        long[] shape = Tensors.shape(cameraVertices);
        int t = shape.length == 3 ? (int) shape[0] : 1;
        float[] all = Tensors.toFloats(cameraVertices);
        int per = all.length / t;
        List<float[]> frames = new ArrayList<>(t);
        for (int i = 0; i < t; i++) {
            frames.add(Arrays.copyOfRange(all, i * per, (i + 1) * per));
        }
        return rasterize(frames, faces, intrinsics, options);
    }

    /**
     * Rasterizes one frame of world-space vertices seen by a camera.
     *
     * @param worldVertices [V, 3] metres
     */
    public static RasterBuffers rasterize(float[] worldVertices, int[] faces, PinholeCamera camera, RasterOptions options) {
        double[] r = camera.rotation();
        double[] tr = camera.translation();
        float[] cam = new float[worldVertices.length];
        for (int i = 0; i < cam.length; i += 3) {
            double x = worldVertices[i], y = worldVertices[i + 1], z = worldVertices[i + 2];
            for (int row = 0; row < 3; row++) {
                cam[i + row] = (float) (r[row * 3] * x + r[row * 3 + 1] * y + r[row * 3 + 2] * z + tr[row]);
            }
        }
        return rasterize(cam, faces, Intrinsics.of(camera), options);
    }

    private static RasterBuffers empty(int w, int h) {
        int[] tri = new int[w * h];
        Arrays.fill(tri, -1);
        float[] depth = new float[w * h];
        Arrays.fill(depth, Float.POSITIVE_INFINITY);
        return new RasterBuffers(w, h, tri, new float[2 * w * h], depth);
    }

    /** Vertices of one frame in pixels (x, y) and camera z, double precision. */
    record ScreenVertices(double[] x, double[] y, double[] z, int width, int height) {
        static ScreenVertices project(float[] v, Intrinsics k) {
            int n = v.length / 3;
            double[] x = new double[n], y = new double[n], z = new double[n];
            for (int i = 0; i < n; i++) {
                double qz = v[3 * i + 2];
                x[i] = k.fx() * v[3 * i] / qz + k.cx();
                y[i] = k.fy() * v[3 * i + 1] / qz + k.cy();
                z[i] = qz;
            }
            return new ScreenVertices(x, y, z, k.width(), k.height());
        }
    }

    /** Rasterizes all faces into rows [y0, y1) of {@code out}, which no other task writes. */
    private static void rasterizeRows(ScreenVertices s, int[] faces, RasterOptions options, RasterBuffers out, int y0, int y1) {
        int w = s.width();
        double near = options.near();
        boolean cull = options.cullBackFaces();
        double[] sx = s.x(), sy = s.y(), sz = s.z();
        int[] triangle = out.triangle();
        float[] bary = out.bary();
        float[] depth = out.depth();
        double[] zbuf = new double[(y1 - y0) * w];
        Arrays.fill(zbuf, Double.POSITIVE_INFINITY);
        double[] ax = new double[3], ay = new double[3], dx = new double[3], dy = new double[3], sg = new double[3];
        boolean[] topLeft = new boolean[3];
        int numFaces = faces.length / 3;
        for (int f = 0; f < numFaces; f++) {
            int i0 = faces[3 * f], i1 = faces[3 * f + 1], i2 = faces[3 * f + 2];
            double x0 = sx[i0], x1 = sx[i1], x2 = sx[i2];
            double y0f = sy[i0], y1f = sy[i1], y2f = sy[i2];
            // Bounding box of pixel centres first: most triangles of a dense mesh cover none.
            int ys = Math.max(y0, (int) Math.ceil(Math.min(y0f, Math.min(y1f, y2f))));
            int ye = Math.min(y1 - 1, (int) Math.floor(Math.max(y0f, Math.max(y1f, y2f))));
            if (ys > ye) {
                continue;
            }
            int xs = Math.max(0, (int) Math.ceil(Math.min(x0, Math.min(x1, x2))));
            int xe = Math.min(w - 1, (int) Math.floor(Math.max(x0, Math.max(x1, x2))));
            if (xs > xe) {
                continue;
            }
            double z0 = sz[i0], z1 = sz[i1], z2 = sz[i2];
            if (!(z0 >= near && z1 >= near && z2 >= near)) {
                continue;
            }
            double area = (x1 - x0) * (y2f - y0f) - (x2 - x0) * (y1f - y0f);
            // area > 0 is clockwise on screen (y down): the normal points away from the camera.
            if (!(area != 0 && Double.isFinite(area)) || (cull && area > 0)) {
                continue;
            }
            double orient = area > 0 ? 1 : -1;
            setupEdge(0, x1, y1f, x2, y2f, orient, ax, ay, dx, dy, sg, topLeft);
            setupEdge(1, x2, y2f, x0, y0f, orient, ax, ay, dx, dy, sg, topLeft);
            setupEdge(2, x0, y0f, x1, y1f, orient, ax, ay, dx, dy, sg, topLeft);
            double iz0 = 1 / z0, iz1 = 1 / z1, iz2 = 1 / z2;
            double absArea = Math.abs(area);
            for (int y = ys; y <= ye; y++) {
                double r0 = dx[0] * (y - ay[0]), r1 = dx[1] * (y - ay[1]), r2 = dx[2] * (y - ay[2]);
                int row = y * w;
                int zrow = (y - y0) * w;
                for (int x = xs; x <= xe; x++) {
                    double w0 = sg[0] * (r0 - dy[0] * (x - ax[0]));
                    if (topLeft[0] ? w0 < 0 : w0 <= 0) {
                        continue;
                    }
                    double w1 = sg[1] * (r1 - dy[1] * (x - ax[1]));
                    if (topLeft[1] ? w1 < 0 : w1 <= 0) {
                        continue;
                    }
                    double w2 = sg[2] * (r2 - dy[2] * (x - ax[2]));
                    if (topLeft[2] ? w2 < 0 : w2 <= 0) {
                        continue;
                    }
                    // Perspective-correct: b_i = (l_i / z_i) / sum_j (l_j / z_j); the screen area cancels.
                    double q0 = w0 * iz0, q1 = w1 * iz1, q2 = w2 * iz2;
                    double sum = q0 + q1 + q2;
                    double z = absArea / sum;
                    if (z < zbuf[zrow + x]) {
                        zbuf[zrow + x] = z;
                        int p = row + x;
                        triangle[p] = f;
                        bary[2 * p] = (float) (q0 / sum);
                        bary[2 * p + 1] = (float) (q1 / sum);
                        depth[p] = (float) z;
                    }
                }
            }
        }
    }

    /**
     * Edge k from (px, py) to (qx, qy), stored from its lexicographically smaller endpoint a with direction d
     * and a sign sg such that sg (dx (y - ay) - dy (x - ax)) is positive inside the triangle.
     */
    private static void setupEdge(int k, double px, double py, double qx, double qy, double orient,
                                  double[] ax, double[] ay, double[] dx, double[] dy, double[] sg, boolean[] topLeft) {
        boolean swap = px > qx || (px == qx && py > qy);
        double axk = swap ? qx : px, ayk = swap ? qy : py;
        double dxk = swap ? px - qx : qx - px, dyk = swap ? py - qy : qy - py;
        double s = swap ? -orient : orient;
        ax[k] = axk;
        ay[k] = ayk;
        dx[k] = dxk;
        dy[k] = dyk;
        sg[k] = s;
        // Inward normal s (-dy, dx): the edge owns its pixels when it points to +x, or exactly to +y.
        double nx = -s * dyk, ny = s * dxk;
        topLeft[k] = nx > 0 || (nx == 0 && ny > 0);
    }
}
