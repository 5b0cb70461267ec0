package dev.expportrait.cli;

import dev.expportrait.io.InputException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code expportrait} command-line tool. */
@Command(name = "expportrait",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "ExpPortrait in Java: expressive, identity-preserving portrait video generation through a personalized head representation (SMPL-X-format base, dense detail fields, LBS).",
        subcommands = {DemoCommand.class, FitCommand.class, GenCommand.class, HeadCommand.class, RenderCommand.class, SynthCommand.class, TransferCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
            "  expportrait demo",
            "  expportrait head info --model builtin",
            "  expportrait head export --expression mouthSmileLeft=1,mouthSmileRight=1 --pose jaw=0.2,0,0 --out smile.glb",
            "  expportrait render --expression eyeBlinkLeft=1 --size 512 --out out/blink",
            "  expportrait fit --clip data/synth/id000/clip00 --out out/fit/subject.head",
            "  expportrait transfer apply --reference child.head --driver elder.head --compare --out out/transfer",
            "", "Exit codes: 0 ok, 1 internal error, 2 bad input (the message names the input)."})
public final class Main implements Runnable {
    /** Exit code for bad input: a missing or malformed file, an unknown name, a NaN. */
    public static final int BAD_INPUT = 2;

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (OutOfMemoryError e) {
            // The Java heap holds the training heads' offsets (transfer train) and the frames; its default limit is a
            // quarter of the machine's memory. One line instead of a stack trace, with the remedy.
            System.err.printf("expportrait: out of Java heap memory (limit %d MB): raise it, e.g. EXPPORTRAIT_JAVA_OPTS=-Xmx%dg ./expportrait ...%n",
                    Runtime.getRuntime().maxMemory() >> 20, Math.max(2, 2 * (Runtime.getRuntime().maxMemory() >> 30)));
            code = 1;
        }
        System.exit(code);
    }

    /** Runs the tool and returns its exit code (tests call this). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line as typed, for provenance: "expportrait" and every argument (the subcommands' names among them). */
    static String typed(picocli.CommandLine.Model.CommandSpec spec) {
        return "expportrait " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            PrintWriter err = line.getErr();
            if (e instanceof InputException) {
                err.println("expportrait: " + e.getMessage());
                return BAD_INPUT;
            }
            if (e instanceof UncheckedIOException) {
                err.println("expportrait: " + e.getMessage());
                return 1;
            }
            err.println("expportrait: internal error: " + e);
            e.printStackTrace(err);
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** The version from the jar manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"expportrait " + (v == null ? "dev" : v)};
        }
    }
}
