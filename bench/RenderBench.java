import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadModels;
import dev.expportrait.head.HeadSubset;
import dev.expportrait.head.PinholeCamera;
import dev.expportrait.render.EdgeTopology;
import dev.expportrait.render.Framing;
import dev.expportrait.render.Intrinsics;
import dev.expportrait.render.MapRenderer;
import dev.expportrait.render.RasterBuffers;
import dev.expportrait.render.RasterOptions;
import dev.expportrait.render.Rasterizer;
import dev.expportrait.tensor.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Benchmark: rendering the dense built-in head (levels 1 and 2) at 256 and 512 px. Rasterization alone
 * (Java, all cores, batches of frames), and the differentiable maps (normal, depth, mask through
 * rasterize -> interpolate -> antialias), forward and forward+backward. Run: bench/render.sh [frames].
 */
public class RenderBench {
    public static void main(String[] args) {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        Tensors.init();
        HeadModel m = HeadModels.load(HeadModels.BUILTIN);
        System.out.printf("model %s, %d frames per batch, median of 5, threads %d (libtorch), %d cores, OPENBLAS_CORETYPE=%s%n",
                m.name(), frames, torch.get_num_threads(), Runtime.getRuntime().availableProcessors(), System.getenv("OPENBLAS_CORETYPE"));
        System.out.printf("%-6s %-9s %-9s %-6s %-14s %-16s %-18s%n", "level", "vertices", "faces", "px", "raster fps", "maps fwd ms/fr", "maps f+b ms/fr");
        for (int level = 1; level <= 2; level++) {
            DenseHead head = new DenseHead(m, HeadSubset.select(m), level, ScalarType.Float);
            Tensor posed = head.pose(Tensors.zeros(ScalarType.Float, 1, m.numShape()), null, head.zeroPose(1), null, null, null).vertices();
            float[] rest = Tensors.toFloats(posed);
            int[] faces = head.faces();
            EdgeTopology topo = EdgeTopology.of(faces);
            for (int size : new int[] {256, 512}) {
                PinholeCamera cam = Framing.portrait(rest, size);
                // Frames turn the head a little so no two are identical.
                List<float[]> cameraFrames = new ArrayList<>();
                float[] batch = new float[frames * rest.length];
                for (int f = 0; f < frames; f++) {
                    float[] v = turned(rest, 0.01 * f);
                    System.arraycopy(v, 0, batch, f * rest.length, rest.length);
                    cameraFrames.add(Tensors.toFloats(cam.toCamera(Tensors.floats(v, v.length / 3, 3))));
                }
                Intrinsics in = Intrinsics.of(cam);
                double[] raster = new double[5], fwd = new double[5], both = new double[5];
                for (int rep = 0; rep < 6; rep++) {
                    long t0 = System.nanoTime();
                    List<RasterBuffers> r = Rasterizer.rasterize(cameraFrames, faces, in, RasterOptions.DEFAULT);
                    long t1 = System.nanoTime();
                    try (PointerScope scope = new PointerScope()) {
                        Tensor v = Tensors.floats(batch, frames, rest.length / 3, 3);
                        long t2 = System.nanoTime();
                        MapRenderer.render(v, faces, topo, cam, true, null).normal().sum().item_double();
                        long t3 = System.nanoTime();
                        v.set_requires_grad(true);
                        MapRenderer.Maps maps = MapRenderer.render(v, faces, topo, cam, true, null);
                        maps.normal().sum().add(maps.mask().sum()).add(maps.depth().sum()).backward();
                        v.grad().sum().item_double();
                        long t4 = System.nanoTime();
                        if (rep > 0) {
                            raster[rep - 1] = frames / ((t1 - t0) / 1e9);
                            fwd[rep - 1] = (t3 - t2) / 1e6 / frames;
                            both[rep - 1] = (t4 - t3) / 1e6 / frames;
                        }
                    }
                    if (r.size() != frames) throw new IllegalStateException();
                }
                System.out.printf("%-6d %-9d %-9d %-6d %-14.0f %-16.1f %-18.1f%n", level, head.numVertices(), faces.length / 3, size,
                        median(raster), median(fwd), median(both));
            }
        }
    }

    /** Vertices turned about the vertical axis through the origin by {@code angle} radians. */
    static float[] turned(float[] v, double angle) {
        float[] out = v.clone();
        double c = Math.cos(angle), s = Math.sin(angle);
        for (int i = 0; i < v.length; i += 3) {
            out[i] = (float) (c * v[i] + s * v[i + 2]);
            out[i + 2] = (float) (-s * v[i] + c * v[i + 2]);
        }
        return out;
    }

    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
