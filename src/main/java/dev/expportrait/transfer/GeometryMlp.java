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
 * Output in millimetres.
 */
final class GeometryMlp {
    private final Tensor[] weights, biases, filmWeights, filmBiases;
    private final Tensor outWeight, outBias;
    private final int hidden, heightIndex;

    /** @param heightIndex the feature that holds the static detail height, in millimetres */
    GeometryMlp(Parameters p, int features, int hidden, int code, int layers, int heightIndex) {
        if (layers < 1) throw new IllegalArgumentException("layers " + layers + " must be at least 1");
        this.hidden = hidden;
        this.heightIndex = heightIndex;
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
        return out.narrow(2, 0, 3).add(out.narrow(2, 3, 3).mul(features.narrow(2, heightIndex, 1)));
    }
}
