package dev.expportrait.transfer;

import dev.expportrait.tensor.Parameters;

import static dev.expportrait.tensor.Tensors.scalar;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The vertex-wise geometry MLP G of Eq. 9: Delta_exp,t(i) = G(x_i, c_t), from a face vertex's neutral
 * features x_i ({@link NeutralFeatures}) and the frame's code c_t ({@link ExpressionEncoder}). The code
 * modulates every hidden layer (FiLM: h (1 + gamma(c)) + beta(c), gamma and beta starting at 0), so the
 * offset is a product of where the vertex is and what the face does, which creases need (a groove's depth
 * times the expression's activation). The output is a + h b with a and b two 3-vectors of the network and h the
 * vertex's static detail height (D_id along the normal, the input feature {@code heightIndex}): expression
 * creases deepen the lines a face already has at rest, so the identity's own lines scale what the code asks for.
 * With {@code patterns} K above 0 it adds a separable term sum_k alpha_k(c) P_k(x): K spatial patterns [3] per
 * vertex from the neutral features alone (an MLP that does not see the code) times K amplitudes linear in the code,
 * the form of a wrinkle or bulge whose place and depth belong to the face and whose activation to the frame.
 * Output in millimetres.
 */
final class GeometryMlp {
    private final Tensor[] weights, biases, filmWeights, filmBiases;
    private final Tensor outWeight, outBias;
    private final Tensor[] patternWeights, patternBiases;
    private final Tensor amplitudeWeight, amplitudeBias;
    private final int hidden, heightIndex, patterns;

    /** @param heightIndex the feature that holds the static detail height, in millimetres */
    GeometryMlp(Parameters p, int features, int hidden, int code, int layers, int heightIndex, int patterns) {
        if (layers < 1) throw new IllegalArgumentException("layers " + layers + " must be at least 1");
        this.hidden = hidden;
        this.heightIndex = heightIndex;
        this.patterns = patterns;
        weights = new Tensor[layers];
        biases = new Tensor[layers];
        filmWeights = new Tensor[layers];
        filmBiases = new Tensor[layers];
        for (int l = 0; l < layers; l++) {
            weights[l] = p.weight("geometry.layer" + l + ".weight", l == 0 ? features : hidden, hidden, 1);
            biases[l] = p.zeros("geometry.layer" + l + ".bias", hidden);
            filmWeights[l] = p.zeros("geometry.film" + l + ".weight", code, 2 * hidden);
            filmBiases[l] = p.zeros("geometry.film" + l + ".bias", 2 * hidden);
        }
        outWeight = p.weight("geometry.out.weight", hidden, 6, 0.1);
        outBias = p.zeros("geometry.out.bias", 6);
        int pl = patterns > 0 ? 2 : 0;
        patternWeights = new Tensor[pl + 1];
        patternBiases = new Tensor[pl + 1];
        if (patterns > 0) {
            for (int l = 0; l <= pl; l++) {
                int in = l == 0 ? features : hidden, out = l == pl ? 3 * patterns : hidden;
                patternWeights[l] = p.weight("geometry.pattern" + l + ".weight", in, out, l == pl ? 0.1 : 1);
                patternBiases[l] = p.zeros("geometry.pattern" + l + ".bias", out);
            }
            amplitudeWeight = p.zeros("geometry.amplitude.weight", code, patterns); // zero: the term starts absent
            amplitudeBias = p.zeros("geometry.amplitude.bias", patterns);
        } else {
            amplitudeWeight = amplitudeBias = null;
        }
    }

    /**
     * @param features [B, N, F] neutral features of N face vertices for each of B frames
     * @param codes [B, C] one code per frame
     * @return expression offsets [B, N, 3], millimetres
     */
    Tensor offsets(Tensor features, Tensor codes) {
        Tensor h = features;
        for (int l = 0; l < weights.length; l++) {
            Tensor film = codes.matmul(filmWeights[l]).add(filmBiases[l]).unsqueeze(1); // [B, 1, 2H]
            Tensor gamma = film.narrow(2, 0, hidden), beta = film.narrow(2, hidden, hidden);
            h = h.matmul(weights[l]).add(biases[l]);
            h = torch.silu(h.mul(gamma.add(scalar(1))).add(beta));
        }
        Tensor out = h.matmul(outWeight).add(outBias); // [B, N, 6]: a, then b
        Tensor offsets = out.narrow(2, 0, 3).add(out.narrow(2, 3, 3).mul(features.narrow(2, heightIndex, 1)));
        if (patterns == 0) return offsets;
        Tensor x = features;
        for (int l = 0; l < patternWeights.length; l++) {
            x = x.matmul(patternWeights[l]).add(patternBiases[l]);
            if (l < patternWeights.length - 1) x = torch.silu(x);
        }
        long b = features.size(0), n = features.size(1);
        Tensor amplitudes = codes.matmul(amplitudeWeight).add(amplitudeBias); // [B, K]
        Tensor separable = amplitudes.reshape(b, 1, 1, patterns).matmul(x.reshape(b, n, patterns, 3)).reshape(b, n, 3);
        return offsets.add(separable);
    }
}
