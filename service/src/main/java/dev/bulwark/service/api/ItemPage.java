package dev.bulwark.service.api;

import java.util.List;

/**
 * One page of {@code GET /items}, in id order.
 *
 * @param items the items on this page
 * @param next  the id to pass as {@code after} for the next page, or null on the last page
 */
public record ItemPage(List<Item> items, String next) {
}
