package io.github.loomchan.examples;

import io.github.loomchan.Pipeline;
import io.github.loomchan.StageOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A three-stage pipeline over a real file: a reader thread streams the lines of a CSV file, four parser threads turn
 * them into {@link Order}s (keeping the file order), and the calling thread adds up the revenue per product.
 *
 * <p>Run: {@code ./mvnw -q compile exec:exec -Dexample=OrdersPipeline} (reads the bundled sample {@code
 * orders.csv}); pass a path as the first program argument to read another file of the same format.
 */
public final class OrdersPipeline {
    private OrdersPipeline() {}

    /**
     * Runs the example on the file named by {@code args[0]}, or on the bundled sample.
     *
     * @param args optionally, the path of a CSV file
     * @throws Exception if the file cannot be read or the pipeline fails
     */
    public static void main(String[] args) throws Exception {
        Path file = args.length > 0 ? Path.of(args[0]) : SampleData.ordersFile();
        run(file, System.out);
    }

    /**
     * Reads, parses and aggregates {@code file}, printing what it does.
     *
     * @param file a CSV file of orders
     * @param out where to print
     * @return revenue per product, sorted by product
     * @throws IOException if the file cannot be opened
     * @throws InterruptedException if interrupted (the pipeline is stopped first)
     */
    static Map<String, BigDecimal> run(Path file, PrintStream out) throws IOException, InterruptedException {
        out.println("reading " + file);
        Map<String, BigDecimal> revenue = Pipeline.from(Files.lines(file)) // stage 1: one thread reads the lines
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(StageOptions.parallel(4), Order::parse) // stage 2: four parser threads, file order kept
                .collect(Collectors.groupingBy( // stage 3: aggregation in this thread
                        Order::product,
                        TreeMap::new,
                        Collectors.reducing(BigDecimal.ZERO, Order::total, BigDecimal::add)));
        out.println("revenue per product:");
        revenue.forEach((product, total) -> out.printf("  %-10s %8s%n", product, total));
        out.println("total: " + revenue.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add));
        return revenue;
    }
}
