package dev.expportrait.render;

import dev.expportrait.tensor.Tensors;
import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * nvdiffrast's {@code interpolate} primitive: per-vertex attributes to images through the barycentrics of
 * the covered pixels. The raster buffers fix only which triangle each pixel sees (discrete, no gradient);
 * the barycentrics are recomputed from the vertex tensor, so gradients reach the positions as well as the
 * attributes. Gradients do not move the coverage itself: that is {@link Antialias}'s job.
 */
public final class Interpolate {
    private Interpolate() {}

    /**
     * Differentiable barycentrics of every covered pixel: the triangle's corners are projected, 2-D edge
     * functions are evaluated at the pixel centre (x, y) and made perspective-correct,
     * b_i = (l_i / z_i) / sum_j (l_j / z_j).
     *
     * @param rasters T raster buffers of these vertices (e.g. from {@link Rasterizer})
     * @param cameraVertices [T, V, 3] camera-space positions, metres, float32 or float64
     * @param faces [F, 3] the faces the buffers were rasterized with
     */
    public static Fragments fragments(List<RasterBuffers> rasters, Tensor cameraVertices, int[] faces, Intrinsics intrinsics) {
        int t = rasters.size();
        int w = intrinsics.width();
        int h = intrinsics.height();
        long v = cameraVertices.size(1);
        int n = 0;
        for (RasterBuffers r : rasters) {
            n += r.coveredCount();
        }
        int[] frame = new int[n];
        int[] pixel = new int[n];
        int[] corners = new int[3 * n];
        int[] triangle = new int[n];
        double[] centre = new double[2 * n];
        int i = 0;
        for (int f = 0; f < t; f++) {
            int[] tri = rasters.get(f).triangle();
            for (int p = 0; p < tri.length; p++) {
                if (tri[p] >= 0) {
                    frame[i] = f;
                    pixel[i] = p;
                    System.arraycopy(faces, 3 * tri[p], corners, 3 * i, 3);
                    triangle[i] = tri[p];
                    centre[2 * i] = p % w;
                    centre[2 * i + 1] = p / w;
                    i++;
                }
            }
        }
        Tensor frameT = Tensors.longs(frame, n);
        Tensor cornersT = Tensors.longs(corners, n, 3);
        Tensor global = cornersT.add(frameT.unsqueeze(1).mul(new Scalar(v))).reshape(3L * n);
        Tensor positions = torch.index_select(cameraVertices.reshape(t * v, 3), 0, global).reshape(n, 3, 3);
        Tensor screen = intrinsics.project(positions); // [N, 3, 2]
        Tensor a = torch.index_select(screen, 1, Tensors.longs(new int[] {1, 2, 0}, 3));
        Tensor b = torch.index_select(screen, 1, Tensors.longs(new int[] {2, 0, 1}, 3));
        Tensor c = Tensors.doubles(centre, n, 1, 2).to(cameraVertices.scalar_type());
        // l_i is proportional to the edge function of the edge opposite corner i; the area cancels below.
        Tensor ab = b.sub(a);
        Tensor ac = c.sub(a);
        Tensor edge = ab.select(2, 0).mul(ac.select(2, 1)).sub(ab.select(2, 1).mul(ac.select(2, 0))); // [N, 3]
        Tensor q = edge.div(positions.select(2, 2));
        Tensor bary = q.div(q.sum(new long[] {1}, true, new ScalarTypeOptional()));
        return new Fragments(t, h, w, v, frameT, Tensors.longs(pixel, n), cornersT, bary, triangle);
    }

    /**
     * Interpolates a per-vertex attribute over the covered pixels; differentiable in the attribute and in
     * the positions the fragments were made from.
     *
     * @param fragments covered pixels of T frames
     * @param attribute [T, V, C] per frame, or [V, C] shared by all frames (normals, depth, colours, UVs, ...)
     * @return [T, H, W, C], zeros where no triangle covers the pixel (compositing a background is the caller's)
     */
    public static Tensor interpolate(Fragments fragments, Tensor attribute) {
        return toImage(fragments, perFragment(fragments, attribute));
    }

    /**
     * Interpolates an attribute with its own topology (UVs with seams): the corners of the covering triangle
     * are looked up in {@code attributeFaces} instead of the mesh faces. Differentiable as {@link #interpolate}.
     *
     * @param attribute [A, C] values, shared by all frames
     * @param attributeFaces [F, 3] indices into the attribute, one triple per mesh face
     * @return [T, H, W, C], zeros where empty
     */
    public static Tensor interpolate(Fragments fragments, Tensor attribute, int[] attributeFaces) {
        return toImage(fragments, perFragment(fragments, attribute, attributeFaces));
    }

    /** The attribute at each covered pixel: [N, C] (see {@link #interpolate(Fragments, Tensor)}). */
    public static Tensor perFragment(Fragments fragments, Tensor attribute) {
        long n = fragments.count();
        long ch = attribute.size(attribute.dim() - 1);
        Tensor index = fragments.corners();
        Tensor flat = attribute;
        if (attribute.dim() == 3) {
            index = index.add(fragments.frame().unsqueeze(1).mul(new Scalar(fragments.vertexCount())));
            flat = attribute.reshape(fragments.frames() * fragments.vertexCount(), ch);
        }
        Tensor values = torch.index_select(flat, 0, index.reshape(3 * n)).reshape(n, 3, ch);
        return values.mul(fragments.bary().unsqueeze(2).to(attribute.scalar_type()))
                .sum(new long[] {1}, false, new ScalarTypeOptional());
    }

    /** A face-varying attribute [A, C] at each covered pixel: [N, C]. */
    public static Tensor perFragment(Fragments fragments, Tensor attribute, int[] attributeFaces) {
        int[] tri = fragments.triangle();
        int[] corners = new int[3 * tri.length];
        for (int i = 0; i < tri.length; i++) {
            System.arraycopy(attributeFaces, 3 * tri[i], corners, 3 * i, 3);
        }
        Fragments remapped = new Fragments(fragments.frames(), fragments.height(), fragments.width(), attribute.size(0),
                fragments.frame(), fragments.pixel(), Tensors.longs(corners, tri.length, 3), fragments.bary(), tri);
        return perFragment(remapped, attribute);
    }

    /** Values of the covered pixels [N, C] placed in images [T, H, W, C], zeros elsewhere; differentiable. */
    public static Tensor toImage(Fragments fragments, Tensor values) {
        long ch = values.size(1);
        long hw = (long) fragments.height() * fragments.width();
        Tensor target = fragments.pixel().add(fragments.frame().mul(new Scalar(hw)));
        Tensor image = torch.zeros(new long[] {fragments.frames() * hw, ch}).to(values.scalar_type());
        // Each covered pixel appears once, so a copy suffices (and its backward is a cheap gather).
        return image.index_copy(0, target, values).reshape(fragments.frames(), fragments.height(), fragments.width(), ch);
    }
}
