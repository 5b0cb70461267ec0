package dev.expportrait.transfer;

import dev.expportrait.tensor.Parameters;

import static dev.expportrait.tensor.Tensors.scalar;

import dev.expportrait.tensor.Tensors;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * The identity-adaptive expression transfer module of Sec. 3.2: the driving-signal encoder E (Eq. 8) and the
 * vertex-wise geometry MLP G (Eq. 9), for one head model and dense level (its face vertices and E
 * expression coefficients). Predicts a target identity's D_exp,t on its face vertices from its neutral
 * geometry and any driver's expression coefficients and jaw poses.
 *
 * @see TransferModelFile for its file
 */
public final class TransferModel implements TransferModule {
    /**
     * @param numExpression E, expression coefficients of the head model (the drivers are E + 3 per frame)
     * @param code C, the size of each frame's code
     * @param encoderHidden channels of E's temporal convolutions
     * @param kernel frames each convolution of E sees (odd)
     * @param hidden width of G's hidden layers
     * @param layers G's hidden layers
     * @param patterns K, spatial expression patterns of G's separable term ({@link GeometryMlp}); 0: none
     */
    public record Sizes(int numExpression, int code, int encoderHidden, int kernel, int hidden, int layers, int patterns) {
        public Sizes {
            if (numExpression < 0 || code < 1 || encoderHidden < 1 || kernel < 1 || kernel % 2 == 0 || hidden < 1 || layers < 1 || patterns < 0) {
                throw new IllegalArgumentException("transfer model sizes out of range: " + this);
            }
        }

        /**
         * The CPU default: about 97k parameters, each frame's code from its own coefficients and jaw (kernel 1): the
         * expression offsets of a frame follow that frame's expression, and with kernel 5 the codes led a rising
         * expression by a frame and lagged in its middle and at a clip's last frames (BENCHMARKS.md).
         */
        public static Sizes defaults(int numExpression) {
            return new Sizes(numExpression, 32, 64, 1, 128, 4, 0);
        }

        public Sizes withKernel(int k) {
            return new Sizes(numExpression, code, encoderHidden, k, hidden, layers, patterns);
        }

        public Sizes withPatterns(int k) {
            return new Sizes(numExpression, code, encoderHidden, kernel, hidden, layers, k);
        }
    }

    private final String headModel;
    private final int level;
    private final Sizes sizes;
    private final Parameters parameters;
    private final ExpressionEncoder encoder;
    private final GeometryMlp geometry;

    /** A new module with weights drawn from {@code seed}, for dense meshes of {@code headModel} at {@code level}. */
    public TransferModel(String headModel, int level, Sizes sizes, long seed) {
        this.headModel = headModel;
        this.level = level;
        this.sizes = sizes;
        this.parameters = new Parameters(seed);
        this.encoder = new ExpressionEncoder(parameters, sizes.numExpression() + 3, sizes.encoderHidden(), sizes.code(), sizes.kernel());
        this.geometry = new GeometryMlp(parameters, NeutralFeatures.SIZE, sizes.hidden(), sizes.code(), sizes.layers(), NeutralFeatures.HEIGHT, sizes.patterns());
    }

    @Override
    public String headModel() {
        return headModel;
    }

    @Override
    public int level() {
        return level;
    }

    @Override
    public int numExpression() {
        return sizes.numExpression();
    }

    public Sizes sizes() {
        return sizes;
    }

    /** The weights by name (leaf tensors with requires_grad), in a fixed order. */
    public Map<String, Tensor> parameters() {
        return parameters.all();
    }

    @Override
    public long parameterCount() {
        return parameters.count();
    }

    void load(String name, float[] values) {
        parameters.load(name, values);
    }

    /** Eq. 8: codes [B, T, C] of drivers [B, T, E + 3]. */
    Tensor codes(Tensor drivers) {
        return encoder.encode(drivers);
    }

    /** The code of the neutral face (all coefficients and the jaw 0): [C]. */
    Tensor neutralCode() {
        return codes(Tensors.zeros(org.bytedeco.pytorch.global.torch.ScalarType.Float, 1, 1, sizes.numExpression() + 3)).reshape(-1);
    }

    /**
     * Eq. 9, measured from the neutral face: G(x, c_t) - G(x, c_neutral), so a neutral driver gives exactly
     * no expression offsets (D_exp is a deviation from the neutral geometry, Sec. 3.1.3).
     *
     * @param features [B, N, F]
     * @param codes [B, C]
     * @return offsets [B, N, 3], millimetres
     */
    Tensor offsetsMillimetres(Tensor features, Tensor codes) {
        long b = features.size(0);
        Tensor neutral = neutralCode().unsqueeze(0).expand(b, codes.size(1));
        Tensor both = geometry.offsets(Tensors.cat(0, features, features), Tensors.cat(0, codes, neutral));
        return both.narrow(0, 0, b).sub(both.narrow(0, b, b));
    }

    /**
     * The target's D_exp,t for every driving frame (Eq. 8 then Eq. 9), without gradients.
     *
     * @param features [Nf, F] the target's {@link NeutralFeatures}
     * @param drivers [T, E + 3] expression coefficients and jaw axis-angle per frame
     * @return expressionOffsets [T, Nf, 3] metres
     */
    @Override
    public float[] predict(Tensor features, float[] drivers) {
        int d = sizes.numExpression() + 3;
        if (drivers.length % d != 0 || drivers.length == 0) {
            throw new IllegalArgumentException("drivers hold " + drivers.length + " values, not [T, " + d + "]");
        }
        int t = drivers.length / d, nf = (int) features.size(0);
        float[] out = new float[t * nf * 3];
        int chunk = Math.max(1, (1 << 15) / Math.max(1, nf)); // [2 chunk, Nf, hidden] activations stay small
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor codes = codes(Tensors.floats(drivers, 1, t, d)).squeeze(0); // [T, C]
            for (int t0 = 0; t0 < t; t0 += chunk) {
                int n = Math.min(chunk, t - t0);
                try (PointerScope inner = new PointerScope()) {
                    Tensor f = features.unsqueeze(0).expand(n, nf, features.size(1));
                    Tensor offsets = offsetsMillimetres(f, codes.narrow(0, t0, n)).mul(scalar(1e-3));
                    System.arraycopy(Tensors.toFloats(offsets), 0, out, t0 * nf * 3, n * nf * 3);
                }
            }
        }
        return out;
    }
}
