package dev.expportrait.render;

import dev.expportrait.head.PinholeCamera;
import dev.expportrait.tensor.Tensors;
import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The geometric buffers of Sec. 3.1.2 for posed meshes: normal map, depth map and mask, composed from the
 * three primitives rasterize -> interpolate -> antialias. Differentiable in the vertex positions (through the
 * recomputed barycentrics, and at silhouettes through the antialias pass).
 *
 * <p>Normal maps are in the usual image-normal frame, x right, y up, z towards the camera (a face looking at
 * the camera is (0, 0, 1)); that is the OpenCV camera frame with y and z flipped. Depth is the camera z in
 * metres. Outside the mesh all three are 0; at silhouettes they blend with that 0 background by coverage.
 */
public final class MapRenderer {
    private MapRenderer() {}

    /**
     * Rendered maps of T frames.
     *
     * @param rasters the raster buffers (which triangle each pixel sees)
     * @param normal [T, H, W, 3] unit normals where covered
     * @param depth [T, H, W, 1] metres
     * @param mask [T, H, W, 1] coverage in [0, 1]
     * @param albedo [T, H, W, C] colours from the {@link Albedo}, or null when none was given
     */
    public record Maps(List<RasterBuffers> rasters, Tensor normal, Tensor depth, Tensor mask, Tensor albedo) {}

    /**
     * @param worldVertices [T, V, 3] posed vertices, metres, float32 or float64
     * @param faces [F, 3]
     * @param topology {@code EdgeTopology.of(faces)}, built once per mesh
     * @param antialias blend silhouettes, which gives mask and image losses gradients at the outline
     * @param albedo per-vertex colours or a UV texture, or null
     */
    public static Maps render(Tensor worldVertices, int[] faces, EdgeTopology topology, PinholeCamera camera, boolean antialias,
                              Albedo albedo) {
        return render(worldVertices, faces, topology, camera, null, antialias, albedo);
    }

    /**
     * As {@link #render(Tensor, int[], EdgeTopology, PinholeCamera, boolean, Albedo)}, with frame t seen by
     * {@code camera} whose principal point is moved by {@code principalShift[t]} (a small camera shake).
     *
     * @param principalShift [T, 2] pixels (dx, dy) added to (cx, cy) per frame, or null for none
     */
    public static Maps render(Tensor worldVertices, int[] faces, EdgeTopology topology, PinholeCamera camera,
                              float[] principalShift, boolean antialias, Albedo albedo) {
        Intrinsics intrinsics = Intrinsics.of(camera);
        Tensor cam = camera.toCamera(worldVertices);
        Tensor screenCam = principalShift == null ? cam : shear(cam, principalShift, camera);
        List<RasterBuffers> rasters = Rasterizer.rasterize(screenCam, faces, intrinsics, RasterOptions.DEFAULT);
        Fragments fragments = Interpolate.fragments(rasters, screenCam, faces, intrinsics);
        // Normals from the unsheared camera-space mesh: moving the principal point does not turn the surface.
        Tensor normals = VertexNormals.compute(cam, faces);
        // OpenCV camera frame (y down, z forward) to the image-normal frame (y up, z towards the viewer).
        Tensor flip = Tensors.floats(new float[] {1, -1, -1}, 3).to(cam.scalar_type());
        Tensor ones = torch.ones_like(cam.narrow(2, 2, 1));
        Tensor attributes = Tensors.cat(2, normals.mul(flip), cam.narrow(2, 2, 1), ones);
        Tensor image = Interpolate.interpolate(fragments, attributes); // [T, H, W, 5]
        int channels = 5;
        if (albedo != null) {
            image = Tensors.cat(3, image, albedo.render(fragments).to(image.scalar_type()));
            channels = (int) image.size(3);
        }
        if (antialias) {
            image = Antialias.antialias(image, rasters, screenCam, topology, intrinsics);
        }
        Tensor n = image.narrow(3, 0, 3);
        Tensor length = n.square().sum(new long[] {3}, true, new ScalarTypeOptional()).add(new Scalar(1e-12)).sqrt();
        Tensor mask = image.narrow(3, 4, 1);
        // Unit normals inside; the antialiased rim keeps its coverage-weighted length.
        Tensor unit = n.div(length).mul(mask.clamp_max(new Scalar(1)));
        Tensor colour = albedo == null ? null : image.narrow(3, 5, channels - 5);
        return new Maps(rasters, unit, image.narrow(3, 3, 1), mask, colour);
    }

    /**
     * Camera-space points [T, V, 3] sheared so that the shared intrinsics project them where the shifted
     * principal points would: q + qz (dx / fx, dy / fy, 0) keeps the depth and moves every pixel by (dx, dy).
     */
    private static Tensor shear(Tensor cam, float[] principalShift, PinholeCamera camera) {
        long t = cam.size(0);
        float[] k = new float[(int) t * 3];
        for (int i = 0; i < t; i++) {
            k[3 * i] = (float) (principalShift[2 * i] / camera.fx());
            k[3 * i + 1] = (float) (principalShift[2 * i + 1] / camera.fy());
        }
        return cam.add(cam.narrow(2, 2, 1).mul(Tensors.floats(k, t, 1, 3).to(cam.scalar_type())));
    }
}
