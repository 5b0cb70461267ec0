package dev.expportrait.render;

import static dev.expportrait.tensor.Tensors.scalar;

import dev.expportrait.tensor.Tensors;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * nvdiffrast's {@code antialias} primitive: blends colours across silhouette edges by how far the edge
 * lies past the midpoint between two pixel centres, so that image losses get gradients that move the
 * outline of the mesh (which {@link Interpolate} cannot: its coverage is fixed).
 *
 * <p>Contract. For every pair of horizontally or vertically adjacent pixels p, q whose triangles differ
 * (one may be empty), the foreground is the covered one, or the nearer one by raster depth. If the edge
 * through which the segment from the foreground pixel's centre to the other's leaves the foreground
 * triangle is a silhouette edge (a mesh boundary, or its two faces face opposite ways on screen), it
 * crosses the segment at a fraction t from the foreground pixel, computed from the projected edge
 * endpoints (differentiable). With c the input colours: if t &gt; 0.5 the background pixel receives
 * (t - 0.5) (c_fg - c_bg), otherwise the foreground pixel receives (0.5 - t) (c_bg - c_fg). Contributions
 * add up; all of them read the input image. Pairs whose triangles continue the surface across a shared
 * front-to-front (or back-to-back) edge are left alone. Which pairs take part, and which pixel of each is
 * blended, is decided on the raster buffers and the current positions without gradient; t carries
 * gradients to the vertex positions, and the blend to the colours.
 */
public final class Antialias {
    private Antialias() {}

    /**
     * @param image [T, H, W, C] colours, e.g. interpolated attributes composited over a background
     * @param rasters T raster buffers of the same vertices
     * @param cameraVertices [T, V, 3] camera-space positions, metres, same float type as {@code image}
     * @param topology edge adjacency of the faces the buffers were rasterized with
     * @return [T, H, W, C] the antialiased image
     */
    public static Tensor antialias(Tensor image, List<RasterBuffers> rasters, Tensor cameraVertices,
                                   EdgeTopology topology, Intrinsics intrinsics) {
        int t = rasters.size();
        int v = (int) cameraVertices.size(1);
        double[] positions = Tensors.toDoubles(cameraVertices);
        SilhouettePairs[] perFrame = new SilhouettePairs[t];
        IntStream.range(0, t).parallel().forEach(f ->
                perFrame[f] = SilhouettePairs.find(rasters.get(f), positions, f * v * 3, v, topology, intrinsics));
        SilhouettePairs pairs = SilhouettePairs.concat(perFrame, v, intrinsics.width() * intrinsics.height());
        int m = pairs.size;
        if (m == 0) {
            return image;
        }
        Tensor flatVertices = cameraVertices.reshape((long) t * v, 3);
        Tensor a = intrinsics.project(torch.index_select(flatVertices, 0, pairs.longs(pairs.edgeA)));
        Tensor b = intrinsics.project(torch.index_select(flatVertices, 0, pairs.longs(pairs.edgeB)));
        // Along: the axis of the pixel pair (x for horizontal pairs); across: the other one.
        Tensor vertical = pairs.longs(pairs.vertical).eq(scalar(1));
        Tensor ua = torch.where(vertical, a.select(1, 1), a.select(1, 0));
        Tensor va = torch.where(vertical, a.select(1, 0), a.select(1, 1));
        Tensor ub = torch.where(vertical, b.select(1, 1), b.select(1, 0));
        Tensor vb = torch.where(vertical, b.select(1, 0), b.select(1, 1));
        Tensor line = pairs.doubles(pairs.across).to(image.scalar_type());
        Tensor from = pairs.doubles(pairs.along).to(image.scalar_type());
        Tensor direction = pairs.doubles(pairs.direction).to(image.scalar_type());
        Tensor crossing = ua.add(line.sub(va).mul(ub.sub(ua)).div(vb.sub(va)));
        Tensor weight = crossing.sub(from).mul(direction).sub(scalar(0.5)).abs().unsqueeze(1); // |t - 0.5|, [M, 1]
        long ch = image.size(3);
        Tensor colours = image.reshape((long) t * intrinsics.height() * intrinsics.width(), ch);
        Tensor target = pairs.longs(pairs.target);
        Tensor source = pairs.longs(pairs.source);
        Tensor delta = weight.mul(torch.index_select(colours, 0, source).sub(torch.index_select(colours, 0, target)));
        return torch.index_add(colours, 0, target, delta).reshape(Tensors.shape(image));
    }

    /** Pixel pairs across silhouette edges, found on the raster buffers in double precision. */
    private static final class SilhouettePairs {
        int size;
        int[] target = new int[16], source = new int[16], edgeA = new int[16], edgeB = new int[16], vertical = new int[16];
        double[] along = new double[16], across = new double[16], direction = new double[16];

