package io.github.purecnn.cli;

import io.github.purecnn.model.ModelFileFormat;
import io.github.purecnn.model.ModelFiles;
import io.github.purecnn.model.Sequential;

import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/** {@code convert IN OUT}: a model from one file format to another. */
final class ConvertCommand implements Command {

    @Override
    public String name() {
        return "convert";
    }

    @Override
    public String summary() {
        return "convert a model between purecnn model files and the Keras formats on the class path";
    }

    @Override
    public String description() {
        StringBuilder formats = new StringBuilder();
        for (ModelFileFormat f : ModelFiles.formats()) {
            formats.append(", ").append(f.description());
        }
        return "Loads the model in IN (its format decided by its content) and writes it to OUT in the format its"
                + " name asks for: OUT.keras a Keras 3 archive, OUT.h5 a Keras 2 HDF5 model, any other name a purecnn"
                + " model file. Formats this command line reads and writes: purecnn model file" + formats + ".";
    }

    @Override
    public List<Option<?>> options() {
        return List.of();
    }

    @Override
    public List<String> operands() {
        return List.of("IN", "OUT");
    }

    @Override
    public void run(ParsedOptions args, PrintStream out, PrintStream err) throws Exception {
        Path in = path(args.operands().get(0), "IN");
        Path target = path(args.operands().get(1), "OUT");
        Sequential model = ModelFiles.load(in);
        try {
            ModelFiles.save(model, target);
        } catch (IllegalArgumentException e) {
            throw new UsageException("operand OUT: " + e.getMessage());
        }
        out.println("wrote " + target + " (" + model + ")");
    }

    private static Path path(String text, String operand) throws UsageException {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new UsageException("operand " + operand + ": expected a path, found '" + text + "' (" + e.getReason()
                    + ")");
        }
    }
}
