package io.github.loomchan.examples;

import java.math.BigDecimal;

/**
 * One line of the sample file {@code orders.csv}: {@code time,customer,product,quantity,unit_price}.
 *
 * @param time when the order was placed, as written in the file
 * @param customer who ordered
 * @param product what was ordered
 * @param quantity how many
 * @param unitPrice the price of one
 */
public record Order(String time, String customer, String product, int quantity, BigDecimal unitPrice) {

    /**
     * Parses one CSV line.
     *
     * @param line a line of {@code orders.csv}, not a comment
     * @return the order
     * @throws IllegalArgumentException if the line is not a valid order, naming the line
     */
    public static Order parse(String line) {
        String[] fields = line.split(",", -1);
        if (fields.length != 5) {
            throw new IllegalArgumentException("expected 5 fields but found " + fields.length + " in: " + line);
        }
        try {
            return new Order(
                    fields[0], fields[1], fields[2], Integer.parseInt(fields[3].strip()), new BigDecimal(fields[4]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in order line: " + line, e);
        }
    }

    /**
     * Returns the order's total price.
     *
     * @return quantity times unit price
     */
    public BigDecimal total() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