        static SilhouettePairs find(RasterBuffers raster, double[] positions, int offset, int vertexCount,
                                    EdgeTopology topology, Intrinsics k) {
            int w = raster.width(), h = raster.height();
            int[] faces = topology.faces();
            double[] sx = new double[vertexCount], sy = new double[vertexCount];
            boolean[] projected = new boolean[vertexCount];
            // Project only the corners of visible faces and their neighbours, lazily.
            Screen screen = new Screen(positions, offset, k, sx, sy, projected);
            SilhouettePairs out = new SilhouettePairs();
            int[] tri = raster.triangle();
            float[] depth = raster.depth();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = y * w + x;
                    if (x + 1 < w && tri[p] != tri[p + 1]) {
                        out.consider(p, p + 1, false, w, tri, depth, faces, topology.across(), screen);
                    }
                    if (y + 1 < h && tri[p] != tri[p + w]) {
                        out.consider(p, p + w, true, w, tri, depth, faces, topology.across(), screen);
                    }
                }
            }
            return out;
        }

        private void consider(int p, int q, boolean isVertical, int w, int[] tri, float[] depth, int[] faces,
                              int[] acrossFace, Screen s) {
            int fg = tri[p] < 0 || (tri[q] >= 0 && depth[q] < depth[p]) ? q : p;
            int bg = fg == p ? q : p;
            int f = tri[fg];
            double fx = fg % w, fy = fg / w;
            double dir = bg > fg ? 1 : -1;
            double from = isVertical ? fy : fx, line = isVertical ? fx : fy;
            for (int k = 0; k < 3; k++) {
                int ia = faces[3 * f + k], ib = faces[3 * f + (k + 1) % 3];
                double ua = s.along(ia, isVertical), va = s.across(ia, isVertical);
                double ub = s.along(ib, isVertical), vb = s.across(ib, isVertical);
                if (va == vb || (va - line) * (vb - line) > 0) {
                    continue;
                }
                double t = (ua + (line - va) * (ub - ua) / (vb - va) - from) * dir;
                if (!(t >= 0 && t <= 1)) {
                    continue;
                }
                // The segment leaves the triangle here; only a silhouette edge is an outline to move.
                int g = acrossFace[3 * f + k];
                int orient = s.orientation(faces, f);
                if (g < 0 || orient == 0 || s.orientation(faces, g) != orient) {
                    add(t > 0.5 ? bg : fg, t > 0.5 ? fg : bg, ia, ib, isVertical, from, line, dir);
                }
                return;
            }
        }

        private void add(int tgt, int src, int ia, int ib, boolean isVertical, double from, double line, double dir) {
            if (size == target.length) {
                int n = size * 2;
                target = Arrays.copyOf(target, n);
                source = Arrays.copyOf(source, n);
                edgeA = Arrays.copyOf(edgeA, n);
                edgeB = Arrays.copyOf(edgeB, n);
                vertical = Arrays.copyOf(vertical, n);
                along = Arrays.copyOf(along, n);
                across = Arrays.copyOf(across, n);
                direction = Arrays.copyOf(direction, n);
            }
            target[size] = tgt;
            source[size] = src;
            edgeA[size] = ia;
            edgeB[size] = ib;
            vertical[size] = isVertical ? 1 : 0;
            along[size] = from;
            across[size] = line;
            direction[size] = dir;
            size++;
        }

        Tensor longs(int[] column) {
            return Tensors.longs(Arrays.copyOf(column, size), size);
        }

        Tensor doubles(double[] column) {
            return Tensors.doubles(Arrays.copyOf(column, size), size);
        }

        /** All frames' pairs, with pixel and vertex indices made global over the batch. */
        static SilhouettePairs concat(SilhouettePairs[] frames, int vertexCount, int pixelCount) {
            SilhouettePairs all = new SilhouettePairs();
            for (int f = 0; f < frames.length; f++) {
                SilhouettePairs s = frames[f];
                for (int i = 0; i < s.size; i++) {
                    all.add(s.target[i] + f * pixelCount, s.source[i] + f * pixelCount, s.edgeA[i] + f * vertexCount,
                            s.edgeB[i] + f * vertexCount, s.vertical[i] == 1, s.along[i], s.across[i], s.direction[i]);
                }
            }
            return all;
        }
    }

    /** Lazily projected vertices of one frame and the screen orientation of faces. */
    private record Screen(double[] positions, int offset, Intrinsics k, double[] x, double[] y, boolean[] done) {
        private void ensure(int i) {
            if (!done[i]) {
                double qz = positions[offset + 3 * i + 2];
                x[i] = k.fx() * positions[offset + 3 * i] / qz + k.cx();
                y[i] = k.fy() * positions[offset + 3 * i + 1] / qz + k.cy();
                done[i] = true;
            }
        }

        double along(int i, boolean isVertical) {
            ensure(i);
            return isVertical ? y[i] : x[i];
        }

        double across(int i, boolean isVertical) {
            ensure(i);
            return isVertical ? x[i] : y[i];
        }

        /** Sign of the face's screen area; 0 when degenerate or a corner is not in front of the camera. */
        int orientation(int[] faces, int f) {
            int a = faces[3 * f], b = faces[3 * f + 1], c = faces[3 * f + 2];
            if (!(positions[offset + 3 * a + 2] > 0 && positions[offset + 3 * b + 2] > 0 && positions[offset + 3 * c + 2] > 0)) {
                return 0;
            }
            ensure(a);
            ensure(b);
            ensure(c);
            double area = (x[b] - x[a]) * (y[c] - y[a]) - (x[c] - x[a]) * (y[b] - y[a]);
            return (int) Math.signum(area);
        }
    }
}
