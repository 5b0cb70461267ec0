import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadModels;
import dev.expportrait.head.HeadSubset;
import dev.expportrait.tensor.Tensors;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Benchmark: posing the dense detailed head (paper Eq. 3-4) for a batch of frames, forward and
 * forward+backward (gradients to shape, expression, pose, translation, D_id and D_exp), float32 on the CPU.
 * Run with bench/pose-dense.sh [frames] [repeats].
 */
public class PoseDenseBench {
    public static void main(String[] args) {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Tensors.init();
        HeadModel m = HeadModels.load(args.length > 2 ? args[2] : HeadModels.BUILTIN);
        System.out.printf("model %s, %d frames per batch, %d repeats (median), threads %d, OPENBLAS_CORETYPE=%s%n",
                m.name(), frames, repeats, torch.get_num_threads(), System.getenv("OPENBLAS_CORETYPE"));
        System.out.printf("%-6s %-9s %-9s %-14s %-18s %-14s%n", "level", "vertices", "faces", "forward ms", "fwd+backward ms", "ms/frame f+b");
        for (int level = 1; level <= 2; level++) {
            DenseHead head = new DenseHead(m, HeadSubset.select(m), level, ScalarType.Float);
            int vd = head.numVertices();
            Random r = new Random(1);
            double[] fwd = new double[repeats], both = new double[repeats];
            for (int rep = 0; rep < repeats + 1; rep++) {
                try (PointerScope scope = new PointerScope()) {
                    Tensor betas = randn(r, 0.5, frames, m.numShape());
                    Tensor expr = randn(r, 0.5, frames, m.numExpression());
                    Tensor pose = randn(r, 0.1, frames, m.numJoints(), 3);
                    Tensor transl = randn(r, 0.01, frames, 3);
                    Tensor dId = randn(r, 0.002, vd, 3);
                    Tensor dExp = randn(r, 0.001, frames, vd, 3);
                    long t0 = System.nanoTime();
                    head.pose(betas, expr, pose, transl, dId, dExp).vertices().sum().item_double();
                    long t1 = System.nanoTime();
                    for (Tensor t : new Tensor[] {betas, expr, pose, transl, dId, dExp}) t.set_requires_grad(true);
                    long t2 = System.nanoTime();
                    head.pose(betas, expr, pose, transl, dId, dExp).vertices().square().sum().backward();
                    dExp.grad().sum().item_double();
                    long t3 = System.nanoTime();
                    if (rep > 0) { // the first round warms up
                        fwd[rep - 1] = (t1 - t0) / 1e6;
                        both[rep - 1] = (t3 - t2) / 1e6;
                    }
                }
            }
            double f = median(fwd), b = median(both);
            System.out.printf("%-6d %-9d %-9d %-14.1f %-18.1f %-14.2f%n", level, vd, head.faces().length / 3, f, b, b / frames);
        }
    }

    static Tensor randn(Random r, double scale, long... shape) {
        int n = 1;
        for (long s : shape) n *= (int) s;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextGaussian() * scale);
        return Tensors.floats(x, shape);
    }

    static double median(double[] x) {
        double[] s = x.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }
}
