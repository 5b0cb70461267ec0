package dev.expportrait.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MeshNormalsTest {
    @Test
    void normalsOfAnOutwardOctahedronPointAlongItsVertices() {
        float[] n = MeshNormals.vertexNormals(UpsamplerTest.OCTA_V, UpsamplerTest.OCTA_F);
        for (int i = 0; i < n.length; i++) {
            assertThat(n[i]).isCloseTo(UpsamplerTest.OCTA_V[i], within(1e-6f));
        }
    }

    @Test
    void largerFacesWeighMoreAndUnusedVerticesGetZero() {
        // Two triangles at vertex 0: a large one in the z = 0 plane and a small one in the x = 0 plane.
        float[] p = {0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0.1f, 0, 0, 0, 0.1f, 9, 9, 9};
        int[] f = {0, 1, 2, 0, 3, 4};
        float[] n = MeshNormals.vertexNormals(p, f);
        // Area-weighted sum: 4 * (0,0,1) + 0.01 * (1,0,0), normalised.
        double len = Math.hypot(4, 0.01);
        assertThat(n[0]).isCloseTo((float) (0.01 / len), within(1e-6f));
        assertThat(n[2]).isCloseTo((float) (4 / len), within(1e-6f));
        assertThat(new float[] {n[15], n[16], n[17]}).containsOnly(0f);
    }
}
