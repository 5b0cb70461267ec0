package dev.expportrait.head;

import java.util.List;

/** Region labels of the built-in head (per vertex), in label order. */
public final class Regions {
    private Regions() {}

    public static final int FACE = 0;
    public static final int SCALP = 1;
    public static final int EARS = 2;
    public static final int EYES = 3;
    public static final int LIPS = 4;
    public static final int NECK = 5;
    public static final int SHOULDERS = 6;

    public static final List<String> NAMES = List.of("face", "scalp", "ears", "eyes", "lips", "neck", "shoulders");

    /**
     * The dense vertices where expression details live (face and lips): the support of D_exp,t (Sec. 3.1.1).
     *
     * @param regions [V] labels, e.g. {@code DenseHead.regions()}
     * @return vertex ids in increasing order
     */
    public static int[] faceVertices(int[] regions) {
        return java.util.stream.IntStream.range(0, regions.length)
                .filter(v -> regions[v] == FACE || regions[v] == LIPS).toArray();
    }
}
