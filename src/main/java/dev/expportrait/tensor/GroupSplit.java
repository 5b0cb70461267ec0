package dev.expportrait.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Splits training items into training and validation by group (an identity), so no group is on both sides:
 * the groups, sorted by key, are shuffled by {@code seed} (Fisher-Yates) and the first {@code fraction} of them
 * (at least one when the fraction is positive, never all) go to validation.
 */
public final class GroupSplit {
    private GroupSplit() {}

    /** [training, validation], each in the items' order within a group. */
    public static <T> List<List<T>> of(List<T> items, Function<T, String> group, double fraction, long seed) {
        Map<String, List<T>> byGroup = new TreeMap<>();
        for (T item : items) byGroup.computeIfAbsent(group.apply(item), k -> new ArrayList<>()).add(item);
        List<String> keys = new ArrayList<>(byGroup.keySet());
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = keys.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            String tmp = keys.get(i);
            keys.set(i, keys.get(j));
            keys.set(j, tmp);
        }
        int held = fraction == 0 ? 0 : Math.max(1, (int) Math.round(fraction * keys.size()));
        if (held >= keys.size()) held = keys.size() - 1;
        List<T> train = new ArrayList<>(), validation = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) (i < held ? validation : train).addAll(byGroup.get(keys.get(i)));
        return List.of(train, validation);
    }
}
