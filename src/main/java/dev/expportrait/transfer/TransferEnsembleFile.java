package dev.expportrait.transfer;

import dev.expportrait.io.InputException;
import dev.expportrait.io.NdArray;
import dev.expportrait.io.SafeTensors;
import dev.expportrait.io.SafeTensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Several transfer modules in one safetensors file, format {@value #FORMAT} {@value #VERSION}: member i's tensors
 * and its {@link TransferModelFile} metadata (sizes and provenance) under the prefix {@code member<i>.}; at the top
 * {@code members} (how many), {@code headModel}, {@code level}, {@code features} and the provenance of the file.
 * {@link #read} takes this or a one-module {@link TransferModelFile}, so every reader of the shipped weights accepts
 * either.
 */
public final class TransferEnsembleFile {
    public static final String FORMAT = "expportrait.transfer-ensemble";
    public static final String VERSION = "1";
    /** Metadata a member file describes itself with; recomputed, not copied, when it joins an ensemble. */
    private static final Set<String> FORMAT_KEYS = Set.of("format", "version", "members");

    private TransferEnsembleFile() {}

    /** One module and the provenance its file recorded (command, seed, data, steps, validation loss, ...). */
    public record Member(TransferModel model, Map<String, String> provenance) {
        public Member {
            provenance = Map.copyOf(provenance);
        }
    }

    /** Writes the members atomically; at least one, all for the same head model, level and coefficients. */
    public static void write(Path path, List<Member> members, Map<String, String> provenance) {
        TransferEnsemble ensemble = new TransferEnsemble(members.stream().map(Member::model).toList()); // checks they agree
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("version", VERSION);
        meta.put("members", Integer.toString(members.size()));
        meta.put("headModel", ensemble.headModel());
        meta.put("level", Integer.toString(ensemble.level()));
        meta.put("features", TransferModelFile.FEATURES);
        for (int i = 0; i < members.size(); i++) {
            String prefix = prefix(i);
            Member m = members.get(i);
            TransferModelFile.arrays(m.model()).forEach((name, a) -> arrays.put(prefix + name, a));
            TransferModelFile.metadata(m.model(), m.provenance()).forEach((k, v) -> {
                if (!FORMAT_KEYS.contains(k)) meta.put(prefix + k, v);
            });
        }
        provenance.forEach(meta::putIfAbsent);
        SafeTensors.write(path, arrays, meta);
    }

    /** The module or modules in {@code path}: a one-module file as itself, an ensemble file as a {@link TransferEnsemble}. */
    public static TransferModule read(Path path) {
        return contents(path).module();
    }

    /** The modules in {@code path} with their provenance: one for a module file, each member of an ensemble file. */
    public static List<Member> members(Path path) {
        return contents(path).members();
    }

    /** What a file holds: its members, and the module they make (the one module itself, or their ensemble, checked to agree). */
    private record Contents(TransferModule module, List<Member> members) {}

    private static Contents contents(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new InputException(path + ": no such transfer model file");
        }
        try (SafeTensorsFile st = SafeTensors.read(path)) {
            Map<String, String> meta = st.metadata();
            if (!FORMAT.equals(meta.get("format"))) {
                TransferModel single = TransferModelFile.read(path, st);
                return new Contents(single, List.of(new Member(single, provenance(meta, ""))));
            }
            st.requireFormat(FORMAT, VERSION);
            int n = st.metadataInt("members");
            if (n < 1) throw new InputException(path + ": an ensemble of " + n + " members");
            List<Member> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(new Member(TransferModelFile.read(path, st, prefix(i)), provenance(meta, prefix(i))));
            }
            try {
                return new Contents(new TransferEnsemble(out.stream().map(Member::model).toList()), out);
            } catch (IllegalArgumentException e) {
                throw new InputException(path + ": " + e.getMessage());
            }
        }
    }

    /** The metadata under {@code prefix}, without it and without the format's own keys. */
    private static Map<String, String> provenance(Map<String, String> meta, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith(prefix) && !FORMAT_KEYS.contains(k.substring(prefix.length()))) out.put(k.substring(prefix.length()), v);
        });
        return out;
    }

    private static String prefix(int member) {
        return "member" + member + ".";
    }
}
