package dev.bulwark.example;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * {@code GET /stock/{sku}} answers {@code {"sku", "level"}} (404 if unknown); {@code PUT /stock/{sku}} with the
 * level as a plain number sets it (204). SKUs are 1 to 64 letters, digits, dots, dashes or underscores.
 */
@Path("/stock/{sku: [A-Za-z0-9._-]{1,64}}")
@Produces(MediaType.APPLICATION_JSON)
public final class StockResource {

    private final StockLevels stock;

    StockResource(StockLevels stock) {
        this.stock = stock;
    }

    @GET
    public Map<String, Object> get(@PathParam("sku") String sku) throws Exception {
        int level = stock.level(sku).orElseThrow(() -> new NotFoundException("no stock level for " + sku));
        return Map.of("sku", sku, "level", level);
    }

    @PUT
    @Consumes(MediaType.TEXT_PLAIN)
    public void put(@PathParam("sku") String sku, int level) throws Exception {
        stock.set(sku, level);
    }
}
