package io.github.loomchan.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Puts the sample data shipped in this module's resources into real files, so the examples read files. */
final class SampleData {
    private SampleData() {}

    /** Copies {@code orders.csv} to a new temporary file (deleted when the JVM exits) and returns its path. */
    static Path ordersFile() throws IOException {
        Path file = Files.createTempFile("loomchan-orders-", ".csv");
        file.toFile().deleteOnExit();
        try (InputStream in = SampleData.class.getResourceAsStream("orders.csv")) {
            if (in == null) {
                throw new IOException("orders.csv is missing from the classpath");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    /** Like {@link #ordersFile()}, with one corrupt line inserted after line {@code afterLine}. */
    static Path ordersFileWithCorruptLine(int afterLine, String corruptLine) throws IOException {
        Path file = ordersFile();
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(file));
        lines.add(Math.min(afterLine, lines.size()), corruptLine);
        Files.write(file, lines);
        return file;
    }
}
