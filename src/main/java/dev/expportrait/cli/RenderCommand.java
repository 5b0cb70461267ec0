package dev.expportrait.cli;

import dev.expportrait.head.DenseHead;
import dev.expportrait.head.HeadModel;
import dev.expportrait.head.HeadParameters;
import dev.expportrait.head.HeadSubset;
import dev.expportrait.io.InputException;
import dev.expportrait.render.HeadRender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.pytorch.global.torch.ScalarType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code expportrait render}: images of a posed head (the maps the fitting stage compares against). */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Pose the dense head and render it from the front: normal map (RGB = (n + 1) / 2, x right, y up, z towards the camera), depth (16-bit PNG, metric range in its text chunk), mask, a shaded RGB preview and the projected landmarks over it. Files: DIR/normal.png, depth.png, rgb.png, mask.png, landmarks.png.",
        footer = {"", "Examples:",
            "  expportrait render --out out/render",
            "  expportrait render --expression mouthSmileLeft=1,mouthSmileRight=1 --pose head=0,0.4,0 --size 512 --maps normal,depth,rgb,mask --out out/smile",
            "  expportrait render --model SMPLX_NEUTRAL.npz --level 2 --maps normal --out out/smplx"})
final class RenderCommand implements Callable<Integer> {
    @Mixin
    ModelOption model;

    @Mixin
    PoseOptions frame;

    @Option(names = "--size", defaultValue = "512", description = "Image width and height in pixels, 16-4096 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--maps", defaultValue = "normal,depth,rgb,mask,landmarks", split = ",",
            description = "Which images: normal, depth, rgb, mask, landmarks (default: ${DEFAULT-VALUE}).")
    List<String> maps;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Override
    public Integer call() {
        int level = frame.level();
        if (size < 16 || size > 4096) {
            throw new InputException("--size " + size + ": must be between 16 and 4096 pixels");
        }
        List<HeadRender.Kind> kinds = new ArrayList<>();
        for (String m : maps) {
            try {
                kinds.add(HeadRender.Kind.valueOf(m.trim()));
            } catch (IllegalArgumentException e) {
                throw new InputException("--maps: unknown map '" + m.trim() + "' (use normal, depth, rgb, mask, landmarks)");
            }
        }
        HeadModel m = model.load();
        HeadParameters p = frame.parameters(m);
        DenseHead head = new DenseHead(m, HeadSubset.select(m), level, ScalarType.Float);
        HeadRender.Frame frame = new HeadRender(head).render(p, size, null);
        List<Path> written = HeadRender.write(frame, out, "", kinds,
                Map.of("model", m.name(), "level", String.valueOf(level), "command", "expportrait render"));
        for (Path w : written) {
            System.out.println("wrote " + w);
        }
        return 0;
    }
}
